/**
 * `ser experiment --features <csv> …` — the course experiment offline: fill + split + MinMax-scale a features CSV
 * (ours or librosa's golden file), train the four course models (250 epochs, batch 32, validation on the test part
 * every epoch) and print a table of test accuracy, macro F1 and training seconds per model. Optionally writes the
 * RunMetrics JSON and the HTML report. Uses exactly the trainer's code (shared/training).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { z } from 'zod';
import { parseFeaturesCsv } from '../../shared/dataset/features-csv';
import { MODEL_NAMES } from '../../shared/names';
import { renderReport } from '../../shared/report/render';
import { prepareExperimentData, type ExperimentSplit } from '../../shared/training/prepare';
import { runExperiment } from '../../shared/training/experiment';
import type { RunMetrics } from '../../shared/types';
import { UsageError, handleError } from '../handle-error';
import { createProgress } from '../progress';

const intList = (what: string) =>
  z
    .string()
    .regex(/^\d+(\s*,\s*\d+)*$/, `${what} must be a comma-separated list of integers`)
    .transform((s) => s.split(',').map((x) => Number(x.trim())));

export const experimentOptionsSchema = z.object({
  features: z.string().min(1, 'give the features CSV (--features)'),
  epochs: z.coerce.number().int().min(1).max(10_000).default(250),
  split: z.enum(['random', 'actor']).default('random'),
  seed: z.coerce.number().int().min(0).default(42),
  testActors: intList('--test-actors').optional(),
  /** A file of test file names (one per line, or a JSON array), or `splits.json#seed1` for one entry of a JSON object. */
  testFiles: z.string().min(1).optional(),
  models: z
    .string()
    .transform((s) => s.split(',').map((m) => m.trim()))
    .pipe(z.array(z.enum(MODEL_NAMES)).min(1))
    .optional(),
  json: z.string().min(1).optional(),
  report: z.string().min(1).optional(),
  backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  quiet: z.boolean().default(false),
});
export type ExperimentCliOptions = z.input<typeof experimentOptionsSchema>;

export interface ExperimentIo {
  stdout: { write(text: string): unknown };
  stderr: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
}

/** Read the test file list: a text file (one name per line), a JSON array, or `file.json#key` (an array entry). */
export async function readTestFiles(spec: string): Promise<string[]> {
  const hash = spec.lastIndexOf('#');
  const [path, key] = hash > 0 ? [spec.slice(0, hash), spec.slice(hash + 1)] : [spec, undefined];
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new UsageError(`--test-files: cannot read ${path}`, { cause });
  }
  if (key !== undefined || path.endsWith('.json')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new UsageError(`--test-files: ${path} is not JSON`, { cause });
    }
    const list = key !== undefined ? (json as Record<string, unknown>)?.[key] : json;
    if (!Array.isArray(list) || !list.every((f) => typeof f === 'string')) {
      throw new UsageError(`--test-files: ${key !== undefined ? `entry "${key}" of ${path}` : path} is not an array of file names`);
    }
    return list;
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}

function splitOf(opts: z.output<typeof experimentOptionsSchema>, testFiles?: string[]): ExperimentSplit {
  if (testFiles) return { mode: 'files', testFiles };
  if (opts.split === 'actor') {
    if (!opts.testActors?.length) throw new UsageError('--split actor needs --test-actors (e.g. --test-actors 19,20)');
    return { mode: 'actor', testActors: opts.testActors };
  }
  return { mode: 'random', seed: opts.seed };
}

/** The result table: one line per model. */
export function formatExperimentTable(metrics: RunMetrics): string {
  const rows = metrics.models.map((m) =>
    [m.model.padEnd(14), `${(m.accuracy * 100).toFixed(1)}%`.padStart(8), m.macroF1.toFixed(3).padStart(8), m.trainSeconds.toFixed(1).padStart(9), String(m.params).padStart(7), m.model === metrics.candidate ? '  ← best' : ''].join(' '),
  );
  const header = ['model'.padEnd(14), 'accuracy'.padStart(8), 'macroF1'.padStart(8), 'train s'.padStart(9), 'params'.padStart(7)].join(' ');
  return `${header}\n${rows.join('\n')}\ntrain ${metrics.trainCount} · test ${metrics.testCount} · backend ${metrics.backend}\n`;
}

