/**
 * `librosa.amplitude_to_db(S, ref=0, amin, top_db).mean(axis=0)` on a power spectrogram, without a log per bin.
 *
 * With ref = 0 librosa computes D = 10·log10(max(|S|², amin²)) − 10·log10(amin²) (= +100 dB for amin 1e-5),
 * floored at max(D) − top_db over the whole clip. The frame mean of D only needs Σ log10 of the clipped
 * powers, which we take as the log of products of short runs (after dividing by the clip maximum so the
 * products can neither overflow nor underflow): ~16× fewer logarithms, same result to ~1e-12 dB.
 */
import type { PowerSpectrogram } from './stft';

export interface FrameMeansDb {
  /** Mean dB over frequency of each frame. */
  readonly means: Float32Array;
  /** Largest dB value of the clip. */
  readonly maxDb: number;
  /** Smallest dB value of the clip after the top_db floor (librosa's D.min()). */
  readonly floorDb: number;
}

/**
 * Frame means of the dB spectrogram (ref = 0) of a power spectrogram.
 * @param spec power spectrogram (amplitude² units)
 * @param amin magnitude floor before the log (amplitude units; librosa default 1e-5)
 * @param topDb dynamic range kept below the clip maximum, dB
 */
export function frameMeansDb(spec: PowerSpectrogram, amin: number, topDb: number): FrameMeansDb {
  const { power, frames, bins } = spec;
  const aminPower = amin * amin;
  const offsetDb = -10 * Math.log10(aminPower);
  const top = Math.max(spec.maxPower, aminPower);
  const maxDb = 10 * Math.log10(top) + offsetDb;
  // Everything below `floor` reads as the floor; all values are divided by `top` so they lie in [ratio, 1].
  const floor = Math.max(aminPower, top * 10 ** (-topDb / 10));
  const floorRatio = floor / top;
  const floorDb = 10 * Math.log10(Math.max(spec.minPower, floor)) + offsetDb;
  // Longest run whose product stays above ~1e-300 (64 at most).
  const run = Math.max(1, Math.min(64, Math.floor(300 / Math.max(1, -Math.log10(floorRatio)))));
  const inv = 1 / top;
  const means = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    const o = f * bins;
    let logSum = 0;
    for (let b = 0; b < bins; b += run) {
      const end = Math.min(bins, b + run);
      let prod = 1;
      for (let i = o + b; i < o + end; i++) {
        const v = power[i] * inv;
        prod *= v > floorRatio ? v : floorRatio;
      }
      logSum += Math.log10(prod);
    }
    means[f] = (10 * logSum) / bins + 10 * Math.log10(top) + offsetDb;
  }
  return { means, maxDb, floorDb };
}
