/**
 * `ser features <file|dir>... [--out features.csv]` — the course's feature recipe on local WAVs, one CSV row per file
 * (the golden CSV's columns). Directories are searched recursively for .wav/.WAV. A bad file never stops the batch:
 * it is reported on stderr (path, code, reason), the good files are still written, and the exit code is 1.
 */
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { extractFeatures } from '../../shared/audio';
import { formatFeaturesCsv, type FeatureRow } from '../../shared/dataset/features-csv';
import { parseRavdessName } from '../../shared/ravdess';
import { DEFAULT_FEATURE_CONFIG } from '../../shared/config';
import { AudioError, ErrorCode, SerError } from '../../shared/errors';
import { EXIT, UsageError, handleError } from '../handle-error';
import { createProgress, type Progress } from '../progress';

export const featuresOptionsSchema = z.object({
  /** WAV files and/or directories. */
  paths: z.array(z.string().min(1)).min(1, 'give at least one WAV file or directory'),
  /** Output CSV path; stdout when absent. */
  out: z.string().min(1).optional(),
  /** No progress bar or summary (failures are still reported). */
  quiet: z.boolean().default(false),
});
export type FeaturesOptions = z.input<typeof featuresOptionsSchema>;

/** One input file and the name it gets in the CSV's `file` column. */
export interface WavInput {
  path: string;
  /** Relative to the directory argument it was found under (POSIX separators), or the file argument as given. */
  name: string;
}

export interface FileFailure {
  file: string;
  code: string;
  message: string;
}

export interface FeaturesResult {
  /** Files attempted. */
  files: number;
  /** Rows written, in output order. */
  rows: FeatureRow[];
  failures: FileFailure[];
  /** 0 all good, 1 some file failed. */
  exitCode: number;
}

export interface FeaturesIo {
  /** Receives the CSV when no --out is given. */
  writeStdout(text: string): void;
  /** Progress bar, failure reports and the summary. */
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

const defaultIo: FeaturesIo = { writeStdout: (t) => void process.stdout.write(t), stderr: process.stderr };

const isWav = (name: string) => /\.wav$/i.test(name);
const posix = (p: string) => p.split(sep).join('/');

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (e) => {
      const full = resolve(dir, e.name);
      if (e.isDirectory()) return walk(full);
      return e.isFile() && isWav(e.name) ? [full] : [];
    }),
  );
  return nested.flat();
}

/**
 * Expand file and directory arguments into WAV inputs, sorted by CSV name (code-point order) and de-duplicated.
 * @throws UsageError when a path does not exist or nothing is found
 */
export async function collectWavInputs(paths: readonly string[], warn: (line: string) => void): Promise<{ inputs: WavInput[]; sawDirectory: boolean }> {
  const byPath = new Map<string, WavInput>();
  let sawDirectory = false;
  for (const arg of paths) {
    const info = await stat(arg).catch(() => undefined);
    if (!info) throw new UsageError(`No such file or directory: ${arg}`);
    if (info.isDirectory()) {
      sawDirectory = true;
      const found = await walk(resolve(arg));
      if (found.length === 0) warn(`warning: no .wav files under ${arg}`);
      for (const f of found) if (!byPath.has(f)) byPath.set(f, { path: f, name: posix(relative(resolve(arg), f)) });
    } else {
      const full = resolve(arg);
      if (!byPath.has(full)) byPath.set(full, { path: full, name: posix(arg) });
    }
  }
  if (byPath.size === 0) throw new UsageError(`No .wav files found in: ${paths.join(', ')}`);
  const inputs = [...byPath.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.path < b.path ? -1 : 1));
  return { inputs, sawDirectory };
}

/** Features + labels of one file; throws SerError (or an fs error) for a bad file. */
async function featureRow(input: WavInput): Promise<FeatureRow> {
  // Refuse oversize files before reading them into memory (decodeWav would refuse them after).
  const { size } = await stat(input.path);
  if (size > DEFAULT_FEATURE_CONFIG.maxFileBytes) {
    throw new AudioError(ErrorCode.FILE_TOO_LARGE, `File is ${size} bytes; the limit is ${DEFAULT_FEATURE_CONFIG.maxFileBytes} bytes.`, { suggestion: 'Split the recording into shorter clips.' });
  }
  const bytes = await readFile(input.path);
  const labels = parseRavdessName(input.name);
  const f = extractFeatures(bytes);
  return { file: input.name, labels, frames: f.frames, floorDb: f.floorDb, means: f.means };
}

function describeFailure(name: string, error: unknown): FileFailure {
  if (error instanceof SerError) return { file: name, code: error.code, message: error.message };
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return { file: name, code: typeof code === 'string' ? code : 'INTERNAL', message };
}

/** Write via a temporary file + rename, so a crash never leaves a half CSV behind. */
async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(resolve(path)), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** Extract features of every WAV under `paths` and write the CSV. Never throws for a bad file, only for usage/IO. */
export async function runFeatures(options: FeaturesOptions, io: FeaturesIo = defaultIo): Promise<FeaturesResult> {
  const opts = featuresOptionsSchema.parse(options);
  const progress: Progress = createProgress({ unit: 'files', quiet: opts.quiet, stream: io.stderr as NodeJS.WriteStream });
  const { inputs, sawDirectory } = await collectWavInputs(opts.paths, (l) => progress.log(l));
  const rows: FeatureRow[] = [];
  const failures: FileFailure[] = [];
  if (sawDirectory) progress.start(inputs.length);
  try {
    for (const input of inputs) {
      try {
        rows.push(await featureRow(input));
      } catch (error) {
        const failure = describeFailure(input.name, error);
        failures.push(failure);
        progress.log(`failed ${input.path}: ${failure.code}: ${failure.message}`);
      }
      progress.increment(input.name);
    }
  } finally {
    progress.stop();
  }
  const csv = formatFeaturesCsv(rows);
  if (opts.out) await writeAtomically(opts.out, csv);
  else io.writeStdout(csv);
  if (!opts.quiet || failures.length) {
    const where = opts.out ? ` to ${opts.out}` : '';
    io.stderr.write(`features: ${rows.length} of ${inputs.length} files written${where}${failures.length ? `, ${failures.length} failed (see above)` : ''}\n`);
  }
  return { files: inputs.length, rows, failures, exitCode: failures.length ? EXIT.FAILED : EXIT.OK };
}

export function featuresCommand(): Command {
  return new Command('features')
    .description('extract the course features (130 frame means in dB) of local WAV files into a CSV, one row per file')
    .argument('<paths...>', 'WAV files and/or directories (searched recursively for .wav/.WAV)')
    .option('-o, --out <file>', 'write the CSV to this file (default: stdout)')
    .option('-q, --quiet', 'no progress bar or summary; failures are still reported', false)
    .addHelpText(
      'after',
      `
Rows are sorted by file name; "file" is the path relative to the directory argument (or the file argument as given).
RAVDESS names (03-01-EE-II-SS-RR-AA.wav) fill the label columns; other names leave them empty.
Each file that cannot be read is reported on stderr as "failed <path>: <CODE>: <reason>"; the others are still written.

Exit codes: 0 every file extracted; 1 at least one file failed; 2 usage error (bad option, missing path).

Examples:
  ser features recordings/ --out features.csv
  ser features clip.wav > clip.csv`,
    )
    .action(async (paths: string[], flags: { out?: string; quiet?: boolean }) => {
      try {
        const result = await runFeatures({ paths, out: flags.out, quiet: flags.quiet });
        process.exitCode = result.exitCode;
      } catch (error) {
        handleError(error);
      }
    });
}
