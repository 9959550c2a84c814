/**
 * The course's feature recipe, librosa-exact:
 *   y = librosa.load(wav, sr=22050, mono=True, offset=0.5, duration=3.0)      (segment → mono → soxr_hq)
 *   D = librosa.amplitude_to_db(|librosa.stft(y, n_fft=2048, hop_length=512)|, ref=0, top_db=80)
 *   features = D.mean(axis=0)                                                  (≤ 130 frame means)
 */
import { DEFAULT_FEATURE_CONFIG, type FeatureConfig } from '../config';
import type { ClipFeatures } from '../types';
import { resample } from './resample';
import { segmentRange } from './segment';
import { frameMeansDb } from './spectrogram-db';
import { powerSpectrogram } from './stft';
import { decodeWav, type DecodedWav } from './wav';

/** Spectrogram buffer reused between calls (one clip's |STFT|², ~1 MB for the course values). */
let scratch: Float64Array | undefined;

/**
 * Load the analysed window as librosa does: native-rate mono float32 of the segment, resampled to config.sampleRate.
 * @throws AudioError TOO_SHORT / NO_SAMPLES (window), NON_FINITE_SAMPLES (decoder)
 */
export function loadSegment(wav: DecodedWav, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): Float32Array {
  const { start, end } = segmentRange(wav.frames, wav.sampleRate, config);
  return resample(wav.mono(start, end), wav.sampleRate, config.sampleRate);
}

/**
 * Frame means (dB) of samples already at config.sampleRate.
 * @param y samples at config.sampleRate
 */
export function featuresFromSamples(y: Float32Array, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): { means: Float32Array; frames: number; floorDb: number } {
  const spec = powerSpectrogram(y, config.nFft, config.hopLength, scratch);
  scratch = spec.power;
  const { means, floorDb } = frameMeansDb(spec, config.amin, config.topDb);
  return { means, frames: spec.frames, floorDb };
}

/**
 * Features of one WAV file (the bytes of the whole file).
 * @throws AudioError with a stable code for anything that is not analysable audio
 */
export function extractFeatures(bytes: Uint8Array, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): ClipFeatures {
  const wav = decodeWav(bytes, { maxFileBytes: config.maxFileBytes, maxDurationSeconds: config.maxDurationSeconds });
  const y = loadSegment(wav, config);
  const { means, frames, floorDb } = featuresFromSamples(y, config);
  return { means, frames, floorDb, samples: y.length, nativeSampleRate: wav.sampleRate, channels: wav.channels };
}