/** Run the experiment; prints progress on stderr and the table on stdout; returns the metrics. */
export async function runExperimentCommand(options: ExperimentCliOptions, io: ExperimentIo = { stdout: process.stdout, stderr: process.stderr }): Promise<RunMetrics> {
  const opts = experimentOptionsSchema.parse(options);
  let csv: string;
  try {
    csv = await readFile(opts.features, 'utf8');
  } catch (cause) {
    throw new UsageError(`--features: cannot read ${opts.features}`, { cause });
  }
  const testFiles = opts.testFiles ? await readTestFiles(opts.testFiles) : undefined;
  const data = prepareExperimentData(parseFeaturesCsv(csv), splitOf(opts, testFiles));
  const progress = createProgress({ unit: 'epochs', quiet: opts.quiet, stream: io.stderr as NodeJS.WriteStream });
  const runId = `experiment-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
  let result;
  try {
    result = await runExperiment(data.train, data.test, {
      runId,
      models: opts.models,
      epochs: opts.epochs,
      seed: opts.seed,
      backend: opts.backend,
      onModelStart: (model, i, n) => {
        progress.log(`training ${model} (${i + 1}/${n}), ${opts.epochs} epochs`);
        progress.start(opts.epochs);
      },
      onEpoch: (log) => progress.increment(`${log.model} val_acc ${(log.valAcc * 100).toFixed(1)}%`),
      onModelDone: (t) => progress.log(`${t.name}: test accuracy ${(t.metrics.accuracy * 100).toFixed(1)}% in ${t.metrics.trainSeconds.toFixed(1)} s`),
    });
  } finally {
    progress.stop();
  }
  const metrics = result.metrics;
  io.stdout.write(formatExperimentTable(metrics));
  if (opts.json) await writeFile(opts.json, JSON.stringify(metrics, null, 1));
  if (opts.report) await writeFile(opts.report, renderReport({ metrics, generatedAt: new Date().toISOString() }));
  return metrics;
}

export function experimentCommand(): Command {
  return new Command('experiment')
    .description('the course experiment offline: train the four models on a features CSV and print accuracy and training time per model')
    .requiredOption('-f, --features <csv>', 'features CSV (from `ser features`, or the golden librosa CSV)')
    .option('-e, --epochs <n>', 'epochs per model', '250')
    .option('--split <mode>', 'random (stratified 80/20 by emotion) or actor (hold out --test-actors)', 'random')
    .option('--seed <n>', 'seed of the random split and of the weight initializers', '42')
    .option('--test-actors <list>', 'actors held out with --split actor, e.g. 19,20')
    .option('--test-files <file>', 'exact test set: a file of names (one per line / JSON array) or splits.json#seed1')
    .option('-m, --models <list>', `models to train (default all: ${MODEL_NAMES.join(',')})`)
    .option('--json <file>', 'write the metrics (RunMetrics JSON) to this file')
    .option('--report <file>', 'write the HTML report to this file')
    .option('--backend <name>', 'auto (tfjs-node, else wasm, else cpu), tensorflow, wasm or cpu', 'auto')
    .option('-q, --quiet', 'no progress bar', false)
    .addHelpText(
      'after',
      `
Missing frames of short clips are filled with the clip's floor dB; MinMax scaling is fitted on the training part.

Examples:
  ser experiment --features features.csv
  ser experiment --features ../shared/golden/librosa_features_actors01-20.csv --test-files ../shared/reference/splits_actors01-20.json#seed1
  ser experiment --features features.csv --split actor --test-actors 19,20 --epochs 50 --json metrics.json --report report.html`,
    )
    .action(async (flags: Record<string, unknown>) => {
      try {
        await runExperimentCommand(flags as ExperimentCliOptions);
      } catch (error) {
        handleError(error);
      }
    });
}
