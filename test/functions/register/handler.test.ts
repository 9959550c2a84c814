import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { startLocalServers, type LocalServers } from '../../../cli/local/servers';
import { createRegisterHandler } from '../../../functions/register/handler';
import { RunsRepository } from '../../../shared/store/runs';
import type { ModelName } from '../../../shared/names';

let servers: LocalServers;
let runs: RunsRepository;
let handler: ReturnType<typeof createRegisterHandler>;
before(async () => {
  servers = await startLocalServers();
  runs = new RunsRepository(servers.clients.doc, servers.names.runsTable);
  handler = createRegisterHandler({ s3: servers.clients.s3, runs, bucket: servers.names.bucket, logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }) });
});
after(() => servers.close());

const params = { epochs: 1, split: 'random' as const, seed: 42 };

/** A trained run: the run item (RUNNING) and its metrics.json with the given accuracies. */
async function trainedRun(runId: string, accuracies: Partial<Record<ModelName, number>>): Promise<void> {
  await runs.createRun(runId, params);
  await runs.markRunning(runId);
  const models = Object.entries(accuracies).map(([model, accuracy]) => ({ model, accuracy, macroF1: accuracy! - 0.05, trainSeconds: 2, params: 10, confusion: [], perClass: [], history: { loss: [], acc: [], valLoss: [], valAcc: [] }, backend: 'cpu' }));
  const candidate = models.reduce((a, b) => (b.accuracy! > a.accuracy! ? b : a)).model;
  const metrics = { runId, models, candidate, trainCount: 8, testCount: 2, backend: 'cpu' };
  await servers.clients.s3.send(new PutObjectCommand({ Bucket: servers.names.bucket, Key: `models/${runId}/metrics.json`, Body: JSON.stringify(metrics) }));
}

const dataset = { prefix: 'datasets/x/', trainCount: 8, testCount: 2, skipped: {} };

test('records every model version, promotes the first candidate and marks the run SUCCEEDED', async () => {
  const runId = 'run-20240101-000001-regaaa';
  await trainedRun(runId, { perceptron: 0.4, mlp: 0.55, mlp_tanh_adam: 0.5, conv1d: 0.52 });
  const result = await handler({ runId, params, dataset });
  assert.deepEqual(result, { candidate: `${runId}.mlp`, accuracy: 0.55, promoted: true, served: `${runId}.mlp` });
  const run = await runs.getRun(runId);
  assert.equal(run!.status, 'SUCCEEDED');
  assert.equal(run!.candidate, `${runId}.mlp`);
  assert.equal(run!.promoted, true);
  assert.equal(run!.artifactPrefix, `models/${runId}/`);
  assert.deepEqual(run!.metrics!.map((m) => m.model), ['perceptron', 'mlp', 'mlp_tanh_adam', 'conv1d']);
  assert.equal((await runs.getModelVersion(`${runId}.conv1d`))!.accuracy, 0.52);
  // A retry of the step (Step Functions retries) changes nothing.
  assert.deepEqual(await handler({ runId, params, dataset }), result);
});

test('keeps the better served model for a worse run, and serves it anyway when forced', async () => {
  const worse = 'run-20240101-000002-regbbb';
  await trainedRun(worse, { perceptron: 0.3 });
  const kept = await handler({ runId: worse, params, dataset });
  assert.equal(kept.promoted, false);
  assert.equal(kept.served, 'run-20240101-000001-regaaa.mlp');
  assert.equal((await runs.getRun(worse))!.status, 'SUCCEEDED');

  const forced = 'run-20240101-000003-regccc';
  await trainedRun(forced, { perceptron: 0.2 });
  const result = await handler({ runId: forced, params: { ...params, force: true }, dataset });
  assert.equal(result.promoted, true);
  assert.equal((await runs.getServed())!.version, `${forced}.perceptron`);
});

test('fails with TRAINING_FAILED when metrics.json is missing or malformed, leaving the run RUNNING for MarkFailed', async () => {
  const runId = 'run-20240101-000004-regddd';
  await runs.createRun(runId, params);
  await runs.markRunning(runId);
  await assert.rejects(handler({ runId, params, dataset }), (e: any) => e.name === 'TRAINING_FAILED' && /metrics\.json/.test(e.message));
  await servers.clients.s3.send(new PutObjectCommand({ Bucket: servers.names.bucket, Key: `models/${runId}/metrics.json`, Body: '{"runId":"' + runId + '","models":[],"candidate":"mlp"}' }));
  await assert.rejects(handler({ runId, params, dataset }), (e: any) => e.name === 'TRAINING_FAILED' && /models/.test(e.message));
  assert.equal((await runs.getRun(runId))!.status, 'RUNNING');
});
