/**
 * Fixtures for predict tests and bench: real RAVDESS WAVs from ../shared, a course model built with the trainer's
 * factory, saved with the trainer's artifact writer into the local S3, registered and promoted with the registry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { extractFeatures } from '../../../shared/audio';
import { DEFAULT_FEATURE_CONFIG, EMOTIONS, EXTRACTOR_VERSION, FRAME_COLUMNS, INPUT_COLUMNS } from '../../../shared/config';
import { buildInputs } from '../../../shared/dataset/inputs';
import { fitMinMax } from '../../../shared/dataset/scaler';
import { buildModel } from '../../../shared/models/architectures';
import { saveModelToBytes, toStandardModel } from '../../../shared/models/artifacts';
import { PREFIX, type ModelName } from '../../../shared/names';
import { parseRavdessName } from '../../../shared/ravdess';
import { RunsRepository } from '../../../shared/store/runs';
import type { ClipFeatures, Preprocessing, RavdessLabels } from '../../../shared/types';
import type { LocalServers } from '../../../cli/local/servers';
import type * as tfTypes from '@tensorflow/tfjs';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const WAV_DIR = resolve(REPO_ROOT, '../shared/ravdess/wav');

export interface Clip {
  name: string;
  bytes: Uint8Array;
  labels: RavdessLabels;
  features: ClipFeatures;
}

/** The real WAVs of ../shared/ravdess/wav with their labels and features. */
export function loadClips(limit = Infinity): Clip[] {
  return readdirSync(WAV_DIR)
    .filter((f) => f.endsWith('.wav'))
    .sort()
    .slice(0, limit)
    .map((name) => {
      const bytes = new Uint8Array(readFileSync(join(WAV_DIR, name)));
      return { name, bytes, labels: parseRavdessName(name)!, features: extractFeatures(bytes) };
    });
}

/** Preprocessing for the course inputs (or frames only), scaler fitted on the clips' unscaled rows. */
export function preprocessingFor(clips: Clip[], withMetadata = true): Preprocessing {
  const columns = withMetadata ? [...INPUT_COLUMNS] : [...FRAME_COLUMNS];
  const rows = clips.map((c) => buildInputs({ ...c.features, intensity: c.labels.intensity, male: c.labels.male }).subarray(0, columns.length));
  return {
    extractorVersion: EXTRACTOR_VERSION,
    featureConfig: DEFAULT_FEATURE_CONFIG,
    columns,
    fill: 'floor_db',
    scaler: fitMinMax(rows, columns.length),
    labels: [...EMOTIONS],
    needs: { intensity: withMetadata, male: withMetadata },
  };
}

export interface Published {
  version: string;
  model: tfTypes.LayersModel;
  preprocessing: Preprocessing;
}

/**
 * Build a course model (trainer's factory, seeded, untrained: its outputs are still a deterministic function of the
 * row), save it with the trainer's artifact writer to s3://bucket/models/<runId>/, record and promote it.
 */
export async function publishModel(servers: LocalServers, runId: string, name: ModelName, preprocessing: Preprocessing, options: { seed?: number; accuracy?: number } = {}): Promise<Published> {
  const built = buildModel(name, { inputLength: preprocessing.columns.length, seed: options.seed ?? 1 });
  const model = toStandardModel(name, built);
  const { modelJson, weights } = await saveModelToBytes(model);
  const prefix = `${PREFIX.MODELS}${runId}/`;
  const put = (key: string, body: Uint8Array | string) => servers.clients.s3.send(new PutObjectCommand({ Bucket: servers.names.bucket, Key: key, Body: body }));
  await Promise.all([put(`${prefix}preprocessing.json`, JSON.stringify(preprocessing)), put(`${prefix}${name}/model.json`, modelJson), put(`${prefix}${name}/weights.bin`, weights)]);
  const runs = new RunsRepository(servers.clients.doc, servers.names.runsTable);
  const [item] = await runs.putModelVersions(runId, [{ model: name, accuracy: options.accuracy ?? 0.5, macroF1: 0.5 }], prefix);
  await runs.promote(item!, { force: true });
  return { version: item!.version, model, preprocessing };
}

/** An API Gateway REST v1 proxy event for POST /predict. */
export function predictEvent(options: { body?: Uint8Array | string; contentType?: string; query?: Record<string, string>; method?: string; path?: string; headers?: Record<string, string> }): APIGatewayProxyEvent {
  const binary = options.body instanceof Uint8Array;
  return {
    resource: '/predict',
    path: options.path ?? '/predict',
    httpMethod: options.method ?? 'POST',
    headers: { ...(options.contentType ? { 'Content-Type': options.contentType } : {}), ...options.headers },
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: options.body === undefined ? null : binary ? Buffer.from(options.body as Uint8Array).toString('base64') : (options.body as string),
    isBase64Encoded: binary,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
}
