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

/** Where one input column's raw value comes from: a frame index, or a metadata input. */
type ColumnSource = number | 'intensity' | 'male';

/** Parsed `preprocessing.columns`, once per served model (requests reuse it). */
const sourcesCache = new WeakMap<Preprocessing, ColumnSource[]>();

function columnSources(preprocessing: Preprocessing): ColumnSource[] {
  let sources = sourcesCache.get(preprocessing);
  if (!sources) {
    sources = preprocessing.columns.map((column) => {
      if (column === 'intensity' || column === 'male') return column;
      const frame = /^f(\d+)$/.exec(column);
      if (!frame) throw new SerError(ErrorCode.INTERNAL, `unknown input column ${column} in preprocessing.json`);
      return Number(frame[1]);
    });
    sourcesCache.set(preprocessing, sources);
  }
  return sources;
}

/**
 * Build the scaled model input for one clip, in `preprocessing.columns` order.
 * @returns float32 row of length columns.length (scaled values, ~0-1 inside the training range)
 */
export function buildModelInput(clip: ClipFeatures, preprocessing: Preprocessing, inputs: ResolvedInputs): Float32Array {
  const sources = columnSources(preprocessing);
  // float32 before scaling, like the assembled training rows (shared/dataset/inputs.ts), so values round alike.
  const raw = new Float32Array(sources.length);
  for (let c = 0; c < sources.length; c++) {
    const source = sources[c]!;
    if (typeof source === 'number') {
      // fill rule 'floor_db': a frame the clip does not have is silence at the clip's own floor.
      raw[c] = source < clip.frames ? clip.means[source]! : clip.floorDb;
    } else {
      const v = inputs[source];
      if (v === undefined) throw new SerError(ErrorCode.INTERNAL, `input column ${source} has no value`);
      raw[c] = v;
    }
  }
  return applyMinMax(raw, preprocessing.scaler, raw); // in place: each column is read before it is written
}
