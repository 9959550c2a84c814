/**
 * Short-time power spectrum as `np.abs(librosa.stft(y, n_fft, hop_length))**2` computes it (librosa 0.11
 * defaults): periodic Hann window of nFft samples, centred frames (nFft/2 zeros padded at both ends,
 * pad_mode 'constant'), frames = 1 + floor(len / hop). FFTs by PFFFT (WASM SIMD, float32; see fft-wasm.ts).
 */
import { RealFft, isRealFftSize, wasmHeap } from './fft-wasm';

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
  readonly fft: RealFft;
  /** Heap indices (floats) of the windowed frame and of its spectrum. */
  readonly frame: number;
  readonly spectrum: number;
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
    if (!isRealFftSize(nFft)) throw new RangeError(`nFft must be a power of two ≥ 32 (got ${nFft})`);
    const fft = new RealFft(nFft);
    k = { fft, frame: fft.alloc(), spectrum: fft.alloc() };
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
 * @param nFft FFT size, samples (power of two ≥ 32)
 * @param hopLength hop between frames, samples
 * @param into optional buffer to reuse (grown when too small)
 */
export function powerSpectrogram(y: Float32Array, nFft: number, hopLength: number, into?: Float64Array): PowerSpectrogram {
  const { fft, frame, spectrum } = kernel(nFft);
  const frames = stftFrameCount(y.length, hopLength);
  const bins = nFft / 2 + 1;
  const power = into && into.length >= frames * bins ? into : new Float64Array(frames * bins);
  const half = nFft / 2;
  const n = y.length;
  const heap = wasmHeap();
  const frameBuf = heap.subarray(frame, frame + nFft);
  const spec = heap.subarray(spectrum, spectrum + nFft);
  let maxPower = 0;
  let minPower = Infinity;
  // One real FFT per frame of the RAW samples (a memcpy into the WASM heap), the periodic Hann window applied
  // in the frequency domain: w = ½ − ½·cos(2πi/N) ⇒ A_k = ½X_k − ¼(X_{k−1} + X_{k+1}), X_{−k} = conj X_k.
  // Saves the N multiplications per frame of time-domain windowing (measured ~30 % of the STFT's JS time).
  // PFFFT's ordered output: X₀, X_{N/2} (both real), then Re/Im of X₁ … X_{N/2−1}. |A|² without square roots.
  for (let f = 0; f < frames; f++) {
    const start = f * hopLength - half;
    if (start >= 0 && start + nFft <= n) frameBuf.set(y.subarray(start, start + nFft));
    else {
      const lo = Math.max(0, -start);
      const hi = Math.max(lo, Math.min(nFft, n - start));
      frameBuf.fill(0, 0, lo);
      frameBuf.set(y.subarray(start + lo, start + hi), lo);
      frameBuf.fill(0, hi, nFft);
    }
    fft.forwardOrdered(frame, spectrum);
    const o = f * bins;
    // Bins 0 and N/2 (real): neighbours X₁ + conj X₁ = 2·Re X₁.
    const a0 = 0.5 * spec[0] - 0.5 * spec[2];
    const aN = 0.5 * spec[1] - 0.5 * spec[nFft - 2];
    power[o] = a0 * a0;
    power[o + half] = aN * aN;
    // Bins 1 … N/2−1, with X₀ and X_{N/2} (real) as the outer neighbours.
    let pr = spec[0];
    let pi = 0;
    let cr = spec[2];
    let ci = spec[3];
    for (let k = 1; k < half - 1; k++) {
      const nr = spec[2 * k + 2];
      const ni = spec[2 * k + 3];
      const ar = 0.5 * cr - 0.25 * (pr + nr);
      const ai = 0.5 * ci - 0.25 * (pi + ni);
      power[o + k] = ar * ar + ai * ai;
      pr = cr;
      pi = ci;
      cr = nr;
      ci = ni;
    }
    const lr = 0.5 * cr - 0.25 * (pr + spec[1]);
    const li = 0.5 * ci - 0.25 * pi;
    power[o + half - 1] = lr * lr + li * li;
    // Extremes per frame row (one pass, cache-warm).
    for (let i = o, end = o + bins; i < end; i++) {
      const p = power[i];
      if (p > maxPower) maxPower = p;
      if (p < minPower) minPower = p;
    }
  }
  return { power, frames, bins, maxPower, minPower };
}
