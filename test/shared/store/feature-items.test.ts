import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServers, type LocalServers } from '../../../cli/local/servers';
import { normalizeSequencer } from '../../../shared/ingest/sequencer';
import { FEATURE_STATUS } from '../../../shared/names';
import {
  frameMeansAttribute,
  getFeatureItem,
  itemFrameMeans,
  putFeatureItemIfNewer,
  putTombstoneIfNewer,
  scanFeatureItems,
  TOMBSTONE_TTL_SECONDS,
} from '../../../shared/store/feature-items';
import type { FeatureItem } from '../../../shared/types';

let servers: LocalServers;
before(async () => {
  servers = await startLocalServers();
});
after(async () => {
  await servers.close();
});

const seq = (n: number) => normalizeSequencer(n.toString(16));
const okItem = (key: string, sequencer: string, extra: Partial<FeatureItem> = {}): FeatureItem => ({
  key,
  status: FEATURE_STATUS.OK,
  sequencer,
  etag: 'e1',
  extractor: 'v1-test',
  features: frameMeansAttribute([1.5, -2.25, 60]),
  frames: 3,
  floorDb: -2.25,
  updatedAt: '2024-01-01T00:00:00.000Z',
  ...extra,
});

test('writes a new row and reads it back with the frame means intact', async () => {
  const { doc } = servers.clients;
  const table = servers.names.featuresTable;
  assert.equal(await putFeatureItemIfNewer(doc, table, okItem('audio/a.wav', seq(10))), 'written');
  const row = await getFeatureItem(doc, table, 'audio/a.wav');
  assert.ok(row);
  assert.ok(row.features instanceof Uint8Array);
  assert.deepEqual(Array.from(itemFrameMeans(row)!), [1.5, -2.25, 60]);
  assert.equal(row.sequencer, seq(10));
});

test('rejects the same sequencer twice and an older one as stale, accepts a newer one', async () => {
  const { doc } = servers.clients;
  const table = servers.names.featuresTable;
  await putFeatureItemIfNewer(doc, table, okItem('audio/b.wav', seq(0x20)));
  assert.equal(await putFeatureItemIfNewer(doc, table, okItem('audio/b.wav', seq(0x20), { updatedAt: 'later' })), 'stale');
  assert.equal(await putFeatureItemIfNewer(doc, table, okItem('audio/b.wav', seq(0x9), { etag: 'old' })), 'stale');
  assert.equal((await getFeatureItem(doc, table, 'audio/b.wav'))!.updatedAt, '2024-01-01T00:00:00.000Z');
  // 0x100 is longer than 0x20: padding keeps it newer.
  assert.equal(await putFeatureItemIfNewer(doc, table, okItem('audio/b.wav', seq(0x100), { etag: 'new' })), 'written');
  assert.equal((await getFeatureItem(doc, table, 'audio/b.wav'))!.etag, 'new');
});

test('a newer tombstone replaces the row, keeps its sequencer and sets a TTL; an older create then stays stale', async () => {
  const { doc } = servers.clients;
  const table = servers.names.featuresTable;
  await putFeatureItemIfNewer(doc, table, okItem('audio/c.wav', seq(5)));
  const now = new Date('2024-02-01T00:00:00.000Z');
  assert.equal(await putTombstoneIfNewer(doc, table, { key: 'audio/c.wav', sequencer: seq(7), extractor: 'v1-test', now }), 'written');
  const tomb = await getFeatureItem(doc, table, 'audio/c.wav');
  assert.equal(tomb!.status, FEATURE_STATUS.DELETED);
  assert.equal(tomb!.features, undefined);
  assert.equal(tomb!.expiresAt, now.getTime() / 1000 + TOMBSTONE_TTL_SECONDS);
  assert.equal(await putFeatureItemIfNewer(doc, table, okItem('audio/c.wav', seq(6))), 'stale');
  assert.equal((await getFeatureItem(doc, table, 'audio/c.wav'))!.status, FEATURE_STATUS.DELETED);
});

test('an older tombstone does not remove a newer row', async () => {
  const { doc } = servers.clients;
  const table = servers.names.featuresTable;
  await putFeatureItemIfNewer(doc, table, okItem('audio/d.wav', seq(9)));
  assert.equal(await putTombstoneIfNewer(doc, table, { key: 'audio/d.wav', sequencer: seq(8), extractor: 'v1-test', now: new Date() }), 'stale');
  assert.equal((await getFeatureItem(doc, table, 'audio/d.wav'))!.status, FEATURE_STATUS.OK);
});

test('scans every row, tombstones included', async () => {
  const keys = [];
  for await (const item of scanFeatureItems(servers.clients.doc, servers.names.featuresTable)) keys.push(item.key);
  assert.deepEqual(keys.sort(), ['audio/a.wav', 'audio/b.wav', 'audio/c.wav', 'audio/d.wav']);
});

test('throws on a transient DynamoDB failure instead of reporting stale', async () => {
  await assert.rejects(putFeatureItemIfNewer(servers.clients.doc, 'no-such-table', okItem('audio/z.wav', seq(1))), { name: 'ResourceNotFoundException' });
});
