/**
 * `ser demo --data DIR [--epochs N] [--state DIR] [--port N]` — the whole pipeline on your machine in one command:
 * start the local stack in-process, ingest DIR, wait until every file has a row, run the training workflow, print
 * each model's accuracy and the report's path, predict a few held-out files (predicted vs true emotion), stop.
 * State is kept in the state folder, so `ser local up` later serves the trained model.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Command } from 'commander';
import { EMOTIONS } from '../../shared/config';
import { FEATURES_TABLE, FEATURE_STATUS, PREFIX, RUN_STATUS } from '../../shared/names';
import { parseRavdessName } from '../../shared/ravdess';
import type { RunItem } from '../../shared/types';
import { EXIT, handleError } from '../handle-error';
import { DEFAULT_STATE_DIR, isRunning, readEndpointsFile } from '../local/endpoints';
import { ConfigError } from '../../shared/errors';
import { pct, table } from '../local/format';
// The stack pulls in aws-cdk-lib (workflow synthesis): loaded only by the commands that start it.
import type { LocalStack } from '../local/stack';
import { localTarget, type Target } from '../local/target';
import { createProgress } from '../progress';
import { findWavFiles, keyFor, runIngest } from './ingest';
import { runPredict } from './predict';
import { startTraining, waitForRun } from './train';

export const RAVDESS_HELP = `ser demo needs the RAVDESS speech recordings:
  1. download Audio_Speech_Actors_01-24.zip (208 MB) from https://zenodo.org/records/1188976
  2. unzip it:   unzip Audio_Speech_Actors_01-24.zip -d ravdess
  3. run:        npx ser demo --data ravdess
(any folder of WAVs named like RAVDESS, 03-01-EE-II-SS-RR-AA.wav, works; sub-folders are searched)
`;

export interface DemoOptions {
  data: string;
  epochs?: number;
  state?: string;
  port?: number;
  /** Files to predict after training. */
  predictions?: number;
  workers?: number;
  out?: (text: string) => void;
  /** Log of the stack (workflow transitions, trainer output). */
  log?: (line: string) => void;
  quiet?: boolean;
}

export interface DemoResult {
  files: number;
  rows: { ok: number; error: number };
  ingestSeconds: number;
  filesPerSecond: number;
  /** CPU time of the whole demo process (all threads: uploads, S3/DynamoDB server threads, extractor workers) per ingested file, ms. */
  cpuMsPerFile: number;
  /** 1-minute load average when ingest ended (the machine may be shared: files/s depends on it, CPU per file hardly). */
  loadAverage: number;
  run: RunItem;
  trainSeconds: number;
  reportPath?: string;
  predictions: { file: string; predicted: string; truth?: string }[];
  totalSeconds: number;
}

/** Polls the features table until every key has a row (OK or ERROR) with a progress bar. */
/**
 * Waits until every key has a features row (OK or ERROR), with a progress bar. Progress comes from the queue's
 * counters (one message per uploaded file); the table is scanned only when the queue is idle, so polling does not
 * compete with extraction for the CPU.
 * @param report called about every 10 s with files processed/total (progress for logs, where no bar is drawn)
 */
export async function waitForRows(
  stack: LocalStack,
  keys: string[],
  quiet = false,
  timeoutMs = 3600_000,
  report?: (done: number, total: number) => void,
  /** queueProgress(stack) taken before the uploads started. @default now */
  baseline = queueProgress(stack),
): Promise<{ ok: number; error: number }> {
  const wanted = new Set(keys);
  const progress = createProgress({ unit: 'files', quiet });
  progress.start(keys.length);
  let shown = 0;
  let lastReport = Date.now();
  let idleSince: number | undefined;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const processed = Math.min(keys.length, queueProgress(stack) - baseline);
    for (; shown < processed; shown++) progress.increment();
    if (report && Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      report(processed, keys.length);
    }
    if (stack.queue.pending === 0) {
      idleSince ??= Date.now();
      const counts = countRows(await scanStatuses(stack), wanted);
      // Done when every key has a row, or the queue has been idle a while (dead-lettered or never-delivered files).
      if (counts.ok + counts.error >= wanted.size || Date.now() - idleSince > 3000 || Date.now() > deadline) {
        progress.stop();
        return counts;
      }
    } else idleSince = undefined;
    if (Date.now() > deadline) {
      progress.stop();
      return countRows(await scanStatuses(stack), wanted);
    }
    await sleep(500);
  }
}

/** Messages the queue has finished with (processed or dead-lettered). */
export function queueProgress(stack: LocalStack): number {
  return stack.queue.stats.succeeded + stack.queue.stats.deadLettered;
}

