import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
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
