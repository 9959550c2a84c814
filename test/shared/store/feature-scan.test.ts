import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalServers } from '../../../cli/local/servers';
import { scanFeatureItems } from '../../../shared/store/feature-scan';
import { syntheticItem } from '../dataset/fixtures';

test('reads every row once over parallel segments and many pages, Binary features intact', async () => {
  const servers = await startLocalServers();
  try {
    const { doc } = servers.clients;
    const items: Record<string, unknown>[] = Array.from({ length: 230 }, (_, i) => ({ ...syntheticItem(i, i % 8), errorMessage: 'not projected' }));
    for (let i = 0; i < items.length; i += 25) {
      await doc.send(new BatchWriteCommand({ RequestItems: { [servers.names.featuresTable]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    const seen = new Map<string, Record<string, unknown>>();
    const result = await scanFeatureItems(doc, servers.names.featuresTable, (item) => {
      assert.ok(!seen.has(item.key as string), `duplicate ${String(item.key)}`);
      seen.set(item.key as string, item);
    }, { segments: 3, pageSize: 20 });
    assert.equal(seen.size, 230);
    assert.equal(result.items, 230);
    assert.ok(result.pages >= 230 / 20, `pages ${result.pages}`);
    assert.ok(!Number.isNaN(Date.parse(result.snapshotTime)));
    const one = seen.get(items[7]!.key as string)!;
    assert.ok(one.features instanceof Uint8Array);
    assert.deepEqual(one.features, items[7]!.features);
    assert.equal(one.errorMessage, undefined, 'only the projected attributes are read');
  } finally {
    await servers.close();
  }
});
