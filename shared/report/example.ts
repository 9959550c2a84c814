/**
 * Build the report's test example from a WAV with the audio stages of the feature recipe (shared/audio): the
 * analysed window (decode → segment → resample), its power STFT → dB (ref 0, floored at max − top_db) with the
 * bins averaged down for size, and the frame means exactly as the extractor computes them.
 */
import { decodeWav, frameMeansDb, loadSegment, powerSpectrogram } from '../audio';
import { DEFAULT_FEATURE_CONFIG, type FeatureConfig } from '../config';
import type { ReportExample } from './render';

/** Frequency bins kept in the report's spectrogram (1,025 averaged down to this; ~17 KB of PNG). */
export const REPORT_SPECTROGRAM_BINS = 128;

export interface ExampleInput {
  file: string;
  /** The WAV file's bytes. */
  bytes: Uint8Array;
  /** Predicted probability per class, index = class id. */
  probabilities: ArrayLike<number>;
  trueLabel: number;
  model?: ReportExample['model'];
  config?: FeatureConfig;
  /** Bins of the downsampled spectrogram. @default REPORT_SPECTROGRAM_BINS */
  bins?: number;
}

/**
 * The report example of one clip.
 * @throws AudioError (from the decoder) when the file is not analysable audio
 */
export function buildReportExample(input: ExampleInput): ReportExample {
  const config = input.config ?? DEFAULT_FEATURE_CONFIG;
  const samples = loadSegment(decodeWav(input.bytes, { maxFileBytes: config.maxFileBytes, maxDurationSeconds: config.maxDurationSeconds }), config);
  const spec = powerSpectrogram(samples, config.nFft, config.hopLength);
  const { means } = frameMeansDb(spec, config.amin, config.topDb);

  // dB as librosa.amplitude_to_db(S, ref=0): 10·log10(max(|S|², amin²)) − 10·log10(amin²), floored at max − top_db.
  const aminPower = config.amin * config.amin;
  const offsetDb = -10 * Math.log10(aminPower);
  const maxDb = 10 * Math.log10(Math.max(spec.maxPower, aminPower)) + offsetDb;
  const floorDb = maxDb - config.topDb;
  const outBins = Math.min(input.bins ?? REPORT_SPECTROGRAM_BINS, spec.bins);
  const values = new Float32Array(spec.frames * outBins);
  for (let f = 0; f < spec.frames; f++) {
    for (let b = 0; b < outBins; b++) {
      const lo = Math.floor((b * spec.bins) / outBins);
      const hi = Math.max(lo + 1, Math.floor(((b + 1) * spec.bins) / outBins));
      let sum = 0;
      for (let i = lo; i < hi; i++) sum += Math.max(floorDb, 10 * Math.log10(Math.max(spec.power[f * spec.bins + i]!, aminPower)) + offsetDb);
      values[f * outBins + b] = sum / (hi - lo);
    }
  }
  return {
    file: input.file,
    ...(input.model ? { model: input.model } : {}),
    samples,
    sampleRate: config.sampleRate,
    dbSpectrogram: { frames: spec.frames, bins: outBins, values, maxFrequencyHz: config.sampleRate / 2, hopSeconds: config.hopLength / config.sampleRate },
    frameMeans: means,
    probabilities: input.probabilities,
    trueLabel: input.trueLabel,
  };
}
