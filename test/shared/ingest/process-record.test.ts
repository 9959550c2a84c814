import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalServers, type LocalServers, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../cli/local/servers';
import { EXTRACTOR_VERSION, FRAME_COUNT } from '../../../shared/config';
import { ErrorCode, isSerError } from '../../../shared/errors';
import { processMessage, type IngestEnv } from '../../../shared/ingest/process-record';
import { s3EventBody } from '../../../shared/ingest/s3-event';
import { normalizeSequencer } from '../../../shared/ingest/sequencer';
import { FEATURE_STATUS } from '../../../shared/names';
import { getFeatureItem, itemFrameMeans } from '../../../shared/store/feature-items';
import { closedPortUrl, nextSequencer, readWav, removal, upload, wavNames } from './fixtures';

let servers: LocalServers;
let env: IngestEnv;
before(async () => {
  servers = await startLocalServers();
  env = { featuresTable: servers.names.featuresTable, maxFileBytes: 5 * 1024 * 1024 };
});
after(async () => {
  await servers.close();
});

const row = (key: string) => getFeatureItem(servers.clients.doc, servers.names.featuresTable, key);
const ingest = (body: string, overrides: Partial<IngestEnv> = {}) => processMessage(servers.clients, { ...env, ...overrides }, body);
const GOOD = '03-01-05-02-02-01-02.wav'; // angry, strong, statement 2, repetition 1, actor 02 (female)

test('extracts a RAVDESS WAV into an OK row with labels, frame means and provenance', async () => {
  const bytes = readWav(GOOD);
  const up = await upload(servers, `audio/set1/${GOOD}`, bytes);
  const [outcome] = await ingest(up.body);
  assert.equal(outcome!.action, 'written');
  assert.equal(outcome!.status, FEATURE_STATUS.OK);
  assert.equal(outcome!.bytesRead, bytes.byteLength);

  const item = await row(up.key);
  assert.ok(item);
  assert.equal(item.status, FEATURE_STATUS.OK);
  assert.deepEqual(item.labels, { emotion: 4, intensity: 1, male: 0, actor: 2, statement: 2, repetition: 1 });
  assert.ok(item.frames! >= 1 && item.frames! <= FRAME_COUNT);
  const means = itemFrameMeans(item)!;
  assert.equal(means.length, item.frames);
  assert.ok(means.every(Number.isFinite));
  assert.ok(Number.isFinite(item.floorDb));
  assert.equal(item.extractor, EXTRACTOR_VERSION);
  assert.equal(item.etag, up.etag);
  assert.equal(item.size, bytes.byteLength);
  assert.equal(item.sequencer, normalizeSequencer(up.sequencer));
  assert.ok(!Number.isNaN(Date.parse(item.updatedAt)));
  assert.equal(item.errorCode, undefined);
});

test('stores a non-RAVDESS name as an OK row without labels', async () => {
  const up = await upload(servers, 'audio/my recording.wav', readWav(GOOD));
  await ingest(up.body);
  const item = await row('audio/my recording.wav');
  assert.equal(item!.status, FEATURE_STATUS.OK);
  assert.equal(item!.labels, undefined);
  assert.ok(item!.features!.byteLength > 0);
});

test('records a RAVDESS-shaped name with an impossible field as ERROR INVALID_RAVDESS_NAME without downloading', async () => {
  const up = await upload(servers, 'audio/03-01-09-01-01-01-01.wav', readWav(GOOD));
  const [outcome] = await ingest(up.body);
  assert.equal(outcome!.bytesRead, 0);
  const item = await row(up.key);
  assert.equal(item!.status, FEATURE_STATUS.ERROR);
  assert.equal(item!.errorCode, ErrorCode.INVALID_RAVDESS_NAME);
  assert.match(item!.errorMessage!, /emotion/);
  assert.equal(item!.etag, up.etag);
  assert.equal(item!.sequencer, normalizeSequencer(up.sequencer));
  assert.equal(item!.features, undefined);
});

