import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { startLocalServers, type LocalServers } from '../../../cli/local/servers';
import { createExtractHandler, type ExtractDeps } from '../../../functions/extract/handler';
import { ErrorCode } from '../../../shared/errors';
import { s3EventBody } from '../../../shared/ingest/s3-event';
import { FEATURE_STATUS } from '../../../shared/names';
import { getFeatureItem } from '../../../shared/store/feature-items';
import { nextSequencer, readWav, removal, upload } from '../../shared/ingest/fixtures';

let servers: LocalServers;
let deps: ExtractDeps;
before(async () => {
  servers = await startLocalServers();
  deps = {
    clients: servers.clients,
    env: { featuresTable: servers.names.featuresTable, maxFileBytes: 5 * 1024 * 1024 },
    logger: new Logger({ serviceName: 'ser-extract-test', logLevel: 'SILENT' }),
  };
});
after(async () => {
  await servers.close();
});

const GOOD = '03-01-08-02-02-02-19.wav';
const row = (key: string) => getFeatureItem(servers.clients.doc, servers.names.featuresTable, key);

/** An SQS event as Lambda receives it from the ingest queue. */
function sqsEvent(bodies: string[]): SQSEvent {
  return {
    Records: bodies.map(
      (body, i): SQSRecord => ({
        messageId: `m-${i}`,
        receiptHandle: `rh-${i}`,
        body,
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'S3', ApproximateFirstReceiveTimestamp: '0' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:ingest',
        awsRegion: 'us-east-1',
      }),
    ),
  };
}

test('user errors become ERROR rows beside the good file, and no record of the batch fails', async () => {
  const handler = createExtractHandler(deps);
  const good = await upload(servers, `audio/batch1/${GOOD}`, readWav(GOOD));
  const corrupt = await upload(servers, 'audio/batch1/corrupt.wav', new Uint8Array(4096).fill(7));
  const badName = await upload(servers, 'audio/batch1/03-01-02-03-01-01-30.wav', readWav(GOOD));
  const testEvent = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: servers.names.bucket });
  const notAudio = s3EventBody({ bucket: servers.names.bucket, key: 'audio/batch1/x.mp3', eventName: 'ObjectCreated:Put', size: 3, eTag: 'e', sequencer: nextSequencer() });

  const response = await handler(sqsEvent([good.body, corrupt.body, badName.body, testEvent, notAudio]));

  assert.deepEqual(response.batchItemFailures, []);
  assert.equal((await row(good.key))!.status, FEATURE_STATUS.OK);
  assert.equal((await row(good.key))!.labels!.emotion, 7);
  assert.equal((await row(corrupt.key))!.errorCode, ErrorCode.NOT_RIFF_WAVE);
  assert.equal((await row(badName.key))!.errorCode, ErrorCode.INVALID_RAVDESS_NAME);
  assert.equal(await row('audio/batch1/x.mp3'), undefined);
});

test('a transient failure fails only its record; the others in the batch succeed', async () => {
  const handler = createExtractHandler(deps);
  const good = await upload(servers, `audio/batch2/${GOOD}`, readWav(GOOD));
  // The event names a bucket the S3 server does not have: GetObject fails (not a user error) → retry → DLQ.
  const brokenBucket = s3EventBody({ bucket: 'no-such-bucket', key: `audio/batch2/${GOOD}`, eventName: 'ObjectCreated:Put', size: 10, eTag: 'e', sequencer: nextSequencer() });
  const malformed = '{"Records": [{"eventName": "ObjectCreated:Put"}]}';

  const response = await handler(sqsEvent([good.body, brokenBucket, malformed]));

  assert.deepEqual(response.batchItemFailures.map((f) => f.itemIdentifier).sort(), ['m-1', 'm-2']);
  assert.equal((await row(good.key))!.status, FEATURE_STATUS.OK);
});

test('reports every record (without throwing) when the whole batch fails, e.g. the table does not exist', async () => {
  const handler = createExtractHandler({ ...deps, env: { ...deps.env, featuresTable: 'missing-table' } });
  const a = await upload(servers, 'audio/batch3/a.wav', readWav(GOOD));
  const b = await upload(servers, 'audio/batch3/b.wav', readWav(GOOD));
  const response = await handler(sqsEvent([a.body, b.body]));
  assert.deepEqual(response.batchItemFailures.map((f) => f.itemIdentifier).sort(), ['m-0', 'm-1']);
});

test('a redelivered batch is a no-op and a removal in a later batch leaves a tombstone', async () => {
  const handler = createExtractHandler(deps);
  const up = await upload(servers, `audio/batch4/${GOOD}`, readWav(GOOD));
  await handler(sqsEvent([up.body]));
  const first = await row(up.key);
  const again = await handler(sqsEvent([up.body, up.body]));
  assert.deepEqual(again.batchItemFailures, []);
  assert.equal((await row(up.key))!.updatedAt, first!.updatedAt);
  await handler(sqsEvent([removal(servers, up.key)]));
  assert.equal((await row(up.key))!.status, FEATURE_STATUS.DELETED);
});
