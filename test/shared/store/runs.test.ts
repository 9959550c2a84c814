import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServers, type LocalServers } from '../../../cli/local/servers';
import { MODEL_NAMES, modelVersion } from '../../../shared/names';
import { newRunId, RunsRepository, type ModelVersionItem } from '../../../shared/store/runs';
import { RUN_ID_PATTERN } from '../../../shared/registry/params';

let servers: LocalServers;
let runs: RunsRepository;
let table = 0;
before(async () => {
  servers = await startLocalServers();
});
after(() => servers.close());

/** A fresh runs table per test, so tests do not see each other's pointer. */
async function freshRepository(): Promise<RunsRepository> {
  const { CreateTableCommand } = await import('@aws-sdk/client-dynamodb');
  const { createTableInput, RUNS_TABLE_SCHEMA } = await import('../../../shared/store/tables');
  const name = `runs-${++table}`;
  await servers.clients.ddb.send(new CreateTableCommand(createTableInput(name, RUNS_TABLE_SCHEMA)));
  return new RunsRepository(servers.clients.doc, name);
}

const params = { epochs: 5, split: 'random' as const, seed: 42 };

test('makes run ids like run-YYYYMMDD-HHMMSS-xxxxxx from UTC time', () => {
  const id = newRunId(new Date('2024-05-01T12:34:56.789Z'));
  assert.match(id, /^run-20240501-123456-[0-9a-z]{6}$/);
  assert.match(id, RUN_ID_PATTERN);
  assert.notEqual(newRunId(), newRunId());
});

test('walks a run PENDING → RUNNING → SUCCEEDED and refuses to fail it afterwards', async () => {
  runs = await freshRepository();
  const runId = 'run-20240101-000000-aaaaaa';
  await runs.createRun(runId, params, new Date('2024-01-01T00:00:00Z'));
  await assert.rejects(runs.createRun(runId, params), (e: any) => e.code === 'CONFLICT');
  assert.equal((await runs.getRun(runId))!.status, 'PENDING');
  await runs.markRunning(runId, new Date('2024-01-01T00:00:01Z'));
  await runs.markRunning(runId, new Date('2024-01-01T00:00:09Z'));
  await runs.recordDataset(runId, { prefix: `datasets/${runId}/`, trainCount: 8, testCount: 2 });
  const metrics = [{ model: 'mlp' as const, accuracy: 0.5, macroF1: 0.4, trainSeconds: 1 }];
  await runs.markSucceeded(runId, { metrics, candidate: `${runId}.mlp`, promoted: true, artifactPrefix: `models/${runId}/` }, new Date('2024-01-01T00:01:00Z'));
  assert.equal(await runs.markFailed(runId, { code: 'INTERNAL', message: 'late' }), false);
  const run = await runs.getRun(runId);
  assert.deepEqual(run, {
    runId,
    status: 'SUCCEEDED',
    params,
    createdAt: '2024-01-01T00:00:00.000Z',
    startedAt: '2024-01-01T00:00:01.000Z',
    finishedAt: '2024-01-01T00:01:00.000Z',
    datasetPrefix: `datasets/${runId}/`,
    trainCount: 8,
    testCount: 2,
    metrics,
    candidate: `${runId}.mlp`,
    promoted: true,
    artifactPrefix: `models/${runId}/`,
  });
});

test('marks a running run FAILED with its error; a missing run is reported, not created', async () => {
  runs = await freshRepository();
  const runId = 'run-20240101-000000-bbbbbb';
  await runs.createRun(runId, params);
  assert.equal(await runs.markFailed(runId, { code: 'NOT_ENOUGH_DATA', message: 'Only 3 rows' }), true);
  const run = await runs.getRun(runId);
  assert.equal(run!.status, 'FAILED');
  assert.deepEqual(run!.error, { code: 'NOT_ENOUGH_DATA', message: 'Only 3 rows' });
  await assert.rejects(runs.markRunning(runId), (e: any) => e.code === 'CONFLICT' && /FAILED/.test(e.message));
  assert.equal(await runs.markFailed('run-20240101-000000-zzzzzz', { code: 'X', message: 'y' }), false);
  assert.equal(await runs.getRun('run-20240101-000000-zzzzzz'), undefined);
  await assert.rejects(runs.markRunning('run-20240101-000000-zzzzzz'), (e: any) => e.code === 'NOT_FOUND');
});