test('records corrupt, truncated and non-WAV uploads as ERROR rows with their codes', async () => {
  const good = readWav(GOOD);
  const cases = [
    { key: 'audio/notes.wav', bytes: new TextEncoder().encode('these are my notes, not audio'), code: ErrorCode.NOT_RIFF_WAVE },
    { key: 'audio/cut.wav', bytes: good.slice(0, Math.floor(good.length / 2)), code: ErrorCode.TRUNCATED_DATA },
    { key: 'audio/header-only.WAV', bytes: good.slice(0, 8), code: ErrorCode.TRUNCATED_HEADER },
  ];
  for (const c of cases) {
    const up = await upload(servers, c.key, c.bytes);
    const [outcome] = await ingest(up.body);
    assert.equal(outcome!.action, 'written', c.key);
    const item = await row(c.key);
    assert.equal(item!.status, FEATURE_STATUS.ERROR, c.key);
    assert.equal(item!.errorCode, c.code, c.key);
    assert.ok(item!.errorMessage!.length > 0);
    assert.equal(item!.features, undefined);
    assert.equal(item!.labels, undefined);
  }
});

test('records FILE_TOO_LARGE from the event size without calling GetObject', async () => {
  const up = await upload(servers, 'audio/big-by-event.wav', readWav(GOOD));
  const [outcome] = await ingest(up.body, { maxFileBytes: 1000 });
  assert.equal(outcome!.errorCode, ErrorCode.FILE_TOO_LARGE);
  assert.equal(outcome!.bytesRead, 0);
  assert.equal((await row(up.key))!.errorCode, ErrorCode.FILE_TOO_LARGE);
});

test('records FILE_TOO_LARGE from Content-Length before reading the body when the event under-reports the size', async () => {
  const bytes = readWav(GOOD);
  const up = await upload(servers, 'audio/big-by-header.wav', bytes);
  const lying = s3EventBody({ bucket: servers.names.bucket, key: up.key, eventName: 'ObjectCreated:Put', size: 10, eTag: up.etag, sequencer: up.sequencer });
  const [outcome] = await ingest(lying, { maxFileBytes: 1000 });
  assert.equal(outcome!.errorCode, ErrorCode.FILE_TOO_LARGE);
  assert.equal(outcome!.bytesRead, 0);
  const item = await row(up.key);
  assert.equal(item!.errorCode, ErrorCode.FILE_TOO_LARGE);
  assert.equal(item!.size, bytes.byteLength, 'the row records the real size from Content-Length');
});

test('the same event delivered twice writes once (updatedAt unchanged)', async () => {
  const up = await upload(servers, 'audio/twice/03-01-01-01-02-01-13.wav', readWav('03-01-01-01-02-01-13.wav'));
  await ingest(up.body);
  const first = await row(up.key);
  const [again] = await ingest(up.body);
  assert.equal(again!.action, 'stale');
  const second = await row(up.key);
  assert.equal(second!.updatedAt, first!.updatedAt);
  assert.deepEqual(second, first);
});

test('re-uploading identical bytes yields the same row content under the newer sequencer', async () => {
  const bytes = readWav('03-01-02-01-01-02-01.wav');
  const first = await upload(servers, 'audio/again/03-01-02-01-01-02-01.wav', bytes);
  await ingest(first.body);
  const before = await row(first.key);
  const second = await upload(servers, first.key, bytes);
  const [outcome] = await ingest(second.body);
  assert.equal(outcome!.action, 'written');
  const after = await row(first.key);
  const { updatedAt: _a, sequencer: seqBefore, ...contentBefore } = before!;
  const { updatedAt: _b, sequencer: seqAfter, ...contentAfter } = after!;
  assert.deepEqual(contentAfter, contentBefore);
  assert.equal(seqAfter, normalizeSequencer(second.sequencer));
  assert.ok(seqAfter! > seqBefore!);
});

test('a removal turns the row into a DELETED tombstone', async () => {
  const up = await upload(servers, 'audio/gone/03-01-03-01-02-01-20.wav', readWav('03-01-03-01-02-01-20.wav'));
  await ingest(up.body);
  await servers.clients.s3.send(new DeleteObjectCommand({ Bucket: servers.names.bucket, Key: up.key }));
  const [outcome] = await ingest(removal(servers, up.key));
  assert.equal(outcome!.action, 'deleted');
  const item = await row(up.key);
  assert.equal(item!.status, FEATURE_STATUS.DELETED);
  assert.equal(item!.features, undefined);
  assert.equal(item!.labels, undefined);
  assert.ok(item!.expiresAt! > Date.now() / 1000);
});

