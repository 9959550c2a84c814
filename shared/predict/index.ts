/**
 * The predictor wired to the bucket and the runs table: what the Lambda and the local stack serve.
 * Only tfjs-core, tfjs-layers and the cpu backend are imported (the bundle stays small; see docs/predict.md).
 */
import '@tensorflow/tfjs-backend-cpu';
import { enableProdMode } from '@tensorflow/tfjs-core';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { extractFeatures } from '../audio';
import { parseRavdessName } from '../ravdess';
import { RunsRepository } from '../store/runs';
import { createPredictor, type Predictor } from './predictor';
import { readAudioObject } from './s3-objects';
import { loadServedModel } from './served-model';

// The cpu backend is chosen on purpose here (small bundle, fast cold start): no "install tfjs-node" banner in the
// function's logs, and no debug-mode checks on the hot path.
enableProdMode();

export { createPredictor, type Predictor, type PredictResponse, type WarmOptions } from './predictor';
export { parsePredictRequest, PREDICT_PATH, type PredictRequest } from './request';
export { errorResponse, fromApiGatewayEvent, jsonResponse, toApiGatewayResult, type HttpRequest, type HttpResponse } from './http';

/** Largest synchronous Lambda request payload, bytes: bigger WAVs must be sent by s3Key. */
export const LAMBDA_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

export interface BucketPredictorOptions {
  s3: S3Client;
  doc: DynamoDBDocumentClient;
  bucket: string;
  runsTable: string;
  /** Seconds the served pointer is cached. */
  pointerTtlSeconds: number;
  /** Largest audio object read by s3Key, bytes. */
  maxAudioBytes: number;
  onStalePointer?: (error: unknown) => void;
  /** Clock in milliseconds for the pointer TTL (injectable for tests). */
  now?: () => number;
}

/** A predictor reading the served pointer from the runs table and models/audio from the bucket. */
export function createBucketPredictor(options: BucketPredictorOptions): Predictor {
  const { s3, doc, bucket, runsTable } = options;
  const runs = new RunsRepository(doc, runsTable);
  return createPredictor({
    readPointer: () => runs.getServed(),
    loadModel: (pointer) => loadServedModel(s3, bucket, pointer),
    readAudio: (key, maxBytes) => readAudioObject(s3, bucket, key, maxBytes),
    extract: (bytes, config) => extractFeatures(bytes, config),
    parseName: parseRavdessName,
    pointerTtlSeconds: options.pointerTtlSeconds,
    maxAudioBytes: options.maxAudioBytes,
    ...(options.onStalePointer ? { onStalePointer: options.onStalePointer } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