test('lists runs and models newest first, page by page', async () => {
  runs = await freshRepository();
  for (let i = 0; i < 5; i++) await runs.createRun(`run-20240101-00000${i}-cccccc`, params, new Date(Date.UTC(2024, 0, 1, 0, 0, i)));
  const first = await runs.listRuns({ limit: 2 });
  assert.deepEqual(first.items.map((r) => r.runId), ['run-20240101-000004-cccccc', 'run-20240101-000003-cccccc']);
  assert.ok(first.next);
  const second = await runs.listRuns({ limit: 10, next: first.next });
  assert.deepEqual(second.items.map((r) => r.runId), ['run-20240101-000002-cccccc', 'run-20240101-000001-cccccc', 'run-20240101-000000-cccccc']);
  await assert.rejects(runs.listRuns({ next: 'garbage!' }), (e: any) => e.code === 'INVALID_REQUEST');
  await runs.putModelVersions('run-20240101-000000-cccccc', [{ model: 'mlp', accuracy: 0.5, macroF1: 0.5 }], 'models/run-20240101-000000-cccccc/', new Date('2024-01-01T00:00:00Z'));
  await runs.putModelVersions('run-20240101-000001-cccccc', [{ model: 'conv1d', accuracy: 0.6, macroF1: 0.5 }], 'models/run-20240101-000001-cccccc/', new Date('2024-01-02T00:00:00Z'));
  const models = await runs.listModels();
  assert.deepEqual(models.items.map((m) => m.version), ['run-20240101-000001-cccccc.conv1d', 'run-20240101-000000-cccccc.mlp']);
  assert.equal((await runs.listRuns()).items.length, 5, 'model items are not listed as runs');
});

function version(i: number, accuracy: number): ModelVersionItem {
  const runId = `run-20240101-0000${String(i).padStart(2, '0')}-dddddd`;
  const model = MODEL_NAMES[i % MODEL_NAMES.length]!;
  return { version: modelVersion(runId, model), runId, model, accuracy, macroF1: accuracy, artifactPrefix: `models/${runId}/`, createdAt: '2024-01-01T00:00:00.000Z' };
}

test('promotes a candidate only when at least as accurate as the served one, unless forced', async () => {
  runs = await freshRepository();
  assert.equal(await runs.getServed(), undefined);
  assert.equal((await runs.promote(version(1, 0.5))).promoted, true);
  const worse = await runs.promote(version(2, 0.4));
  assert.equal(worse.promoted, false);
  assert.equal(worse.served.version, version(1, 0.5).version);
  const equal = await runs.promote(version(3, 0.5));
  assert.equal(equal.promoted, true);
  assert.equal(equal.previous!.version, version(1, 0.5).version);
  const forced = await runs.promote(version(2, 0.4), { force: true });
  assert.equal(forced.promoted, true);
  assert.equal(forced.served.forced, true);
  const served = await runs.getServed();
  assert.equal(served!.version, version(2, 0.4).version);
  assert.equal(served!.accuracy, 0.4);
  assert.deepEqual(Object.keys(served!).sort(), ['accuracy', 'artifactPrefix', 'forced', 'model', 'promotedAt', 'runId', 'version']);
});

test('concurrent promotions end at the most accurate candidate, with no lost update', async () => {
  runs = await freshRepository();
  const accuracies = Array.from({ length: 40 }, (_, i) => ((i * 37) % 40) / 40 + 0.001);
  const candidates = accuracies.map((a, i) => version(i, a));
  const results = await Promise.all(candidates.map((c) => runs.promote(c)));
  const best = candidates.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  const served = await runs.getServed();
  assert.equal(served!.version, best.version);
  assert.ok(results.find((r, i) => candidates[i] === best)!.promoted);
  // Every refused candidate was refused because something at least as good was served at that moment.
  results.forEach((r, i) => {
    if (!r.promoted) assert.ok(r.served.accuracy >= candidates[i]!.accuracy);
  });
  // A later forced rollback wins over concurrent unforced worse candidates.
  const rollback = version(50, 0.01);
  await Promise.all([runs.promote(rollback, { force: true }), ...candidates.slice(0, 5).map((c) => runs.promote({ ...c, accuracy: 0.005 }))]);
  assert.equal((await runs.getServed())!.version, rollback.version);
});
