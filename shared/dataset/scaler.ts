/**
 * Min-max scaling fitted on the training part only (so nothing of the test part leaks into training):
 * x' = (x − min) / (max − min) per column, 0 where max = min. Test values may fall outside [0, 1]: not clipped,
 * like scikit-learn's MinMaxScaler.
 */
import type { MinMaxScaler } from '../types';

/** Fit per-column min/max over the given rows (each of length `columns`). Throws on zero rows. */
export function fitMinMax(rows: Iterable<Float32Array>, columns: number): MinMaxScaler {
  const min = new Array<number>(columns).fill(Infinity);
  const max = new Array<number>(columns).fill(-Infinity);
  let count = 0;
  for (const row of rows) {
    count++;
    for (let c = 0; c < columns; c++) {
      const v = row[c]!;
      if (v < min[c]!) min[c] = v;
      if (v > max[c]!) max[c] = v;
    }
  }
  if (count === 0) throw new RangeError('cannot fit a scaler on zero rows');
  return { min, max };
}

/** Scale one row with a fitted scaler; writes into `out` (float32) when given. */
export function applyMinMax(row: ArrayLike<number>, scaler: MinMaxScaler, out: Float32Array = new Float32Array(row.length)): Float32Array {
  for (let c = 0; c < row.length; c++) {
    const range = scaler.max[c]! - scaler.min[c]!;
    out[c] = range > 0 ? (row[c]! - scaler.min[c]!) / range : 0;
  }
  return out;
}
