/**
 * The Train step: datasets/<runId>/{train.csv,test.csv,manifest.json} → train the requested course models →
 * models/<runId>/<model>/{model.json,weights.bin}, preprocessing.json, report.html and, last, metrics.json
 * (its presence means the run's artifacts are complete; Register reads it). Shared by the container entry point
 * (functions/train/main.ts) and the LocalStack Lambda variant (functions/train/handler.ts).
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { readObjectBytes, readObjectText } from '../store/objects';
import type { Logger } from '@aws-lambda-powertools/logger';
import { DEFAULT_FEATURE_CONFIG, EMOTIONS, INPUT_COLUMNS } from '../config';
import { DatasetError, ErrorCode } from '../errors';
import { PREFIX } from '../names';
import type { Preprocessing, RunMetrics, TrainingParams } from '../types';
import { DATASET_FILES, parseManifest, type DatasetManifest } from '../dataset/manifest';
import { parseDatasetCsv } from '../dataset/dataset-csv';
import { MODEL_FILES, saveModelToBytes } from '../models/artifacts';
import { buildReportExample, renderReport, type ReportExample } from '../report';
import { NUM_CLASSES } from '../config';
import { runExperiment } from './experiment';

export interface TrainerJob {
  runId: string;
  /** datasets/<runId>/ (a missing trailing slash is added). */
  datasetPrefix: string;
  params: TrainingParams;
}

export interface TrainerDeps {
  s3: S3Client;
  bucket: string;
  logger: Logger;
}

export interface TrainerResult {
  metrics: RunMetrics;
  /** models/<runId>/ */
  artifactPrefix: string;
  /** Every object written, in order. */
  keys: string[];
}

/** s3 prefix of a run's model artifacts: models/<runId>/ */
export function artifactPrefix(runId: string): string {
  return `${PREFIX.MODELS}${runId}/`;
}

/** preprocessing.json of a run: how a clip becomes the model's input (from the dataset manifest). */
export function preprocessingOf(manifest: DatasetManifest): Preprocessing {
  return {
    extractorVersion: manifest.extractorVersion,
    featureConfig: DEFAULT_FEATURE_CONFIG,
    columns: manifest.columns,
    fill: manifest.fill,
    scaler: { min: manifest.scaler.min, max: manifest.scaler.max },
    labels: manifest.labels,
    needs: { intensity: manifest.columns.includes('intensity'), male: manifest.columns.includes('male') },
  };
}

async function readText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const text = await readObjectText(s3, bucket, key);
  if (text === undefined) {
    throw new DatasetError(ErrorCode.INVALID_DATASET, `s3://${bucket}/${key} does not exist`, { suggestion: 'Run the Assemble step first (it writes datasets/<runId>/).' });
  }
  return text;
}

/**
 * The report's test example: the first test clip (its `file` is the S3 key of the WAV) with the candidate's
 * probabilities. Undefined — the report is drawn without it — when the audio is gone or unreadable.
 */
async function reportExample(deps: TrainerDeps, test: { files: string[]; labels: Int32Array }, model: RunMetrics['candidate'], probabilities: Float32Array): Promise<ReportExample | undefined> {
  const key = test.files[0];
  if (!key) return undefined;
  try {
    const bytes = await readObjectBytes(deps.s3, deps.bucket, key);
    if (!bytes) throw new Error(`s3://${deps.bucket}/${key} does not exist`);
    return buildReportExample({ file: key, bytes, probabilities: probabilities.subarray(0, NUM_CLASSES), trueLabel: test.labels[0]!, model });
  } catch (error) {
    deps.logger.warn('report drawn without the test example', { key, error: (error as Error).message });
    return undefined;
  }
}

/** Download the dataset, train, upload every artifact. Throws SerError (DatasetError, TRAINING_FAILED, …) on failure. */
export async function runTrainer(job: TrainerJob, deps: TrainerDeps): Promise<TrainerResult> {
  const { s3, bucket, logger } = deps;
  const dataset = job.datasetPrefix.endsWith('/') ? job.datasetPrefix : `${job.datasetPrefix}/`;
  const [trainCsv, testCsv, manifestJson] = await Promise.all(
    [DATASET_FILES.train, DATASET_FILES.test, DATASET_FILES.manifest].map((f) => readText(s3, bucket, dataset + f)),
  );
  const manifest = parseManifest(manifestJson!);
  if (manifest.columns.join(',') !== INPUT_COLUMNS.join(',')) {
    throw new DatasetError(ErrorCode.INVALID_DATASET, `manifest columns (${manifest.columns.length}) are not the model inputs f0..f129, intensity, male`);
  }
  const train = parseDatasetCsv(trainCsv!);
  const test = parseDatasetCsv(testCsv!);
  logger.info('dataset loaded', { runId: job.runId, dataset, train: train.count, test: test.count, params: job.params });

  const prefix = artifactPrefix(job.runId);
  const keys: string[] = [];
  const put = async (key: string, body: Uint8Array | string, contentType: string) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    keys.push(key);
  };

  const testProbabilities = new Map<string, Float32Array>();
  const { metrics } = await runExperiment(train, test, {
    runId: job.runId,
    models: job.params.models,
    epochs: job.params.epochs,
    seed: job.params.seed,
    onModelStart: (model, index, total) => logger.info('training model', { runId: job.runId, model, index: index + 1, of: total }),
    onEpoch: (log) => logger.info('epoch', { runId: job.runId, ...log }),
    onModelDone: async (trained) => {
      testProbabilities.set(trained.name, trained.testProbabilities);
      const bytes = await saveModelToBytes(trained.model);
      await put(`${prefix}${trained.name}/${MODEL_FILES.topology}`, bytes.modelJson, 'application/json');
      await put(`${prefix}${trained.name}/${MODEL_FILES.weights}`, bytes.weights, 'application/octet-stream');
      const { accuracy, macroF1, trainSeconds, backend } = trained.metrics;
      logger.info('model trained', { runId: job.runId, model: trained.name, accuracy, macroF1, trainSeconds, backend });
    },
  });
  await put(`${prefix}preprocessing.json`, JSON.stringify(preprocessingOf(manifest), null, 1), 'application/json');
  const example = await reportExample(deps, test, metrics.candidate, testProbabilities.get(metrics.candidate)!);
  await put(`${prefix}report.html`, renderReport({ metrics, example, generatedAt: new Date().toISOString() }), 'text/html; charset=utf-8');
  await put(`${prefix}metrics.json`, JSON.stringify(metrics), 'application/json');
  logger.info('run trained', { runId: job.runId, candidate: metrics.candidate, backend: metrics.backend, labels: EMOTIONS.length });
  return { metrics, artifactPrefix: prefix, keys };
}
