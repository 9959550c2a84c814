/**
 * bench:predict — the predict Lambda as deployed: its esbuild bundle (size), cold start in a fresh process (import
 * the bundle + load the served model from the local S3), and warm latency of a 3.5 s WAV through the local REST API
 * (cli/local/http-api.ts turns each HTTP request into an API Gateway event for the bundled handler): N sequential
 * requests, then N concurrent ones C at a time. Prints figures beside the goals; exits 1 on any error response.
 *
 *   npm run bench:predict -- [--requests 200] [--concurrency 10] [--cold-runs 5] [--model conv1d]
 */
import { execFile } from 'node:child_process';
import { parseArgs, promisify } from 'node:util';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build, type Metafile } from 'esbuild';
import { decodeWav, extractFeatures } from '../shared/audio';
import { MODEL_NAMES, type ModelName } from '../shared/names';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startLocalServers, type LocalServers } from '../cli/local/servers';
import { startHttpApi, type ProxyHandler } from '../cli/local/http-api';
import { createClients } from '../shared/store/clients';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const WAV_DIR = resolve(REPO_ROOT, '../shared/ravdess/wav');

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '10' },
    'cold-runs': { type: 'string', default: '5' },
    model: { type: 'string', default: 'conv1d' },
    /** Internal: publish the model to the servers named by the environment, print its version, exit. */
    publish: { type: 'boolean', default: false },
  },
});
const REQUESTS = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
const COLD_RUNS = Number(args['cold-runs']);
const MODEL = args.model as ModelName;
if (!MODEL_NAMES.includes(MODEL)) throw new Error(`--model must be one of ${MODEL_NAMES.join(', ')}`);

const OUT = join(REPO_ROOT, 'dist', 'bench-predict');
const GOALS = { bundleBytes: 2 * 1024 * 1024, coldMs: 500, p50Ms: 15, p99Ms: 40 };

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
};
const median = (xs: number[]) => quantile(xs, 0.5);
const ms = (x: number) => `${x.toFixed(1)} ms`;
const kb = (x: number) => `${(x / 1024).toFixed(0)} KiB`;
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

/**
 * The same esbuild options as infra/constructs/node-function.ts for the predict function (ESM, module-first,
 * minified, no source map); `external` as infra/constructs/api.ts gives it (AWS SDK inlined, node-fetch external).
 */
async function bundle(outfile: string, external: string[]): Promise<{ bytes: number; gzip: number; meta: Metafile }> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, 'functions/predict/handler.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    minify: true,
    metafile: true,
    logLevel: 'error',
    banner: { js: "import { createRequire as __serCreateRequire } from 'node:module'; const require = __serCreateRequire(import.meta.url);" },
    external,
  });
  const code = readFileSync(outfile);
  return { bytes: statSync(outfile).size, gzip: gzipSync(code).length, meta: result.metafile };
}

