/**
 * A served model in memory: its tfjs layers model (loaded from the layers-format artifacts in the bucket with
 * tfjs-core + tfjs-layers only, so the predict bundle carries no tfjs-node, converter or data) and the
 * preprocessing saved beside it (validated: a model whose preprocessing does not fit it is refused, not served).
 */
import { io, tensor, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { extractorVersion } from '../config';
import { ErrorCode, SerError } from '../errors';
import type { Preprocessing, ServedPointer } from '../types';
import { readObject } from './s3-objects';

const finite = z.number().finite();

/** Schema of models/<runId>/preprocessing.json (the Preprocessing contract). */
export const PreprocessingSchema = z.object({
  extractorVersion: z.string().min(1),
  featureConfig: z.object({
    sampleRate: finite.positive(),
    offsetSeconds: finite.min(0),
    durationSeconds: finite.positive(),
    nFft: z.number().int().positive(),
    hopLength: z.number().int().positive(),
    topDb: finite.positive(),
    amin: finite.positive(),
    maxFileBytes: z.number().int().positive(),
    maxDurationSeconds: finite.positive(),
  }),
  columns: z.array(z.string().regex(/^(f\d+|intensity|male)$/)).min(1),
  fill: z.literal('floor_db'),
  scaler: z.object({ min: z.array(finite), max: z.array(finite) }),
  labels: z.array(z.string().min(1)).min(2),
  needs: z.object({ intensity: z.boolean(), male: z.boolean() }),
});

export interface ServedModel {
  /** `<runId>.<model>` */
  version: string;
  pointer: ServedPointer;
  preprocessing: Preprocessing;
  /**
   * Class probabilities for one scaled input row.
   * @param row float32, length = preprocessing.columns.length
   * @returns probabilities, length = preprocessing.labels.length
   */
  predict(row: Float32Array): Float32Array;
  dispose(): void;
}

/** The served model cannot be used: answered 503 like "no model", with what is wrong. */
function unavailable(pointer: ServedPointer, why: string, cause?: unknown): SerError {
  return new SerError(ErrorCode.NO_MODEL, `The served model ${pointer.version} cannot be loaded: ${why}`, {
    suggestion: 'Promote another model version (POST /models/{version}/promote) or retrain.',
    ...(cause === undefined ? {} : { cause }),
  });
}

function parseJson(bytes: Uint8Array): unknown {
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Check the preprocessing fits the model (columns ↔ input size, labels ↔ output size, same feature recipe). */
export function checkPreprocessing(preprocessing: Preprocessing, inputSize: number, outputSize: number): string | undefined {
  const n = preprocessing.columns.length;
  if (preprocessing.scaler.min.length !== n || preprocessing.scaler.max.length !== n) return `scaler has ${preprocessing.scaler.min.length}/${preprocessing.scaler.max.length} columns, expected ${n}`;
  if (inputSize !== n) return `model takes ${inputSize} inputs but preprocessing lists ${n} columns`;
  if (outputSize !== preprocessing.labels.length) return `model outputs ${outputSize} classes but preprocessing lists ${preprocessing.labels.length} labels`;
  for (const need of ['intensity', 'male'] as const) {
    if (preprocessing.needs[need] !== preprocessing.columns.includes(need)) return `needs.${need} disagrees with the columns`;
  }
  const recipe = extractorVersion(preprocessing.featureConfig);
  if (recipe !== preprocessing.extractorVersion) return `its extractor version ${preprocessing.extractorVersion} is not what this code computes for its feature config (${recipe})`;
  return undefined;
}

/**
 * Load the model a pointer names: models/<runId>/preprocessing.json and models/<runId>/<model>/model.json + weights.
 * @throws SerError NO_MODEL (503) when an artifact is missing or inconsistent
 */
export async function loadServedModel(s3: S3Client, bucket: string, pointer: ServedPointer): Promise<ServedModel> {
  const prefix = pointer.artifactPrefix.endsWith('/') ? pointer.artifactPrefix : `${pointer.artifactPrefix}/`;
  const modelDir = `${prefix}${pointer.model}/`;
  const [prepBytes, modelJsonBytes] = await Promise.all([readObject(s3, bucket, `${prefix}preprocessing.json`), readObject(s3, bucket, `${modelDir}model.json`)]);
  if (!prepBytes) throw unavailable(pointer, `s3://${bucket}/${prefix}preprocessing.json is missing`);
  if (!modelJsonBytes) throw unavailable(pointer, `s3://${bucket}/${modelDir}model.json is missing`);

  const prep = PreprocessingSchema.safeParse(parseJson(prepBytes));
  if (!prep.success) throw unavailable(pointer, `preprocessing.json is invalid (${prep.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  const preprocessing = prep.data as Preprocessing;

  const modelJson = parseJson(modelJsonBytes) as io.ModelJSON;
  const handler: io.IOHandler = {
    load: () =>
      io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        // Manifest paths are relative to model.json ('./weights.bin' as tfjs writes them).
        const paths = manifest.flatMap((group) => group.paths).map((p) => p.replace(/^(\.\/)+/, ''));
        const parts = await Promise.all(paths.map((p) => readObject(s3, bucket, `${modelDir}${p}`)));
        const missing = paths.filter((_, i) => !parts[i]);
        if (missing.length) throw unavailable(pointer, `weights ${missing.join(', ')} missing under s3://${bucket}/${modelDir}`);
        const specs = manifest.flatMap((group) => group.weights);
        const data = io.concatenateArrayBuffers(parts.map((b) => b!.buffer.slice(b!.byteOffset, b!.byteOffset + b!.byteLength) as ArrayBuffer));
        return [specs, data];
      }),
  };
  let model: LayersModel;
  try {
    model = await loadLayersModel(handler);
  } catch (error) {
    if (error instanceof SerError) throw error;
    throw unavailable(pointer, `model.json could not be read by tfjs (${(error as Error).message})`, error);
  }

  const inputShape = model.inputs[0]!.shape.slice(1) as number[];
  const outputShape = model.outputs[0]!.shape.slice(1) as number[];
  const inputSize = inputShape.reduce((a, b) => a * b, 1);
  const problem = checkPreprocessing(preprocessing, inputSize, outputShape.reduce((a, b) => a * b, 1));
  if (problem) {
    model.dispose();
    throw unavailable(pointer, problem);
  }

  const predict = (row: Float32Array): Float32Array =>
    tidy(() => {
      const out = model.predict(tensor(row, [1, ...inputShape], 'float32')) as Tensor;
      // Copy: the backend's array must not outlive the tidy scope.
      return Float32Array.from(out.dataSync());
    });
  // One inference now, so the first request does not pay for the kernels' first run.
  predict(new Float32Array(inputSize));
  return { version: pointer.version, pointer, preprocessing, predict, dispose: () => model.dispose() };
}
