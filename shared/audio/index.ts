/** Audio: WAV decoding and the librosa-exact feature recipe (see docs/features.md). */
export { decodeWav, type DecodedWav, type WavLimits } from './wav';
export { extractFeatures, featuresFromSamples, loadSegment } from './features';
export { segmentRange, type SegmentRange } from './segment';
export { resample, designResampler, resamplerPlan, librosaOutputLength, soxrOutputLength, type ResamplerPlan } from './resample';
export { powerSpectrogram, periodicHann, stftFrameCount, type PowerSpectrogram } from './stft';
export { frameMeansDb, type FrameMeansDb } from './spectrogram-db';