/** Bytes in the bundle per package (top entries). */
function breakdown(meta: Metafile): string {
  const output = Object.values(meta.outputs)[0]!;
  const per = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const key = m ? m[1]! : '(our code)';
    per.set(key, (per.get(key) ?? 0) + bytesInOutput);
  }
  return [...per.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${kb(v)}`).join(', ');
}

/** A 3.5 s, 48 kHz, 16-bit mono PCM WAV cut from a real clip (looped if the clip is shorter). */
function wav35(source: Uint8Array): Uint8Array {
  const decoded = decodeWav(source);
  const rate = decoded.sampleRate;
  const all = decoded.mono(0, decoded.frames);
  const n = Math.round(3.5 * rate);
  const out = new Uint8Array(44 + n * 2);
  const v = new DataView(out.buffer);
  const str = (o: number, s: string) => [...s].forEach((c, i) => (out[o + i] = c.charCodeAt(0)));
  str(0, 'RIFF'); v.setUint32(4, 36 + n * 2, true); str(8, 'WAVE'); str(12, 'fmt ');
  v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true); v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true); v.setUint16(32, 2, true); v.setUint16(34, 16, true); str(36, 'data'); v.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i++) v.setInt16(44 + i * 2, Math.max(-32768, Math.min(32767, Math.round(all[i % all.length]! * 32768))), true);
  return out;
}

// One cold start: import the bundle, load the served model (what the handler's init does), then the extractor
// warm-up (BENCH_WARMUP=1; the second warm() finds the model cached and only runs the extractor), then one request.
const COLD_SCRIPT = `
import { readFileSync } from 'node:fs';
const atStart = performance.now();
const t0 = performance.now();
const mod = await import(process.env.BENCH_BUNDLE);
const t1 = performance.now();
const version = await mod.handler.warm({ extractor: false });
const t2 = performance.now();
if (process.env.BENCH_WARMUP === '1') await mod.handler.warm();
const t3 = performance.now();
const body = readFileSync(process.env.BENCH_WAV).toString('base64');
const res = await mod.handler({ httpMethod: 'POST', path: '/predict', resource: '/predict', headers: { 'content-type': 'audio/wav' },
  queryStringParameters: { intensity: 'normal', sex: 'female' }, body, isBase64Encoded: true, requestContext: {} });
const t4 = performance.now();
console.log(JSON.stringify({ processStartMs: atStart, importMs: t1 - t0, loadMs: t2 - t1, warmupMs: t3 - t2, firstRequestMs: t4 - t3, status: res.statusCode, version }));
`;

const os0 = await import('node:os');

async function main() {
  const loadAtStart = os0.loadavg();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  mkdirSync(OUT, { recursive: true });

  // 1. Bundle: as deployed (AWS SDK inlined, node-fetch external: infra/constructs/api.ts), and for comparison with
  //    the SDK imported from the runtime (the other functions' setting) and with node-fetch bundled too.
  const deployed = await bundle(join(OUT, 'handler.mjs'), ['@tensorflow/tfjs-node', 'node-fetch']);
  const runtimeSdk = await bundle(join(OUT, 'runtime-sdk', 'handler.mjs'), ['@aws-sdk/*', '@tensorflow/tfjs-node', 'node-fetch']);
  const withFetch = await bundle(join(OUT, 'with-fetch', 'handler.mjs'), ['@tensorflow/tfjs-node']);
  const tfOnly = Object.entries(Object.values(deployed.meta.outputs)[0]!.inputs).filter(([f]) => f.includes('@tensorflow/')).reduce((a, [, v]) => a + v.bytesInOutput, 0);
  const tfPackages = [...new Set(Object.keys(Object.values(deployed.meta.outputs)[0]!.inputs).map((f) => /@tensorflow\/[^/]+/.exec(f)?.[0]).filter(Boolean))];

  // 2. Local S3 + DynamoDB with a served model (published by a child process: the trainer's tfjs must not share
  //    this process's tfjs engine with the bundle's own copy), and the 3.5 s WAV.
  const servers = await startLocalServers();
  const publishedOut = await promisify(execFile)(process.execPath, ['--import', 'tsx', import.meta.filename, '--publish', '--model', MODEL], {
    env: { ...process.env, ...servers.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const published = JSON.parse(publishedOut.stdout.trim().split('\n').pop()!) as { version: string };
  const longest = readdirSync(WAV_DIR).filter((f) => f.endsWith('.wav')).map((f) => readFileSync(join(WAV_DIR, f))).reduce((a, b) => (b.length > a.length ? b : a));
  const wav = wav35(new Uint8Array(longest));
  const wavPath = join(OUT, 'bench-3.5s.wav');
  writeFileSync(wavPath, wav);
  writeFileSync(join(OUT, 'cold.mjs'), COLD_SCRIPT);

  // 3. Cold starts in fresh node processes: the deployed bundle with and without the extractor warm-up, and the
  //    bundle importing the runtime's SDK; interleaved so that a burst of machine load hits every variant alike.
  type Cold = { processStartMs: number; importMs: number; loadMs: number; warmupMs: number; firstRequestMs: number; status: number };
  const coldOnce = async (bundlePath: string, warmup: boolean): Promise<Cold> => {
    // Asynchronous: the local S3/DynamoDB servers run in this process and must keep answering the child.
    const child = await promisify(execFile)(process.execPath, [join(OUT, 'cold.mjs')], {
      env: { ...process.env, ...servers.env, BENCH_BUNDLE: bundlePath, BENCH_WAV: wavPath, BENCH_WARMUP: warmup ? '1' : '0', POWERTOOLS_LOG_LEVEL: 'SILENT' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (!line.startsWith('{')) throw new Error(`cold-start child failed: ${child.stderr}`);
    return JSON.parse(line) as Cold;
  };
  const cold: Cold[] = [];
  const coldNoWarmup: Cold[] = [];
  const coldRuntimeSdk: Cold[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    cold.push(await coldOnce(join(OUT, 'handler.mjs'), true));
    coldNoWarmup.push(await coldOnce(join(OUT, 'handler.mjs'), false));
    coldRuntimeSdk.push(await coldOnce(join(OUT, 'runtime-sdk', 'handler.mjs'), true));
  }

  // 4. Warm: the bundled handler behind the local REST API.
  Object.assign(process.env, servers.env, { POWERTOOLS_LOG_LEVEL: 'SILENT' });
  const mod = (await import(join(OUT, 'handler.mjs'))) as { handler: ProxyHandler & { warm(): Promise<string | undefined> } };
  await mod.handler.warm();
  const notHere: ProxyHandler = async () => ({ statusCode: 501, body: '{"code":"NOT_FOUND","message":"not in this bench"}' });
  const api = await startHttpApi({ handlers: { predict: async () => mod.handler, control: async () => notHere } });
  const url = `${api.url}/predict?intensity=normal&sex=female`;
  let errors = 0;
  let lastBody = '';
  const once = async (): Promise<number> => {
    const t = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: wav });
    lastBody = await res.text();
    if (res.status !== 200) errors++;
    return performance.now() - t;
  };
  for (let i = 0; i < 20; i++) await once(); // JIT warm-up
  const sequential: number[] = [];
  for (let i = 0; i < REQUESTS; i++) sequential.push(await once());
  const concurrent: number[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (next++ < REQUESTS) concurrent.push(await once()); }));
  const concurrentSeconds = (performance.now() - started) / 1000;

  // Where the time goes (same process, no HTTP): the handler alone (service time: the event as API Gateway sends it,
  // base64 body included) and extraction alone.
  const event = { httpMethod: 'POST', path: '/predict', resource: '/predict', headers: { 'content-type': 'audio/wav' }, queryStringParameters: { intensity: 'normal', sex: 'female' }, body: Buffer.from(wav).toString('base64'), isBase64Encoded: true, requestContext: {} };
  const serviceMs: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    const res = await (mod.handler as unknown as (e: unknown) => Promise<{ statusCode: number }>)(event);
    serviceMs.push(performance.now() - t);
    if (res.statusCode !== 200) errors++;
  }
  const extractMs: number[] = [];
  for (let i = 0; i < 100; i++) { const t = performance.now(); extractFeatures(wav); extractMs.push(performance.now() - t); }
  await api.close();
  await servers.close();

  const coldMs = cold.map((c) => c.importMs + c.loadMs + c.warmupMs);
  const best = (xs: number[]) => Math.min(...xs);
  const loadAtEnd = os0.loadavg();
  const os = os0;
  const p50 = median(sequential);
  const p99 = quantile(sequential, 0.99);
  const avg = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  const coldLine = (runs: Cold[], withWarmup: boolean) => {
    const total = runs.map((c) => c.importMs + c.loadMs + (withWarmup ? c.warmupMs : 0));
    return `import ${ms(median(runs.map((c) => c.importMs)))} + model load ${ms(median(runs.map((c) => c.loadMs)))}` +
      (withWarmup ? ` + extractor warm-up ${ms(median(runs.map((c) => c.warmupMs)))}` : '') +
      ` = ${ms(median(total))} median, ${ms(best(total))} best; first request after it ${ms(median(runs.map((c) => c.firstRequestMs)))}`;
  };
  console.log(`bench:predict — model ${published.version} (${MODEL}), 3.5 s 48 kHz 16-bit WAV (${kb(wav.length)}), node ${process.version}, ${os.cpus().length} cores, load average ${avg(loadAtStart)} at start, ${avg(loadAtEnd)} at end (figures scale with it)`);
  console.log(`bundle (as deployed: AWS SDK inlined, node-fetch external): ${kb(deployed.bytes)} (${kb(deployed.gzip)} gzip) — goal ≤ ${kb(GOALS.bundleBytes)}: ${verdict(deployed.bytes <= GOALS.bundleBytes)}`);
  console.log(`  tfjs inside: ${tfPackages.join(', ')} = ${kb(tfOnly)}; largest parts: ${breakdown(deployed.meta)}`);
  console.log(`bundle importing the runtime's AWS SDK instead: ${kb(runtimeSdk.bytes)} (${kb(runtimeSdk.gzip)} gzip); with node-fetch bundled too: ${kb(withFetch.bytes)}`);
  console.log(`cold start (fresh process, ${COLD_RUNS} runs): ${coldLine(cold, true)} — goal ≤ ${GOALS.coldMs} ms: ${verdict(median(coldMs) <= GOALS.coldMs)}; node boot before import ${ms(median(cold.map((c) => c.processStartMs)))}`);
  console.log(`  without the extractor warm-up: ${coldLine(coldNoWarmup, false)}`);
  console.log(`  importing the runtime's AWS SDK: ${coldLine(coldRuntimeSdk, true)}`);
  console.log(`warm, ${REQUESTS} sequential via HTTP: p50 ${ms(p50)}, p99 ${ms(p99)}, max ${ms(Math.max(...sequential))} — goals p50 ≤ ${GOALS.p50Ms} ms: ${verdict(p50 <= GOALS.p50Ms)}, p99 ≤ ${GOALS.p99Ms} ms: ${verdict(p99 <= GOALS.p99Ms)}`);
  console.log(`warm, ${REQUESTS} concurrent (${CONCURRENCY} at a time, ONE handler process, as the local API runs it): p50 ${ms(median(concurrent))}, p99 ${ms(quantile(concurrent, 0.99))}, ${(REQUESTS / concurrentSeconds).toFixed(0)} req/s (≈ ${CONCURRENCY} × the service time: one Node thread; on Lambda each concurrent request has its own instance)`);
  console.log(`  service time (handler alone, API Gateway event, no HTTP): p50 ${ms(median(serviceMs))}, p99 ${ms(quantile(serviceMs, 0.99))}; of which feature extraction alone: p50 ${ms(median(extractMs))}, p99 ${ms(quantile(extractMs, 0.99))}`);
  console.log(`errors: ${errors} (last response ${lastBody.slice(0, 120)}…)`);
  if (errors > 0 || [...cold, ...coldNoWarmup, ...coldRuntimeSdk].some((c) => c.status !== 200)) process.exitCode = 1;
}

/** Child mode: build the course model with the trainer's code, save it to the local S3 and promote it. */
async function publish() {
  const { loadClips, preprocessingFor, publishModel } = await import('../test/functions/predict/fixtures');
  const env = process.env;
  const clients = createClients({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoints: { s3: env.AWS_ENDPOINT_URL_S3!, dynamodb: env.AWS_ENDPOINT_URL_DYNAMODB! } });
  const servers = { clients, names: { bucket: env.SER_BUCKET!, runsTable: env.SER_RUNS_TABLE!, featuresTable: env.SER_FEATURES_TABLE! } } as LocalServers;
  const published = await publishModel(servers, 'run-20240101-000000-bench0', MODEL, preprocessingFor(loadClips()), { seed: 42 });
  console.log(JSON.stringify({ version: published.version }));
}

if (args.publish) await publish();
else await main();
