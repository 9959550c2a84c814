import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Logger } from '@aws-lambda-powertools/logger';
import { startLocalServers, type LocalServers } from '../../../cli/local/servers';
import { createMarkFailedHandler } from '../../../functions/mark-failed/handler';
import { describeTaskFailure, toTaskError } from '../../../shared/registry/task-failure';
import { DatasetError, ErrorCode } from '../../../shared/errors';
import { RunsRepository } from '../../../shared/store/runs';

let servers: LocalServers;
let runs: RunsRepository;
let handler: ReturnType<typeof createMarkFailedHandler>;
before(async () => {
  servers = await startLocalServers();
  runs = new RunsRepository(servers.clients.doc, servers.names.runsTable);
  handler = createMarkFailedHandler({ runs, logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }) });
});
after(() => servers.close());

const params = { epochs: 1, split: 'random' as const, seed: 42 };

/** What Step Functions' Catch puts at $.error when a Lambda task throws `error`. */
function lambdaCatch(error: Error) {
  return { Error: error.name, Cause: JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: [] }) };
}

test('records the domain code and message of a failed Lambda task on the run', async () => {
  const runId = 'run-20240101-000001-mfaaaa';
  await runs.createRun(runId, params);
  await runs.markRunning(runId);
  const thrown = toTaskError(new DatasetError(ErrorCode.NOT_ENOUGH_DATA, 'Only 3 usable feature rows', { suggestion: 'Upload more.' })) as Error;
  const result = await handler({ runId, params, error: lambdaCatch(thrown) });
  assert.deepEqual(result, { runId, marked: true, error: { code: 'NOT_ENOUGH_DATA', message: 'Only 3 usable feature rows Upload more.' } });
  const run = await runs.getRun(runId);
  assert.equal(run!.status, 'FAILED');
  assert.equal(run!.error!.code, 'NOT_ENOUGH_DATA');
  assert.ok(run!.finishedAt);
});

test('leaves a finished run alone and reports it', async () => {
  const runId = 'run-20240101-000002-mfbbbb';
  await runs.createRun(runId, params);
  await runs.markSucceeded(runId, { metrics: [], candidate: `${runId}.mlp`, promoted: false, artifactPrefix: `models/${runId}/` });
  const result = await handler({ runId, error: { Error: 'States.Timeout', Cause: 'late' } });
  assert.equal(result.marked, false);
  assert.equal((await runs.getRun(runId))!.status, 'SUCCEEDED');
});

test('describes ECS trainer stops, timeouts and unknown errors', () => {
  const ecs = describeTaskFailure({ Error: 'States.TaskFailed', Cause: JSON.stringify({ StoppedReason: 'Essential container in task exited', Containers: [{ Name: 'trainer', ExitCode: 1 }] }) });
  assert.deepEqual(ecs, { code: 'TRAINING_FAILED', message: 'trainer task stopped: Essential container in task exited; container trainer exit code 1' });
  assert.deepEqual(describeTaskFailure({ Error: 'States.Timeout' }), { code: 'TRAINING_FAILED', message: 'States.Timeout' });
  assert.deepEqual(describeTaskFailure(lambdaCatch(new TypeError('x is undefined'))), { code: 'INTERNAL', message: 'TypeError: x is undefined' });
  assert.equal(describeTaskFailure({ Error: 'X', Cause: 'y'.repeat(5000) }).message.length, 2000);
  assert.deepEqual(describeTaskFailure(undefined), { code: 'INTERNAL', message: 'Unknown' });
});
