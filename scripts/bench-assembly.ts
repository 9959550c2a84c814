/**
 * Assembly at scale: N synthetic feature rows (default 100,000) written to the embedded DynamoDB, then the real
 * Assemble path (parallel scan → builder → split/scale → train.csv/test.csv/manifest.json in the embedded S3).
 * Prints seconds per phase and the peak heap / RSS, to show memory stays bounded by the compact rows.
 *   npm run bench:assembly -- [rows=100000] [segments=4]
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalServers } from '../cli/local/servers';
import { EXTRACTOR_VERSION } from '../shared/config';
import { assembleDataset } from '../shared/dataset/assemble';
import { encodeFrameMeans } from '../shared/store/feature-codec';

const rows = Number(process.argv[2] ?? 100_000);
const segments = Number(process.argv[3] ?? 4);
const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;

let peakHeap = 0;
let peakRss = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakRss = Math.max(peakRss, m.rss);
}, 50);

const servers = await startLocalServers();
try {
  const { doc, s3 } = servers.clients;
  let t = performance.now();
  const means = new Float32Array(130);
  for (let start = 0; start < rows; start += 25 * 8) {
    const batches = [];
    for (let b = start; b < Math.min(rows, start + 25 * 8); b += 25) {
      const items = [];
      for (let i = b; i < Math.min(rows, b + 25); i++) {
        for (let f = 0; f < 130; f++) means[f] = 30 + ((i * 31 + f * 7) % 50);
        const frames = i % 10 === 0 ? 110 : 130;
        items.push({
          key: `audio/bench/${String(i).padStart(7, '0')}.wav`,
          status: 'OK',
          etag: `"${i}"`,
          labels: { emotion: i % 8, intensity: i % 2, male: (i >> 1) % 2, actor: 1 + (i % 24), statement: 1, repetition: 1 },
          features: encodeFrameMeans(means.subarray(0, frames)),
          frames,
          floorDb: 20,
          extractor: EXTRACTOR_VERSION,
          updatedAt: new Date().toISOString(),
        });
      }
      batches.push(doc.send(new BatchWriteCommand({ RequestItems: { [servers.names.featuresTable]: items.map((Item) => ({ PutRequest: { Item } })) } })));
    }
    await Promise.all(batches);
  }
  const loadSeconds = (performance.now() - t) / 1000;
  peakHeap = 0;
  peakRss = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  t = performance.now();
  const { result } = await assembleDataset({ s3, doc, bucket: servers.names.bucket, featuresTable: servers.names.featuresTable, runId: 'run-20240101-000000-bench0', params: { split: 'random', seed: 42 }, scan: { segments } });
  const assembleSeconds = (performance.now() - t) / 1000;
  console.log(
    JSON.stringify({ rows, segments, loadSeconds: +loadSeconds.toFixed(1), assembleSeconds: +assembleSeconds.toFixed(1), trainCount: result.trainCount, testCount: result.testCount, heapBefore: mb(heapBefore), peakHeapDuringAssembly: mb(peakHeap), peakRss: mb(peakRss) }),
  );
} finally {
  clearInterval(sampler);
  await servers.close();
}
