/**
 * End to end on the embedded local stack: real s3rver + dynalite, S3 events → queue → the real extractor (worker
 * threads), the CDK-synthesized state machine run by aws-local-stepfunctions with the real assemble/register/
 * mark-failed handlers and the trainer as a child process, the REST API with the real control/predict handlers.
 *
 * Data: the 17 WAVs of ../shared/ravdess/wav, uploaded three times under audio/a/, audio/b/, audio/c/ (51 rows).
 * 17 files are too few for the assembly's minimums (each emotion needs ≥ 2 training rows after the stratified 80/20
 * split; four emotions have one file) — three copies give every emotion ≥ 3 rows.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { EMOTIONS } from '../../shared/config';
import { FEATURE_STATUS, MODEL_NAMES, RUN_STATUS } from '../../shared/names';
import { runIngest } from '../../cli/commands/ingest';
import { getModels } from '../../cli/commands/models';
import { runPredict } from '../../cli/commands/predict';
import { startTraining, waitForRun } from '../../cli/commands/train';
import { waitForRows } from '../../cli/commands/demo';
import { startLocalStack, type LocalStack } from '../../cli/local/stack';
import { localTarget, type Target } from '../../cli/local/target';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const WAV_DIR = resolve(REPO_ROOT, '../shared/ravdess/wav');
const FILES = readdirSync(WAV_DIR).filter((f) => f.endsWith('.wav')).sort();
const COPIES = ['a', 'b', 'c'];
const EPOCHS = 2;

describe('the local pipeline on real RAVDESS audio', { timeout: 240_000 }, () => {
  let stack: LocalStack;
  let target: Target;
  let stateDir: string;
  const keys = COPIES.flatMap((c) => FILES.map((f) => `audio/${c}/${f}`));

  const row = async (key: string) =>
    (await stack.servers.clients.doc.send(new GetCommand({ TableName: stack.servers.names.featuresTable, Key: { key } }))).Item;
  const allRows = async () => (await stack.servers.clients.doc.send(new ScanCommand({ TableName: stack.servers.names.featuresTable }))).Items ?? [];

  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'ser-e2e-'));
    stack = await startLocalStack({
      stateDir,
      extractWorkers: 2,
      functionLogLevel: process.env.SER_E2E_LOG ? 'INFO' : 'ERROR',
      queue: { maxBatchingWindowMs: 50, retryDelayMs: () => 50 },
      log: process.env.SER_E2E_LOG ? (l) => console.error(l) : undefined,
    });
    target = localTarget(stack.endpoints);
  });

  after(async () => {
    await stack?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('turns every uploaded file into an OK row with its labels', async () => {
    for (const copy of COPIES) {
      const r = await runIngest(target, { dir: WAV_DIR, prefix: `audio/${copy}/`, quiet: true });
      assert.equal(r.uploaded.length, FILES.length);
    }
    const counts = await waitForRows(stack, keys, true, 120_000);
    assert.deepEqual(counts, { ok: keys.length, error: 0 });
    const item = await row(`audio/b/${FILES[0]}`);
    assert.equal(item?.status, FEATURE_STATUS.OK);
    assert.equal(item?.labels.emotion, Number(FILES[0]!.split('-')[2]) - 1);
    assert.equal(stack.deadLetters.list().length, 0);
  });

  it('changes nothing when a file is uploaded again', async () => {
    const key = `audio/a/${FILES[3]}`;
    const before_ = await row(key);
    const again = await runIngest(target, { dir: WAV_DIR, prefix: 'audio/a/', quiet: true });
    assert.equal(again.skipped.length, FILES.length, 'the CLI skips unchanged files');
    // A raw re-upload of the same bytes does produce an event: the extractor must leave the row as it was.
    await stack.servers.clients.s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: await readFile(join(WAV_DIR, FILES[3]!)) }));
    await stack.ingestIdle();
    // The newer event advances the row's ordering fields (sequencer, updatedAt); its data stays the same.
    const { sequencer: _s1, updatedAt: _u1, ...dataBefore } = before_!;
    const { sequencer: _s2, updatedAt: _u2, ...dataAfter } = (await row(key))!;
    assert.deepEqual(dataAfter, dataBefore);
    assert.equal((await allRows()).length, keys.length);
  });

  it('records a corrupt upload as an ERROR row while the other files stay OK', async () => {
    const bad = 'audio/corrupt/03-01-05-01-01-01-07.wav';
    await stack.servers.clients.s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: bad, Body: Buffer.from('RIFF\x10\x00\x00\x00WAVEnot really audio') }));
    await stack.ingestIdle();
    const item = await row(bad);
    assert.equal(item?.status, FEATURE_STATUS.ERROR);
    assert.match(String(item?.errorCode), /^[A-Z_]+$/);
    const ok = (await allRows()).filter((r) => r.status === FEATURE_STATUS.OK);
    assert.equal(ok.length, keys.length);
  });

  it('removes the row of a deleted object', async () => {
    const key = `audio/c/${FILES[5]}`;
    await stack.servers.clients.s3.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
    await stack.ingestIdle();
    const item = await row(key);
    assert.ok(item === undefined || item.status === FEATURE_STATUS.DELETED, `row after delete: ${JSON.stringify(item?.status)}`);
    // Put it back so every emotion keeps enough rows for training.
    await stack.servers.clients.s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: await readFile(join(WAV_DIR, FILES[5]!)) }));
    await stack.ingestIdle();
    assert.equal((await row(key))?.status, FEATURE_STATUS.OK);
  });

  let served: string | undefined;

  it('completes a training run through the synthesized state machine and serves its candidate', async () => {
    const started = await startTraining(target, { epochs: EPOCHS });
    const run = await waitForRun(target, started.runId, undefined, 500, 180_000);
    assert.equal(run.status, RUN_STATUS.SUCCEEDED, JSON.stringify(run.error));
    assert.deepEqual(run.metrics!.map((m) => m.model).sort(), [...MODEL_NAMES].sort());
    const execution = stack.runner.describe(stack.runner.executionArn(started.runId));
    assert.equal(execution?.status, 'SUCCEEDED');
    const models = await getModels(target);
    served = models.served?.version;
    assert.ok(served?.startsWith(`${started.runId}.`), `served ${served}`);
  });

  it('answers /predict for a WAV with the served model', async () => {
    const p = await runPredict(target, { file: join(WAV_DIR, FILES[10]!) });
    assert.ok((EMOTIONS as readonly string[]).includes(p.emotion));
    assert.equal(p.modelVersion, served);
    const total = Object.values(p.probabilities).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 1) < 1e-3);
  });

  it('records a run on too few rows as FAILED and keeps serving the previous model', async () => {
    // Deleting the b/ and c/ copies leaves 17 rows: too few for the stratified split's per-emotion minimum.
    for (const key of keys.filter((k) => !k.startsWith('audio/a/'))) {
      await stack.servers.clients.s3.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
    }
    await stack.ingestIdle();
    const started = await startTraining(target, { epochs: EPOCHS });
    const run = await waitForRun(target, started.runId, undefined, 500, 120_000);
    assert.equal(run.status, RUN_STATUS.FAILED);
    assert.equal(run.error?.code, 'NOT_ENOUGH_DATA');
    assert.equal(stack.runner.describe(stack.runner.executionArn(started.runId))?.status, 'FAILED');
    assert.equal((await getModels(target)).served?.version, served);
  });
});
