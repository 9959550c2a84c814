import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { startLocalServers, type LocalServers } from '../../../cli/local/servers';
import { createAssembleHandler } from '../../../functions/assemble/handler';
import { EMOTIONS, INPUT_COLUMNS } from '../../../shared/config';
import { parseDatasetCsv } from '../../../shared/dataset/dataset-csv';
import { applyMinMax } from '../../../shared/dataset/scaler';
import { buildInputs } from '../../../shared/dataset/inputs';
import { parseManifest } from '../../../shared/dataset/manifest';
import { RunsRepository } from '../../../shared/store/runs';
import { goldenRows, itemFromRow, syntheticItem } from '../../shared/dataset/fixtures';

let servers: LocalServers;
before(async () => {
  servers = await startLocalServers();
});
after(() => servers.close());

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

async function putItems(table: string, items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    await servers.clients.doc.send(new BatchWriteCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

function handlerFor(featuresTable: string) {
  const { s3, doc } = servers.clients;
  const runs = new RunsRepository(doc, servers.names.runsTable);
  return { runs, handler: createAssembleHandler({ s3, doc, runs, bucket: servers.names.bucket, featuresTable, logger, scan: { segments: 4 } }) };
}

async function readText(key: string): Promise<string> {
  const got = await servers.clients.s3.send(new GetObjectCommand({ Bucket: servers.names.bucket, Key: key }));
  return got.Body!.transformToString();
}

test('assembles the golden table into train.csv, test.csv and manifest.json and marks the run RUNNING', async () => {
  const golden = goldenRows();
  const { labels: _l, ...unlabelled } = itemFromRow(golden[0]!, { key: 'audio/notes/hello.wav' });
  await putItems(servers.names.featuresTable, [
    ...golden.map((r) => itemFromRow(r)),
    { key: 'audio/broken.wav', status: 'ERROR', errorCode: 'NOT_RIFF_WAVE', errorMessage: 'x', extractor: 'v1-x', updatedAt: 'now' },
    { key: 'audio/removed.wav', status: 'DELETED', sequencer: '0A', extractor: 'v1-x', updatedAt: 'now', expiresAt: 1 },
    unlabelled,
    itemFromRow(golden[1]!, { key: 'audio/old.wav', extractor: 'v0-old' }),
  ]);
  const { runs, handler } = handlerFor(servers.names.featuresTable);
  const runId = 'run-20240101-000000-golden';
  await runs.createRun(runId, { epochs: 1, split: 'random', seed: 42 });
  const result = await handler({ runId, params: { epochs: 1, split: 'random', seed: 42 } });

  assert.deepEqual(result, { prefix: `datasets/${runId}/`, trainCount: 960, testCount: 240, skipped: { error: 1, deleted: 1, otherExtractor: 1, unlabelled: 1, malformed: 0 } });
  const run = await runs.getRun(runId);
  assert.equal(run!.status, 'RUNNING');
  assert.equal(run!.datasetPrefix, result.prefix);
  assert.equal(run!.trainCount, 960);

  const manifest = parseManifest(await readText(`${result.prefix}manifest.json`));
  assert.deepEqual(manifest.columns, INPUT_COLUMNS);
  assert.deepEqual(manifest.labels, EMOTIONS);
  assert.equal(manifest.fill, 'floor_db');
  assert.deepEqual(manifest.split, { mode: 'random', seed: 42, testFraction: 0.2 });
  assert.equal(manifest.counts.test.perClass.neutral, 16);
  assert.equal(manifest.counts.train.perClass.angry, 128);
  assert.equal(manifest.skipped.total, 4);
  assert.equal(Object.keys(manifest.sources).length, 1200);
  assert.equal(manifest.sources[itemFromRow(golden[0]!).key as string]!.etag, `"etag-${golden[0]!.file}"`);

  const train = parseDatasetCsv(await readText(`${result.prefix}train.csv`));
  const testPart = parseDatasetCsv(await readText(`${result.prefix}test.csv`));
  assert.equal(train.count, 960);
  assert.equal(testPart.count, 240);
  // Each row is its golden clip, filled then scaled with the manifest's scaler.
  const byKey = new Map(golden.map((r) => [itemFromRow(r).key as string, r]));
  const row = byKey.get(testPart.files[5]!)!;
  const expected = applyMinMax(buildInputs({ means: row.means, floorDb: row.floorDb, intensity: row.labels!.intensity, male: row.labels!.male }), manifest.scaler);
  assert.deepEqual(testPart.inputs.slice(5 * 132, 6 * 132), expected);
  assert.equal(testPart.labels[5], row.labels!.emotion);
});

test('fails with an error named NOT_ENOUGH_DATA, with a clear message, when the table is nearly empty', async () => {
  await servers.clients.ddb.send(
    new (await import('@aws-sdk/client-dynamodb')).CreateTableCommand(
      (await import('../../../shared/store/tables')).createTableInput('features-small', (await import('../../../shared/store/tables')).FEATURES_TABLE_SCHEMA),
    ),
  );
  await putItems('features-small', Array.from({ length: 5 }, (_, i) => syntheticItem(i, i % 2)));
  const { runs, handler } = handlerFor('features-small');
  const runId = 'run-20240101-000000-small0';
  await runs.createRun(runId, { epochs: 1, split: 'random', seed: 42 });
  await assert.rejects(handler({ runId, params: { epochs: 1, split: 'random', seed: 42 } }), (e: any) => e.name === 'NOT_ENOUGH_DATA' && /Only 5 usable feature rows/.test(e.message));
});

test('refuses a state that is not a workflow input', async () => {
  const { handler } = handlerFor(servers.names.featuresTable);
  await assert.rejects(handler({ runId: 'nope' }), (e: any) => e.name === 'INVALID_REQUEST' && /runId/.test(e.message));
});