function countRows(rows: Map<string, string>, wanted: Set<string>): { ok: number; error: number } {
  let ok = 0;
  let error = 0;
  for (const [key, status] of rows) {
    if (!wanted.has(key)) continue;
    if (status === FEATURE_STATUS.OK) ok++;
    else if (status === FEATURE_STATUS.ERROR) error++;
  }
  return { ok, error };
}

/** key → status of every features row. */
export async function scanStatuses(stack: LocalStack): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stack.servers.clients.doc.send(
      new ScanCommand({
        TableName: stack.servers.names.featuresTable,
        ProjectionExpression: '#k, #s',
        ExpressionAttributeNames: { '#k': FEATURES_TABLE.partitionKey, '#s': 'status' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) out.set(String(item[FEATURES_TABLE.partitionKey]), String(item.status));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** Test-set keys of a run (datasets/<runId>/test.csv, first column). */
async function testKeys(target: Target, runId: string): Promise<string[]> {
  try {
    const got = await target.s3.send(new GetObjectCommand({ Bucket: target.bucket!, Key: `${PREFIX.DATASETS}${runId}/test.csv` }));
    const lines = (await got.Body!.transformToString()).split('\n').slice(1).filter(Boolean);
    return lines.map((l) => l.split(',')[0]!.replace(/^"|"$/g, ''));
  } catch {
    return [];
  }
}

/** Picks up to n files, one per emotion first. */
function pickSpread(keys: string[], n: number): string[] {
  const byEmotion = new Map<number, string>();
  for (const k of keys) {
    const labels = safeLabels(k);
    if (labels && !byEmotion.has(labels.emotion)) byEmotion.set(labels.emotion, k);
  }
  const picked = [...byEmotion.values()];
  for (const k of keys) if (picked.length < n && !picked.includes(k)) picked.push(k);
  return picked.slice(0, n);
}

function safeLabels(key: string) {
  try {
    return parseRavdessName(key);
  } catch {
    return undefined;
  }
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const out = options.out ?? ((t: string) => void process.stdout.write(t));
  const state = options.state ?? DEFAULT_STATE_DIR;
  const started = performance.now();
  const running = readEndpointsFile(state);
  if (isRunning(running)) {
    throw new ConfigError(`A local stack (pid ${running.pid}) already uses the state folder ${state}`, {
      suggestion: 'Stop it with `ser local down`, or give the demo another --state folder.',
    });
  }
  const files = await findWavFiles(options.data);
  out(`ser demo: ${files.length} WAV files in ${options.data}; state in ${state}\n`);
  const { startLocalStack } = await import('../local/stack');
  const stack = await startLocalStack({
    stateDir: state,
    port: options.port ?? 0,
    extractWorkers: options.workers,
    log: options.log,
    // The functions' JSON logs would bury the demo's output; --verbose (a log sink) keeps them.
    ...(options.log || process.env.POWERTOOLS_LOG_LEVEL ? {} : { functionLogLevel: 'ERROR' as const }),
  });
  try {
    const target = localTarget(stack.endpoints);
    out(`local stack up: API ${stack.endpoints.apiUrl}, S3 ${stack.endpoints.s3}\n`);

    const ingestStart = performance.now();
    // CPU of this whole process (main thread: servers, uploads; worker threads: extraction) per file.
    const cpuStart = process.cpuUsage();
    const baseline = queueProgress(stack);
    const ingest = await runIngest(target, { dir: options.data, quiet: options.quiet });
    out(`uploaded ${ingest.uploaded.length}, unchanged ${ingest.skipped.length}, failed ${ingest.failed.length} (${ingest.seconds.toFixed(1)} s); extracting features…\n`);
    const keys = files.map((f) => keyFor(options.data, f));
    const rows = await waitForRows(stack, keys, options.quiet, undefined, process.stderr.isTTY ? undefined : (n, total) => out(`  ${n}/${total} files extracted\n`), baseline);
    const ingestSeconds = (performance.now() - ingestStart) / 1000;
    const filesPerSecond = keys.length / ingestSeconds;
    const cpu = process.cpuUsage(cpuStart);
    const cpuMsPerFile = (cpu.user + cpu.system) / 1000 / keys.length;
    const loadAverage = loadavg()[0]!;
    out(
      `features: ${rows.ok} OK rows, ${rows.error} ERROR rows in ${ingestSeconds.toFixed(1)} s (${filesPerSecond.toFixed(1)} files/s incl. upload; ` +
        `${cpuMsPerFile.toFixed(1)} ms CPU per file for upload + S3 + extraction + DynamoDB; load average ${loadAverage.toFixed(1)})\n`,
    );

    const trainStart = performance.now();
    const started_ = await startTraining(target, { ...(options.epochs ? { epochs: options.epochs } : {}) });
    out(`training run ${started_.runId} started (${options.epochs ?? 'default'} epochs)…\n`);
    const run = await waitForRun(target, started_.runId, (r) => out(`  ${r.runId}: ${r.status}\n`));
    const trainSeconds = (performance.now() - trainStart) / 1000;

    let reportPath: string | undefined;
    const predictions: DemoResult['predictions'] = [];
    if (run.status === RUN_STATUS.SUCCEEDED) {
      out(table(['model', 'test accuracy', 'macro F1', 'train s'], (run.metrics ?? []).map((m) => [m.model, pct(m.accuracy), m.macroF1?.toFixed(3), m.trainSeconds?.toFixed(1)])));
      out(`candidate ${run.candidate}${run.promoted ? ' — promoted, now served' : ' — not promoted (the served model is at least as good)'}\n`);
      try {
        const report = await target.s3.send(new GetObjectCommand({ Bucket: target.bucket!, Key: `${PREFIX.MODELS}${run.runId}/report.html` }));
        mkdirSync(join(state, 'reports'), { recursive: true });
        reportPath = resolve(state, 'reports', `${run.runId}.html`);
        writeFileSync(reportPath, await report.Body!.transformToString());
        out(`report: ${reportPath}\n`);
      } catch (e) {
        out(`report: not found (${(e as Error).name})\n`);
      }
      const byKey = new Map(files.map((f) => [keyFor(options.data, f), f]));
      const heldOut = (await testKeys(target, run.runId)).filter((k) => byKey.has(k));
      for (const key of pickSpread(heldOut.length ? heldOut : keys, options.predictions ?? 5)) {
        const file = byKey.get(key)!;
        try {
          const p = await runPredict(target, { file });
          const truth = safeLabels(key);
          predictions.push({ file: basename(file), predicted: p.emotion, truth: truth ? EMOTIONS[truth.emotion] : undefined });
        } catch (e) {
          out(`predict ${basename(file)} failed: ${(e as Error).message}\n`);
        }
      }
      if (predictions.length) {
        out(`predictions on held-out files (served model):\n`);
        out(table(['file', 'predicted', 'true', ''], predictions.map((p) => [p.file, p.predicted, p.truth, p.truth === p.predicted ? '✓' : '✗'])));
      }
    } else {
      out(`training run ${run.runId} FAILED: ${run.error?.code}: ${run.error?.message}\n`);
    }
    const totalSeconds = (performance.now() - started) / 1000;
    out(`done in ${totalSeconds.toFixed(1)} s (ingest ${ingestSeconds.toFixed(1)} s, training ${trainSeconds.toFixed(1)} s); state kept in ${state} — \`ser local up --state ${state}\` serves it again\n`);
    return { files: files.length, rows, ingestSeconds, filesPerSecond, cpuMsPerFile, loadAverage, run, trainSeconds, reportPath, predictions, totalSeconds };
  } finally {
    await stack.close();
  }
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('the whole pipeline locally in one command: ingest a folder of RAVDESS WAVs, train, report, predict')
    .option('--data <dir>', 'folder of RAVDESS WAVs (e.g. the unzipped Audio_Speech_Actors_01-24)')
    .option('--epochs <n>', 'epochs per model (default 250, the course value)')
    .option('--state <dir>', 'state folder (kept afterwards)', DEFAULT_STATE_DIR)
    .option('--port <n>', 'REST API port (0 = any free port)', '0')
    .option('--workers <n>', 'extractor worker threads', '2')
    .option('-q, --quiet', 'no progress bars', false)
    .option('--verbose', 'print the workflow transitions and the trainer output', false)
    .action(async (flags: { data?: string; epochs?: string; state: string; port: string; workers: string; quiet: boolean; verbose: boolean }) => {
      if (!flags.data) {
        process.stderr.write(RAVDESS_HELP);
        process.exit(EXIT.USAGE);
      }
      try {
        const result = await runDemo({
          data: flags.data,
          epochs: flags.epochs ? Number(flags.epochs) : undefined,
          state: flags.state,
          port: Number(flags.port),
          workers: Number(flags.workers),
          quiet: flags.quiet,
          log: flags.verbose ? (l) => process.stderr.write(`${l}\n`) : undefined,
        });
        if (result.run.status !== RUN_STATUS.SUCCEEDED) process.exitCode = EXIT.FAILED;
      } catch (e) {
        handleError(e);
      }
    });
}
