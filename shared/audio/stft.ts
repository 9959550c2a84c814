/**
 * Short-time power spectrum as `np.abs(librosa.stft(y, n_fft, hop_length))**2` computes it (librosa 0.11
 * defaults): periodic Hann window of nFft samples, centred frames (nFft/2 zeros padded at both ends,
 * pad_mode 'constant'), frames = 1 + floor(len / hop).
 */
import FFT from 'fft.js';

/** Power spectrogram, frame-major: power[frame · bins + bin], bins = nFft/2 + 1. */
export interface PowerSpectrogram {
  readonly power: Float64Array;
  readonly frames: number;
  readonly bins: number;
  /** Largest power over the whole clip (|STFT|², amplitude² units). */
  readonly maxPower: number;
  /** Smallest power over the whole clip. */
  readonly minPower: number;
}

interface StftKernel {
  readonly fft: FFT;
  readonly window: Float64Array;
  readonly frame: Float64Array;
  readonly spectrum: Float64Array;
}

const kernels = new Map<number, StftKernel>();

/** Periodic Hann window (scipy.signal.get_window('hann', n, fftbins=True)): 0.5 − 0.5·cos(2πi/n). */
export function periodicHann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

function kernel(nFft: number): StftKernel {
  let k = kernels.get(nFft);
  if (!k) {
    if (nFft < 4 || (nFft & (nFft - 1)) !== 0) throw new RangeError(`nFft must be a power of two ≥ 4 (got ${nFft})`);
    const fft = new FFT(nFft);
    k = { fft, window: periodicHann(nFft), frame: new Float64Array(2 * nFft), spectrum: new Float64Array(2 * nFft) };
    kernels.set(nFft, k);
  }
  return k;
}

/** Number of centred frames for `samples` samples: 1 + floor(samples / hop). */
export function stftFrameCount(samples: number, hopLength: number): number {
  return 1 + Math.floor(samples / hopLength);
}

/**
 * Power spectrogram |STFT|² of `y`.
 * @param y samples (any rate)
 * @param nFft FFT size, samples (power of two)
 * @param hopLength hop between frames, samples
 * @param into optional buffer to reuse (grown when too small)
 */
export function powerSpectrogram(y: Float32Array, nFft: number, hopLength: number, into?: Float64Array): PowerSpectrogram {
  const { fft, window, frame, spectrum } = kernel(nFft);
  const frames = stftFrameCount(y.length, hopLength);
  const bins = nFft / 2 + 1;
  const power = into && into.length >= frames * bins ? into : new Float64Array(frames * bins);
  const half = nFft / 2;
  const n = y.length;
  // Two real frames per complex FFT: frame a in the real part, frame b in the imaginary part; their spectra
  // are A_k = (Z_k + conj Z_{N−k}) / 2 and B_k = (Z_k − conj Z_{N−k}) / 2i, so |A_k|² and |B_k|² follow
  // from Z alone. fft.js's realTransform costs as much as a complex transform, so this halves the FFT time.
  for (let f = 0; f < frames; f += 2) {
    const hasB = f + 1 < frames;
    const startA = f * hopLength - half;
    const startB = startA + hopLength;
    if (startA >= 0 && startB + nFft <= n) {
      for (let i = 0; i < nFft; i++) {
        frame[2 * i] = window[i] * y[startA + i];
        frame[2 * i + 1] = window[i] * y[startB + i];
      }
    } else {
      for (let i = 0; i < nFft; i++) {
        const ja = startA + i;
        const jb = startB + i;
        frame[2 * i] = ja >= 0 && ja < n ? window[i] * y[ja] : 0;
        frame[2 * i + 1] = hasB && jb >= 0 && jb < n ? window[i] * y[jb] : 0;
      }
    }
    fft.transform(spectrum, frame);
    const oa = f * bins;
    const ob = oa + bins;
    for (let k = 0; k < bins; k++) {
      const m = k === 0 ? 0 : 2 * (nFft - k);
      const zr = spectrum[2 * k];
      const zi = spectrum[2 * k + 1];
      const wr = spectrum[m];
      const wi = spectrum[m + 1];
      const ar = zr + wr;
      const ai = zi - wi;
      const br = zi + wi;
      const bi = zr - wr;
      power[oa + k] = 0.25 * (ar * ar + ai * ai);
      if (hasB) power[ob + k] = 0.25 * (br * br + bi * bi);
    }
  }
  let maxPower = 0;
  let minPower = Infinity;
  for (let i = 0, end = frames * bins; i < end; i++) {
    const p = power[i];
    if (p > maxPower) maxPower = p;
    if (p < minPower) minPower = p;
  }
  return { power, frames, bins, maxPower, minPower };
}
