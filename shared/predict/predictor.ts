/**
 * The predict pipeline: served pointer (cached, TTL) → model (cached, single flight) → metadata → audio →
 * extractFeatures (the ingest extractor, with the model's own feature config) → fill + scale → predict → response.
 * All I/O arrives as functions, so the same pipeline runs in the Lambda, the local stack and tests.
 */
import type { Emotion, FeatureConfig } from '../config';
import { NoModelError } from '../errors';
import type { ClipFeatures, ServedPointer } from '../types';
import { resolveInputs, type InputSource, type NameParser, type ResolvedInputs } from './metadata';
import { buildModelInput } from './model-input';
import { createModelCache, type ModelCache } from './model-cache';
import { createPointerCache, type PointerCache } from './pointer-cache';
import type { PredictRequest } from './request';
import type { ServedModel } from './served-model';
import { warmupWav } from './warmup';

export interface PredictResponse {
  /** Most probable emotion name. */
  emotion: Emotion | string;
  /** Its class id (index into the model's labels, = RAVDESS emotion code − 1). */
  label: number;
  /** Probability of every emotion, by name (sums to 1). */
  probabilities: Record<string, number>;
  /** `<runId>.<model>` of the model that answered. */
  modelVersion: string;
  /** Feature recipe version used (same as the ingest rows the model was trained on). */
  extractorVersion: string;
  /**
   * The metadata inputs the model received, as its input columns (intensity 1 = strong, male 1 = male; null when the
   * model does not use it), and where each came from.
   */
  inputs: {
    intensity: 0 | 1 | null;
    male: 0 | 1 | null;
    source: { intensity: InputSource; male: InputSource };
    /** Where the audio came from. */
    audio: 'body' | 's3';
  };
}

export interface PredictorDeps {
  /** Read the served pointer (undefined when nothing is served). */
  readPointer(): Promise<ServedPointer | undefined>;
  /** Load a served model's artifacts. */
  loadModel(pointer: ServedPointer): Promise<ServedModel>;
  /** Read an audio object by key (bounded by maxBytes). */
  readAudio(key: string, maxBytes: number): Promise<Uint8Array>;
  /** The ingest extractor. */
  extract(bytes: Uint8Array, config: FeatureConfig): ClipFeatures;
  /** RAVDESS name parser. */
  parseName: NameParser;
  /** Seconds the pointer is cached. */
  pointerTtlSeconds: number;
  /** Largest audio object accepted by key, bytes. */
  maxAudioBytes: number;
  /** Clock, ms (tests). */
  now?: () => number;
  /** Told when a pointer refresh failed and the previous pointer was kept. */
  onStalePointer?: (error: unknown) => void;
}

export interface WarmOptions {
  /** Also run the extractor once so the first request finds its code compiled and plans cached. @default true */
  extractor?: boolean;
}

export interface Predictor {
  predict(request: PredictRequest): Promise<PredictResponse>;
  /**
   * Load the served model and (unless `extractor: false`) run the extractor once on a synthetic WAV (warm-up);
   * resolves to the version, or undefined when none is served.
   */
  warm(options?: WarmOptions): Promise<string | undefined>;
  readonly pointers: PointerCache;
  readonly models: ModelCache<ServedModel>;
}

/** Round to float32 precision as a plain number (keeps JSON short without losing what the model computed). */
const f32 = (x: number) => Number(Math.fround(x).toPrecision(8));

function describeInputs(inputs: ResolvedInputs, audio: 'body' | 's3'): PredictResponse['inputs'] {
  return {
    intensity: inputs.intensity ?? null,
    male: inputs.male ?? null,
    source: { ...inputs.source },
    audio,
  };
}

export function createPredictor(deps: PredictorDeps): Predictor {
  const pointers = createPointerCache(deps.readPointer, { ttlSeconds: deps.pointerTtlSeconds, now: deps.now, onStale: deps.onStalePointer });
  // Pointers are looked up by version; the loader gets the full pointer through this side table.
  const pending = new Map<string, ServedPointer>();
  const models = createModelCache<ServedModel>((version) => deps.loadModel(pending.get(version)!));

  const servedPointer = async (): Promise<ServedPointer> => {
    const pointer = await pointers.get();
    if (!pointer) throw new NoModelError();
    pending.set(pointer.version, pointer);
    return pointer;
  };

  return {
    pointers,
    models,
    async warm({ extractor = true } = {}) {
      const pointer = await pointers.get();
      if (!pointer) return undefined;
      pending.set(pointer.version, pointer);
      return models.withModel(pointer.version, (m) => {
        // Run the extractor once too: the first real request then finds its code compiled and its plans cached.
        if (extractor) deps.extract(warmupWav(), m.preprocessing.featureConfig);
        return m.version;
      });
    },
    async predict(request) {
      const pointer = await servedPointer();
      return models.withModel(pointer.version, async (model) => {
        const { preprocessing } = model;
        // A body is checked as audio first (a damaged file is the more basic mistake to report); for an s3Key the
        // metadata is checked first, so a request missing a field fetches nothing.
        const resolve = () => resolveInputs(preprocessing.needs, request, deps.parseName);
        let inputs = request.audio.kind === 's3' ? resolve() : undefined;
        const bytes = request.audio.kind === 'body' ? request.audio.bytes : await deps.readAudio(request.audio.key, deps.maxAudioBytes);
        const clip = deps.extract(bytes, preprocessing.featureConfig);
        inputs ??= resolve();
        const probs = model.predict(buildModelInput(clip, preprocessing, inputs));
        let label = 0;
        for (let i = 1; i < probs.length; i++) if (probs[i]! > probs[label]!) label = i;
        const probabilities: Record<string, number> = {};
        preprocessing.labels.forEach((name, i) => (probabilities[name] = f32(probs[i]!)));
        return {
          emotion: preprocessing.labels[label]!,
          label,
          probabilities,
          modelVersion: model.version,
          extractorVersion: preprocessing.extractorVersion,
          inputs: describeInputs(inputs, request.audio.kind),
        };
      });
    },
  };
}
