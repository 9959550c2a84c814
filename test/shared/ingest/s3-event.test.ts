import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventAction, parseIngestMessage, s3EventBody } from '../../../shared/ingest/s3-event';

// A notification as S3 sends it (trimmed identity fields), key URL-encoded.
const REAL_BODY = JSON.stringify({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventTime: '2024-05-01T10:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:AIDA' },
      requestParameters: { sourceIPAddress: '1.2.3.4' },
      responseElements: { 'x-amz-request-id': 'R', 'x-amz-id-2': 'I' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'cfg',
        bucket: { name: 'b', ownerIdentity: { principalId: 'P' }, arn: 'arn:aws:s3:::b' },
        object: { key: 'audio/a+b.wav', size: 1024, eTag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0055AED6DCD90281E5' },
      },
    },
  ],
});

test('parses an S3 notification and keeps the raw (encoded) key', () => {
  const message = parseIngestMessage(REAL_BODY);
  assert.equal(message.kind, 's3');
  assert.equal(message.kind === 's3' && message.records[0]!.s3.object.key, 'audio/a+b.wav');
  assert.equal(message.kind === 's3' && message.records[0]!.s3.object.size, 1024);
});

test("recognizes S3's test event", () => {
  const body = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2024-05-01T10:00:00.000Z', Bucket: 'b', RequestId: 'R', HostId: 'H' });
  assert.deepEqual(parseIngestMessage(body), { kind: 'test', bucket: 'b' });
});

test('throws INVALID_EVENT for non-JSON, EventBridge, SNS-wrapped and shapeless bodies', () => {
  assert.throws(() => parseIngestMessage('not json'), { code: 'INVALID_EVENT' });
  assert.throws(() => parseIngestMessage(JSON.stringify({ 'detail-type': 'Object Created', source: 'aws.s3', detail: {} })), {
    code: 'INVALID_EVENT',
    message: /EventBridge/,
  });
  assert.throws(() => parseIngestMessage(JSON.stringify({ Type: 'Notification', Message: REAL_BODY })), { code: 'INVALID_EVENT', message: /SNS/ });
  assert.throws(() => parseIngestMessage(JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put' }] })), { code: 'INVALID_EVENT' });
  assert.throws(() => parseIngestMessage(REAL_BODY.replace('0055AED6DCD90281E5', 'not-hex')), { code: 'INVALID_EVENT' });
});

test('maps event names to created / removed / ignored', () => {
  for (const name of ['ObjectCreated:Put', 'ObjectCreated:Post', 'ObjectCreated:Copy', 'ObjectCreated:CompleteMultipartUpload']) {
    assert.equal(eventAction(name), 'created');
  }
  for (const name of ['ObjectRemoved:Delete', 'ObjectRemoved:DeleteMarkerCreated', 'LifecycleExpiration:Delete']) {
    assert.equal(eventAction(name), 'removed');
  }
  assert.equal(eventAction('ObjectRestore:Completed'), 'ignored');
  assert.equal(eventAction('ObjectTagging:Put'), 'ignored');
});

test('s3EventBody builds what parseIngestMessage accepts, with the key encoded like S3', () => {
  const body = s3EventBody({ bucket: 'b', key: 'audio/é x+y.wav', eventName: 'ObjectRemoved:Delete', sequencer: '0A' });
  const message = parseIngestMessage(body);
  assert.equal(message.kind, 's3');
  if (message.kind !== 's3') return;
  assert.equal(message.records[0]!.s3.object.key, 'audio/%C3%A9+x%2By.wav');
  assert.equal(message.records[0]!.s3.object.size, undefined);
});
