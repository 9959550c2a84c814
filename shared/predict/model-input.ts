/**
 * One clip's features → the model's input row, exactly as the training table was built: frame means with the
 * missing frames of a short clip filled with the clip's floor dB, the metadata inputs as 0/1, then MinMax scaling
 * with the scaler fitted on the training part (shared/dataset/scaler.ts, the assembly's own; not clipped). Columns
 * come from preprocessing.json, so a model trained without the metadata inputs is served too.
 */
import { applyMinMax } from '../dataset/scaler';
import { ErrorCode, SerError } from '../errors';
import type { ClipFeatures, Preprocessing } from '../types';
import type { ResolvedInputs } from './metadata';

/** Unscaled value of one input column (dB for frames, 0/1 for metadata). */
function rawValue(column: string, clip: ClipFeatures, inputs: ResolvedInputs): number {
  if (column === 'intensity' || column === 'male') {
    const v = inputs[column];
    if (v === undefined) throw new SerError(ErrorCode.INTERNAL, `input column ${column} has no value`);
    return v;
  }
  const frame = /^f(\d+)$/.exec(column);
  if (!frame) throw new SerError(ErrorCode.INTERNAL, `unknown input column ${column} in preprocessing.json`);
  const i = Number(frame[1]);
  // fill rule 'floor_db': a frame the clip does not have is silence at the clip's own floor.
  return i < clip.frames ? clip.means[i]! : clip.floorDb;
}

/**
 * Build the scaled model input for one clip, in `preprocessing.columns` order.
 * @returns float32 row of length columns.length (scaled values, ~0-1 inside the training range)
 */
export function buildModelInput(clip: ClipFeatures, preprocessing: Preprocessing, inputs: ResolvedInputs): Float32Array {
  const { columns, scaler } = preprocessing;
  // float32 before scaling, like the assembled training rows (shared/dataset/inputs.ts), so values round alike.
  const raw = new Float32Array(columns.length);
  for (let c = 0; c < columns.length; c++) raw[c] = rawValue(columns[c]!, clip, inputs);
  return applyMinMax(raw, scaler);
}
