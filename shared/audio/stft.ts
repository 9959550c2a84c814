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
  /** Periodic Hann window, float32 (the frame is float32 anyway: PFFFT is single precision). */
  readonly window: Float32Array;
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
    k = { fft, window: Float32Array.from(periodicHann(nFft)), frame: fft.alloc(), spectrum: fft.alloc() };
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
  const { fft, window, frame, spectrum } = kernel(nFft);
  const frames = stftFrameCount(y.length, hopLength);
  const bins = nFft / 2 + 1;
  const power = into && into.length >= frames * bins ? into : new Float64Array(frames * bins);
  const half = nFft / 2;
  const n = y.length;
  const heap = wasmHeap();
  // One real FFT per frame (PFFFT, ordered output: X₀, X_{n/2}, then Re/Im pairs); |X|² without square roots.
  for (let f = 0; f < frames; f++) {
    const start = f * hopLength - half;
    if (start >= 0 && start + nFft <= n) {
      for (let i = 0; i < nFft; i++) heap[frame + i] = window[i] * y[start + i];
    } else {
      for (let i = 0; i < nFft; i++) {
        const j = start + i;
        heap[frame + i] = j >= 0 && j < n ? window[i] * y[j] : 0;
      }
    }
    fft.forwardOrdered(frame, spectrum);
    const o = f * bins;
    const dc = heap[spectrum];
    const nyquist = heap[spectrum + 1];
    power[o] = dc * dc;
    power[o + half] = nyquist * nyquist;
    for (let k = 1, s = spectrum + 2; k < half; k++, s += 2) {
      const re = heap[s];
      const im = heap[s + 1];
      power[o + k] = re * re + im * im;
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
