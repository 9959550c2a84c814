import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startLocalServers, type LocalServers } from '../../../cli/local/servers';
import { EMOTIONS, EXTRACTOR_VERSION, INPUT_COLUMNS, NUM_CLASSES } from '../../../shared/config';
import { formatDatasetCsv, DATASET_CSV_COLUMNS } from '../../../shared/dataset/dataset-csv';
import { countPerClass, SKIP_REASONS, type DatasetManifest, type SkipCounts } from '../../../shared/dataset/manifest';
import { seededRandom } from '../../../shared/dataset/rng';
import { loadModelFromBytes } from '../../../shared/models/artifacts';
import type { Preprocessing, RunMetrics } from '../../../shared/types';
import * as tf from '@tensorflow/tfjs';

const repoRoot = resolve(import.meta.dirname, '../../..');
const EXAMPLE_WAV = '03-01-05-02-02-01-02.wav';
const runId = 'run-20260101-000000-abcdef';
const prefix = `datasets/${runId}/`;
let servers: LocalServers;

/** A tiny separable dataset (scaled inputs in [0, 1]): class c lifts inputs 16c … 16c+15. */
function rows(count: number, seed: number) {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, r) => {
    const emotion = r % NUM_CLASSES;
    const inputs = Float32Array.from(INPUT_COLUMNS, (_, i) => 0.3 * random() + (i >= 16 * emotion && i < 16 * emotion + 16 ? 0.7 : 0));
    return { file: `audio/clip-${seed}-${r}.wav`, emotion, inputs };
  });
}

function manifest(train: ReturnType<typeof rows>, test_: ReturnType<typeof rows>): DatasetManifest {
  return {
    formatVersion: 1,
    runId,
    createdAt: new Date().toISOString(),
    snapshotTime: new Date().toISOString(),
    extractorVersion: EXTRACTOR_VERSION,
    files: { train: 'train.csv', test: 'test.csv' },
    csvColumns: [...DATASET_CSV_COLUMNS],
    columns: [...INPUT_COLUMNS],
    labels: [...EMOTIONS],
    fill: 'floor_db',
    fillRule: 'floor dB',
    scaler: { min: INPUT_COLUMNS.map(() => -80), max: INPUT_COLUMNS.map(() => 20), fittedOn: 'train' },
    split: { mode: 'random', seed: 1, testFraction: 0.2 },
    counts: { train: countPerClass(train.map((r) => r.emotion)), test: countPerClass(test_.map((r) => r.emotion)) },
    skipped: { ...(Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as SkipCounts), total: 0 },
    sources: {},
  };
}

function runTrainer(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'functions/train/main.ts'], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SER_TF_BACKEND: 'cpu', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

async function get(key: string): Promise<Uint8Array> {
  const out = await servers.clients.s3.send(new GetObjectCommand({ Bucket: servers.names.bucket, Key: key }));
  return out.Body!.transformToByteArray();
}

before(async () => {
  servers = await startLocalServers();
  const train = rows(64, 1);
  const test_ = rows(16, 2);
  const put = (key: string, body: string) => servers.clients.s3.send(new PutObjectCommand({ Bucket: servers.names.bucket, Key: key, Body: body }));
  await put(`${prefix}train.csv`, formatDatasetCsv(train));
  await put(`${prefix}test.csv`, formatDatasetCsv(test_));
  await put(`${prefix}manifest.json`, JSON.stringify(manifest(train, test_)));
  // The first test row's audio, so the report draws its example (waveform, spectrogram, probabilities).
  const wav = await readFile(resolve(repoRoot, '../shared/ravdess/wav', EXAMPLE_WAV));
  await servers.clients.s3.send(new PutObjectCommand({ Bucket: servers.names.bucket, Key: test_[0]!.file, Body: wav }));
});

after(async () => servers?.close());

test('the trainer entry point trains from the bucket and writes models, preprocessing, metrics and report', async () => {
  const { code, stdout, stderr } = await runTrainer({
    ...servers.env,
    SER_RUN_ID: runId,
    SER_DATASET_PREFIX: prefix,
    SER_TRAIN_PARAMS: JSON.stringify({ epochs: 2, split: 'random', seed: 3, models: ['perceptron', 'conv1d'] }),
  });
  assert.equal(code, 0, stderr);
  const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const epochs = lines.filter((l) => l.message === 'epoch');
  assert.deepEqual(epochs.map((l) => `${l.model}:${l.epoch}`), ['perceptron:1', 'perceptron:2', 'conv1d:1', 'conv1d:2']);
  assert.ok(epochs.every((l) => Number.isFinite(l.loss) && Number.isFinite(l.valAcc)));

  const metrics = JSON.parse(new TextDecoder().decode(await get(`models/${runId}/metrics.json`))) as RunMetrics;
  assert.equal(metrics.runId, runId);
  assert.deepEqual(metrics.models.map((m) => m.model), ['perceptron', 'conv1d']);
  assert.equal(metrics.trainCount, 64);
  assert.equal(metrics.testCount, 16);
  assert.equal(metrics.backend, 'cpu');
  assert.ok(metrics.models.some((m) => m.model === metrics.candidate));
  for (const m of metrics.models) {
    assert.equal(m.history.valAcc.length, 2);
    assert.equal(m.confusion.flat().reduce((a, b) => a + b, 0), 16);
  }

  const prep = JSON.parse(new TextDecoder().decode(await get(`models/${runId}/preprocessing.json`))) as Preprocessing;
  assert.equal(prep.extractorVersion, EXTRACTOR_VERSION);
  assert.deepEqual(prep.columns, INPUT_COLUMNS);
  assert.deepEqual(prep.needs, { intensity: true, male: true });
  assert.equal(prep.scaler.min.length, 132);

  const html = new TextDecoder().decode(await get(`models/${runId}/report.html`));
  assert.match(html, /<html/i);
  assert.ok(html.includes('audio/clip-2-0.wav'), 'the report shows the first test clip as its example');

  const conv = await loadModelFromBytes({ modelJson: await get(`models/${runId}/conv1d/model.json`), weights: await get(`models/${runId}/conv1d/weights.bin`) });
  assert.equal(conv.layers[0]!.getClassName(), 'Conv1D');
  assert.deepEqual((conv.predict(tf.zeros([1, 132, 1])) as tf.Tensor).shape, [1, 8]);
});

test('the trainer exits 1 with the error code when the dataset is missing', async () => {
  const { code, stderr } = await runTrainer({
    ...servers.env,
    SER_RUN_ID: 'run-20260101-000000-missing',
    SER_DATASET_PREFIX: 'datasets/run-20260101-000000-missing/',
    SER_TRAIN_PARAMS: JSON.stringify({ epochs: 1 }),
  });
  assert.equal(code, 1);
  assert.match(stderr, /INVALID_DATASET: s3:\/\/.*(train\.csv|test\.csv|manifest\.json) does not exist/);
});

test('the trainer exits 1 naming the variables when its environment is incomplete', async () => {
  const { code, stderr } = await runTrainer({ ...servers.env, SER_TRAIN_PARAMS: '{"epochs": 0}' });
  assert.equal(code, 1);
  assert.match(stderr, /INVALID_CONFIG: .*SER_RUN_ID is not set/);
  assert.match(stderr, /SER_TRAIN_PARAMS/);
});
