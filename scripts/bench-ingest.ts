/**
 * Single-process ingest throughput on the real RAVDESS WAVs (../shared/ravdess/wav, or --dir), through the real
 * extractor handler against the embedded S3/DynamoDB servers: SQS-shaped batches of 10 → GetObject → extract →
 * conditional PutItem. Server start-up and uploads are excluded from the ingest figure (uploads reported apart).
 * CPU time is reported besides wall time (the machine may be shared; CPU time is the steadier figure).
 * The reference is extractFeatures alone on the same bytes in memory, measured in the same run: the ratio shows
 * what S3/DynamoDB/event handling add on top of the DSP.
 *
 *   npm run bench:ingest -- [--dir DIR] [--rounds 3] [--batch 10]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import os from 'node:os';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent } from 'aws-lambda';
import { startLocalServers } from '../cli/local/servers';
import { createExtractHandler } from '../functions/extract/handler';
import { extractFeatures } from '../shared/audio';
import { DEFAULT_FEATURE_CONFIG } from '../shared/config';
import { bareEtag } from '../shared/ingest/read-object';
import { s3EventBody } from '../shared/ingest/s3-event';
import { createSequencerClock } from '../shared/ingest/sequencer';
import { FEATURE_STATUS } from '../shared/names';
import { scanFeatureItems } from '../shared/store/feature-items';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: join(resolve(repoRoot, '../shared'), 'ravdess/wav') },
    rounds: { type: 'string', default: '3' },
    batch: { type: 'string', default: '10' },
  },
});
const rounds = Number(values.rounds);
const batchSize = Number(values.batch);

function findWavs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.wav$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** User+system CPU of this process (the handler AND the in-process S3/DynamoDB servers), ms. */
function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

const files = findWavs(values.dir).map((path) => ({ name: relative(values.dir, path), bytes: new Uint8Array(readFileSync(path)) }));
if (!files.length) throw new Error(`no WAV files under ${values.dir}`);

// Reference: the DSP alone, in memory (one warm-up pass first so JIT/lazy init is not billed to either side).
for (const f of files.slice(0, 3)) extractFeatures(f.bytes, DEFAULT_FEATURE_CONFIG);
let t = performance.now();
let cpu = process.cpuUsage();
for (let r = 0; r < rounds; r++) for (const f of files) extractFeatures(f.bytes, DEFAULT_FEATURE_CONFIG);
const extractSeconds = (performance.now() - t) / 1000;
const extractCpuMs = cpuMs(process.cpuUsage(cpu));

const servers = await startLocalServers();
try {
  const handler = createExtractHandler({
    clients: servers.clients,
    env: { featuresTable: servers.names.featuresTable, maxFileBytes: DEFAULT_FEATURE_CONFIG.maxFileBytes },
    logger: new Logger({ serviceName: 'bench-ingest', logLevel: 'SILENT' }),
  });
  const sequencer = createSequencerClock();

  let uploadSeconds = 0;
  let ingestSeconds = 0;
  let ingestCpuMs = 0;
  let failures = 0;
  for (let r = 0; r < rounds; r++) {
    t = performance.now();
    const bodies: string[] = [];
    for (const f of files) {
      const key = `audio/bench/round-${r}/${f.name}`;
      const put = await servers.clients.s3.send(new PutObjectCommand({ Bucket: servers.names.bucket, Key: key, Body: f.bytes }));
      bodies.push(s3EventBody({ bucket: servers.names.bucket, key, eventName: 'ObjectCreated:Put', size: f.bytes.byteLength, eTag: bareEtag(put.ETag), sequencer: sequencer() }));
    }
    uploadSeconds += (performance.now() - t) / 1000;

    t = performance.now();
    cpu = process.cpuUsage();
    for (let i = 0; i < bodies.length; i += batchSize) {
      const event: SQSEvent = { Records: bodies.slice(i, i + batchSize).map((body, j) => ({ messageId: `${r}-${i + j}`, body }) as SQSEvent['Records'][number]) };
      failures += (await handler(event)).batchItemFailures.length;
    }
    ingestSeconds += (performance.now() - t) / 1000;
    ingestCpuMs += cpuMs(process.cpuUsage(cpu));
  }

  let ok = 0;
  for await (const item of scanFeatureItems(servers.clients.doc, servers.names.featuresTable)) if (item.status === FEATURE_STATUS.OK) ok++;
  const n = files.length * rounds;
  const ingestRate = n / ingestSeconds;
  const extractRate = n / extractSeconds;
  console.log(
    JSON.stringify(
      {
        files: n,
        distinctFiles: files.length,
        rounds,
        batchSize,
        okRows: ok,
        batchItemFailures: failures,
        ingestFilesPerSecond: +ingestRate.toFixed(1),
        ingestMsPerFile: +((ingestSeconds * 1000) / n).toFixed(1),
        ingestCpuMsPerFile: +(ingestCpuMs / n).toFixed(1),
        extractOnlyFilesPerSecond: +extractRate.toFixed(1),
        extractOnlyMsPerFile: +((extractSeconds * 1000) / n).toFixed(1),
        extractOnlyCpuMsPerFile: +(extractCpuMs / n).toFixed(1),
        ingestOverExtractTime: +(extractRate / ingestRate).toFixed(2),
        uploadFilesPerSecond: +(n / uploadSeconds).toFixed(1),
        goalFilesPerSecond: 50,
        cpus: os.cpus().length,
        loadAverage1m: +os.loadavg()[0]!.toFixed(1),
        node: process.version,
      },
      null,
      2,
    ),
  );
} finally {
  await servers.close();
}
