/**
 * The analysed window, chosen the way `librosa.load(offset=…, duration=…)` does with soundfile:
 * seek to int(offset · sr) and read int(duration · sr) frames (Python int() truncates), fewer at the end.
 */
import { DEFAULT_FEATURE_CONFIG, type FeatureConfig } from '../config';
import { AudioError, ErrorCode } from '../errors';

/** Frame range [start, end) of a recording, in native sample frames. */
export interface SegmentRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Native frames to read for the analysed window.
 * @param totalFrames frames in the recording (per channel)
 * @param sampleRate native rate, Hz
 * @throws AudioError TOO_SHORT when the recording ends before the offset, NO_SAMPLES when the window is empty
 */
export function segmentRange(totalFrames: number, sampleRate: number, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): SegmentRange {
  const start = Math.trunc(config.offsetSeconds * sampleRate);
  const length = Math.trunc(config.durationSeconds * sampleRate);
  if (totalFrames < start) {
    throw new AudioError(
      ErrorCode.TOO_SHORT,
      `Recording is ${(totalFrames / sampleRate).toFixed(3)} s long; the analysis window starts at ${config.offsetSeconds} s.`,
      { suggestion: `Upload a recording longer than ${config.offsetSeconds} s (the recipe analyses ${config.durationSeconds} s from ${config.offsetSeconds} s).` },
    );
  }
  const end = Math.min(totalFrames, start + length);
  if (end <= start) {
    throw new AudioError(ErrorCode.NO_SAMPLES, `No samples in the analysis window (${config.offsetSeconds} s + ${config.durationSeconds} s).`, {
      suggestion: `Upload a recording longer than ${config.offsetSeconds} s with audio after that point.`,
    });
  }
  return { start, end };
}
