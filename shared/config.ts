/**
 * The feature recipe of the course (librosa defaults) — the one home of every audio constant.
 * Infra, functions, CLI and tests import from here; nothing else hard-codes 22050, 2048, 130, …
 */
import { createHash } from 'node:crypto';

export interface FeatureConfig {
  /** Output sample rate after resampling, Hz. */
  readonly sampleRate: number;
  /** Start of the analysed window, seconds from the start of the file. */
  readonly offsetSeconds: number;
  /** Length of the analysed window, seconds. */
  readonly durationSeconds: number;
  /** FFT size, samples (also the Hann window length). */
  readonly nFft: number;
  /** Hop between frames, samples. */
  readonly hopLength: number;
  /** Dynamic range kept below the clip's maximum, dB. */
  readonly topDb: number;
  /** Magnitude floor before the log (librosa's amin). */
  readonly amin: number;
  /** Largest accepted upload, bytes. */
  readonly maxFileBytes: number;
  /** Longest accepted recording, seconds (at its native rate). */
  readonly maxDurationSeconds: number;
}

export const DEFAULT_FEATURE_CONFIG: FeatureConfig = Object.freeze({
  sampleRate: 22_050,
  offsetSeconds: 0.5,
  durationSeconds: 3.0,
  nFft: 2048,
  hopLength: 512,
  topDb: 80,
  amin: 1e-5,
  maxFileBytes: 100 * 1024 * 1024,
  maxDurationSeconds: 600,
});

/** Frames of a full window: 1 + floor(sampleRate·duration / hop) with centred frames (130 for the course values). */
export function frameCount(config: FeatureConfig = DEFAULT_FEATURE_CONFIG): number {
  return 1 + Math.floor(Math.round(config.sampleRate * config.durationSeconds) / config.hopLength);
}

/** Number of frame-mean features per clip (130). */
export const FRAME_COUNT = frameCount();

/** Names of the frame features, f0 … f129. */
export const FRAME_COLUMNS: readonly string[] = Array.from({ length: FRAME_COUNT }, (_, i) => `f${i}`);

/** Model inputs in order: 130 frame means, then intensity (0/1) and male (0/1) = 132. */
export const INPUT_COLUMNS: readonly string[] = [...FRAME_COLUMNS, 'intensity', 'male'];

/** Emotion labels, index = class id (RAVDESS emotion code − 1). */
export const EMOTIONS = ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'] as const;
export type Emotion = (typeof EMOTIONS)[number];
export const NUM_CLASSES = EMOTIONS.length;

/** Version of the feature recipe: rows extracted with another config are not mixed into a training set. */
export function extractorVersion(config: FeatureConfig = DEFAULT_FEATURE_CONFIG): string {
  const recipe = [config.sampleRate, config.offsetSeconds, config.durationSeconds, config.nFft, config.hopLength, config.topDb, config.amin];
  return `v1-${createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 12)}`;
}

export const EXTRACTOR_VERSION = extractorVersion();
