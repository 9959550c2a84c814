import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { startLocalServers, LOCAL_CREDENTIALS, LOCAL_REGION, type LocalServers } from '../../../cli/local/servers';
import { createControlHandler } from '../../../functions/control/handler';
import { ConfigError } from '../../../shared/errors';
import { sfnStarter } from '../../../shared/registry/start-run';
import { createClients } from '../../../shared/store/clients';
import { RunsRepository } from '../../../shared/store/runs';
import { startSfnStub, type SfnStub } from './sfn-stub';

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:ser-training';
let servers: LocalServers;
let stub: SfnStub;
let runs: RunsRepository;
let handler: ReturnType<typeof createControlHandler>;

before(async () => {
  servers = await startLocalServers();
  stub = await startSfnStub();
  const { sfn } = createClients({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoints: { sfn: stub.url } });
  runs = new RunsRepository(servers.clients.doc, servers.names.runsTable);
  handler = createControlHandler({ runs, starter: sfnStarter(sfn, ARN), logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }) });
});
after(async () => {
  await stub.close();
  await servers.close();
});

/** A REST v1 proxy event as API Gateway sends it. */
function event(method: string, path: string, body?: string, query?: Record<string, string>): APIGatewayProxyEvent {
  return {
    httpMethod: method,
    path,
    resource: path,
    body: body ?? null,
    isBase64Encoded: false,
    headers: { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
}

async function call(method: string, path: string, body?: string, query?: Record<string, string>) {
  const res = await handler(event(method, path, body, query));
  return { status: res.statusCode, headers: res.headers ?? {}, body: JSON.parse(res.body) };
}

test('POST /training-runs creates a PENDING run with defaults and starts the execution named by its id', async () => {
  const res = await call('POST', '/training-runs', JSON.stringify({ epochs: 3 }));
  assert.equal(res.status, 202);
  assert.match(res.body.runId, /^run-\d{8}-\d{6}-[0-9a-z]{6}$/);
  assert.equal(res.body.status, 'PENDING');
  assert.deepEqual(res.body.params, { epochs: 3, split: 'random', seed: 42 });
  const started = stub.started.at(-1)!;
  assert.deepEqual(started, { stateMachineArn: ARN, name: res.body.runId, input: { runId: res.body.runId, params: { epochs: 3, split: 'random', seed: 42 } } });
  const stored = await runs.getRun(res.body.runId);
  assert.equal(stored!.executionArn, res.body.executionArn);
  const empty = await call('POST', '/training-runs');
  assert.equal(empty.status, 202);
  assert.deepEqual(empty.body.params, { epochs: 250, split: 'random', seed: 42 });
});

test('POST /training-runs answers 400 with field names for bad bodies', async () => {
  for (const [body, pattern] of [
    ['{', /not JSON/],
    ['{"epochs":0}', /epochs/],
    ['{"epochs":5000}', /epochs/],
    ['{"split":"sideways"}', /split/],
    ['{"testActors":[21]}', /testActors only applies to split "actor"/],
    ['{"models":["mlp","resnet"]}', /models/],
    ['{"epoch":3}', /epoch/],
    ['[1]', /body/],
  ] as const) {
    const res = await call('POST', '/training-runs', body);
    assert.equal(res.status, 400, body);
    assert.equal(res.body.code, 'INVALID_REQUEST');
    assert.match(res.body.message, pattern);
    assert.ok(res.body.suggestion);
  }
});

test('marks the run FAILED and answers 502 when Step Functions refuses to start', async () => {
  stub.refuse = true;
  try {
    const res = await call('POST', '/training-runs', '{"split":"actor","testActors":[1,2]}');
    assert.equal(res.status, 502);
    assert.equal(res.body.code, 'WORKFLOW_START_FAILED');
    const failed = (await runs.listRuns({ limit: 1 })).items[0]!;
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error!.code, 'WORKFLOW_START_FAILED');
    assert.deepEqual(failed.params.testActors, [1, 2]);
  } finally {
    stub.refuse = false;
  }
});

test('GET /training-runs lists newest first with a cursor; GET /training-runs/{id} returns one or 404', async () => {
  const page = await call('GET', '/training-runs', undefined, { limit: '2' });
  assert.equal(page.status, 200);
  assert.equal(page.body.runs.length, 2);
  assert.ok(page.body.runs[0].createdAt >= page.body.runs[1].createdAt);
  const rest = await call('GET', '/training-runs', undefined, { limit: '10', next: page.body.next });
  assert.equal(rest.body.runs.length, 1);
  assert.equal((await call('GET', '/training-runs', undefined, { limit: '0' })).status, 400);
  assert.equal((await call('GET', '/training-runs', undefined, { next: '%%%' })).status, 400);
  const one = await call('GET', `/training-runs/${page.body.runs[0].runId}`);
  assert.equal(one.status, 200);
  assert.equal(one.body.runId, page.body.runs[0].runId);
  const missing = await call('GET', '/training-runs/run-20000101-000000-nonexi');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'NOT_FOUND');
});

test('GET /models shows versions and the served one; POST /models/{version}/promote force-promotes or 404s', async () => {
  const a = 'run-20240101-000001-ctlaaa';
  const b = 'run-20240101-000002-ctlbbb';
  await runs.putModelVersions(a, [{ model: 'mlp', accuracy: 0.7, macroF1: 0.6 }], `models/${a}/`, new Date('2024-01-01T00:00:00Z'));
  await runs.putModelVersions(b, [{ model: 'conv1d', accuracy: 0.5, macroF1: 0.4 }], `models/${b}/`, new Date('2024-01-02T00:00:00Z'));
  const none = await call('GET', '/models');
  assert.equal(none.body.served, null);
  assert.deepEqual(none.body.models.map((m: any) => [m.version, m.served]), [[`${b}.conv1d`, false], [`${a}.mlp`, false]]);
  assert.equal((await call('POST', `/models/${a}.mlp/promote`)).status, 200);
  const rollback = await call('POST', `/models/${b}.conv1d/promote`);
  assert.equal(rollback.status, 200);
  assert.equal(rollback.body.promoted, true);
  assert.equal(rollback.body.served.version, `${b}.conv1d`);
  assert.equal(rollback.body.previous.version, `${a}.mlp`);
  const after = await call('GET', '/models');
  assert.equal(after.body.served.version, `${b}.conv1d`);
  assert.deepEqual(after.body.models.map((m: any) => m.served), [true, false]);
  const unknown = await call('POST', '/models/run-20240101-000009-zzzzzz.mlp/promote');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.code, 'NOT_FOUND');
  assert.equal((await call('POST', '/models/not-a-version/promote')).status, 400);
});

test('answers 405 with Allow for a wrong method and 404 for an unknown route', async () => {
  const wrong = await call('DELETE', '/training-runs');
  assert.equal(wrong.status, 405);
  assert.equal(wrong.body.code, 'METHOD_NOT_ALLOWED');
  assert.equal(wrong.headers.allow, 'POST, GET');
  assert.equal((await call('GET', '/models/x/promote')).status, 405);
  const unknown = await call('GET', '/nothing');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.code, 'NOT_FOUND');
});

test('answers 500 INVALID_CONFIG when the environment is incomplete', async () => {
  const broken = createControlHandler(() => {
    throw new ConfigError('SER_RUNS_TABLE is not set');
  });
  const res = await broken(event('GET', '/models'));
  assert.equal(res.statusCode, 500);
  assert.equal(JSON.parse(res.body).code, 'INVALID_CONFIG');
});
