import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteBucketCorsCommand, DeleteObjectCommand, GetBucketCorsCommand, GetObjectCommand, PutBucketCorsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { startLocalServers } from '../../../cli/local/servers';
import { RUNS_TABLE } from '../../../shared/names';

test('starts S3 and DynamoDB on loopback with the bucket and tables of the stack', async () => {
  const servers = await startLocalServers();
  try {
    const { s3, ddb } = servers.clients;
    await s3.send(new PutObjectCommand({ Bucket: servers.names.bucket, Key: 'audio/a b.wav', Body: 'x' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: servers.names.bucket, Key: 'audio/a b.wav' }));
    assert.equal(await got.Body!.transformToString(), 'x');
    const runs = await ddb.send(new DescribeTableCommand({ TableName: servers.names.runsTable }));
    assert.deepEqual(runs.Table!.KeySchema!.map((k) => k.AttributeName), [RUNS_TABLE.partitionKey, RUNS_TABLE.sortKey]);
    assert.equal(runs.Table!.GlobalSecondaryIndexes![0]!.IndexName, RUNS_TABLE.typeIndex);
    assert.match(servers.endpoints.s3, /^http:\/\/127\.0\.0\.1:\d+$/);
  } finally {
    await servers.close();
  }
});

for (const threads of [false, true]) {
  test(`reports object writes and deletes to onS3Event subscribers until they unsubscribe (servers ${threads ? 'in worker threads' : 'in this thread'})`, async () => {
    const servers = await startLocalServers({ threads });
    try {
      const events: { eventName: string; s3: { object: { key: string; eTag?: string } } }[] = [];
      const unsubscribe = servers.onS3Event((e) => events.push(...(e.Records as typeof events)));
      const { s3 } = servers.clients;
      await s3.send(new PutObjectCommand({ Bucket: servers.names.bucket, Key: 'audio/x.wav', Body: 'abc' }));
      await s3.send(new DeleteObjectCommand({ Bucket: servers.names.bucket, Key: 'audio/x.wav' }));
      unsubscribe();
      await s3.send(new PutObjectCommand({ Bucket: servers.names.bucket, Key: 'audio/y.wav', Body: 'abc' }));
      assert.deepEqual(events.map((e) => [e.eventName, e.s3.object.key]), [
        ['ObjectCreated:Put', 'audio/x.wav'],
        ['ObjectRemoved:Delete', 'audio/x.wav'],
      ]);
      assert.equal(events[0]!.s3.object.eTag, '900150983cd24fb0d6963f7d28e17f72');
    } finally {
      await servers.close();
    }
  });
}

test('bucket CORS configuration written through the S3 API is read back at once (s3rver runs with a config cache)', async () => {
  const servers = await startLocalServers();
  try {
    const { s3 } = servers.clients;
    const Bucket = servers.names.bucket;
    await assert.rejects(s3.send(new GetBucketCorsCommand({ Bucket })), { name: 'NoSuchCORSConfiguration' });
    const rule = { AllowedMethods: ['GET'], AllowedOrigins: ['http://example.test'] };
    await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [rule] } }));
    const got = await s3.send(new GetBucketCorsCommand({ Bucket }));
    assert.deepEqual(got.CORSRules?.map((r) => [r.AllowedMethods, r.AllowedOrigins]), [[['GET'], ['http://example.test']]]);
    await s3.send(new DeleteBucketCorsCommand({ Bucket }));
    await assert.rejects(s3.send(new GetBucketCorsCommand({ Bucket })), { name: 'NoSuchCORSConfiguration' });
  } finally {
    await servers.close();
  }
});
