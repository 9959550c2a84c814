/**
 * The 132 model inputs of one clip (INPUT_COLUMNS): 130 frame means in dB, then intensity and male (0/1).
 * Clips shorter than the 3 s window have fewer frames; the missing trailing frames take the clip's own dB floor
 * (max − 80 dB): silence on that clip's scale, as the reference does with `fillna(floor_db)`.
 */
import { FRAME_COUNT, INPUT_COLUMNS } from '../config';

/** Number of model inputs (132). */
export const INPUT_COUNT = INPUT_COLUMNS.length;

/** Fill rule recorded in the manifest and preprocessing.json. */
export const FILL_RULE = 'floor_db' as const;
export const FILL_RULE_DESCRIPTION = `frames missing at the end of a clip shorter than the window (fewer than ${FRAME_COUNT}) take the clip's floor dB (its max − 80 dB)`;

export interface ClipInputSource {
  /** Frame means, dB; length ≤ FRAME_COUNT. */
  means: ArrayLike<number>;
  /** The clip's dB floor, used for the missing frames. */
  floorDb: number;
  intensity: number;
  male: number;
}

/** Build the unscaled input vector (length 132) of one clip; writes into `out` when given. */
export function buildInputs(clip: ClipInputSource, out: Float32Array = new Float32Array(INPUT_COUNT)): Float32Array {
  const n = Math.min(clip.means.length, FRAME_COUNT);
  for (let i = 0; i < n; i++) out[i] = clip.means[i]!;
  out.fill(clip.floorDb, n, FRAME_COUNT);
  out[FRAME_COUNT] = clip.intensity;
  out[FRAME_COUNT + 1] = clip.male;
  return out;
}