test('out of order: a delayed create after its delete does not resurrect the row', async () => {
  const key = 'audio/late/03-01-04-01-02-02-09.wav';
  const up = await upload(servers, key, readWav('03-01-04-01-02-02-09.wav'));
  const deleteBody = removal(servers, key); // sequencer newer than the create's
  await ingest(deleteBody);
  const [late] = await ingest(up.body); // the object still exists: only the sequencer protects the row
  assert.equal(late!.action, 'stale');
  assert.equal((await row(key))!.status, FEATURE_STATUS.DELETED);
  // A later re-upload brings it back.
  const again = await upload(servers, key, readWav('03-01-04-01-02-02-09.wav'));
  await ingest(again.body);
  assert.equal((await row(key))!.status, FEATURE_STATUS.OK);
});

test('out of order: a delayed delete older than the row does not remove the newer object', async () => {
  const key = 'audio/late/03-01-04-02-02-01-09.wav';
  const staleDelete = removal(servers, key, nextSequencer()); // happened before the upload below
  const up = await upload(servers, key, readWav('03-01-04-02-02-01-09.wav'));
  await ingest(up.body);
  const [outcome] = await ingest(staleDelete);
  assert.equal(outcome!.action, 'stale');
  assert.equal((await row(key))!.status, FEATURE_STATUS.OK);
});

test('an object deleted before GetObject is reported missing and writes nothing', async () => {
  const up = await upload(servers, 'audio/vanished.wav', readWav(GOOD));
  await servers.clients.s3.send(new DeleteObjectCommand({ Bucket: servers.names.bucket, Key: up.key }));
  const [outcome] = await ingest(up.body);
  assert.equal(outcome!.action, 'missing');
  assert.equal(await row(up.key), undefined);
});

test('decodes URL-encoded keys with spaces, plus signs and unicode', async () => {
  const keys = [`audio/My Clips/été + 🎤 take 1.wav`, `audio/a+b c/${GOOD}`];
  for (const key of keys) {
    const up = await upload(servers, key, readWav(GOOD));
    assert.ok(!JSON.parse(up.body).Records[0].s3.object.key.includes(' '), 'the event carries the encoded key');
    const [outcome] = await ingest(up.body);
    assert.equal(outcome!.key, key);
    assert.equal((await row(key))!.status, FEATURE_STATUS.OK, key);
  }
  assert.equal((await row(keys[1]!))!.labels!.emotion, 4);
});

test('skips keys outside audio/ or without .wav, and the S3 test event, writing nothing', async () => {
  const bucket = servers.names.bucket;
  const bodies = [
    s3EventBody({ bucket, key: 'models/run-1/x.wav', eventName: 'ObjectCreated:Put', size: 1, eTag: 'e', sequencer: nextSequencer() }),
    s3EventBody({ bucket, key: 'audio/readme.txt', eventName: 'ObjectCreated:Put', size: 1, eTag: 'e', sequencer: nextSequencer() }),
    s3EventBody({ bucket, key: 'audio/t.wav', eventName: 'ObjectTagging:Put', sequencer: nextSequencer() }),
    JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: bucket }),
  ];
  const reasons = [];
  for (const body of bodies) reasons.push((await ingest(body))[0]!.reason);
  assert.deepEqual(reasons, ['OUTSIDE_AUDIO_PREFIX', 'NOT_WAV', 'NOT_A_ROW_EVENT', 'TEST_EVENT']);
  assert.equal(await row('models/run-1/x.wav'), undefined);
  assert.equal(await row('audio/readme.txt'), undefined);
});

test('throws (so SQS retries) when DynamoDB is unreachable, and writes nothing for that record', async () => {
  const up = await upload(servers, `audio/retry/${GOOD}`, readWav(GOOD));
  const ddb = new DynamoDBClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: await closedPortUrl(), maxAttempts: 1 });
  await assert.rejects(processMessage({ s3: servers.clients.s3, doc: DynamoDBDocumentClient.from(ddb) }, env, up.body), (e: unknown) => !isSerError(e));
  ddb.destroy();
  // The retry with healthy clients succeeds.
  const [outcome] = await ingest(up.body);
  assert.equal(outcome!.status, FEATURE_STATUS.OK);
});

test('every one of the 17 RAVDESS WAVs becomes an OK labelled row', async () => {
  for (const name of wavNames()) {
    const up = await upload(servers, `audio/all/${name}`, readWav(name));
    const [outcome] = await ingest(up.body);
    assert.equal(outcome!.status, FEATURE_STATUS.OK, name);
    const item = await row(up.key);
    assert.ok(item!.labels, name);
    assert.ok(item!.frames! >= 1 && item!.frames! <= FRAME_COUNT, name);
  }
});
