/**
 * Feature parity and speed against librosa 0.11 (npm run bench:features [-- --dir DIR] [--limit N]).
 * Restores the 1,200 RAVDESS WAVs of actors 01-20 from ../shared (unless --dir), extracts features
 * single-threaded, compares with ../shared/golden/librosa_features_actors01-20.csv and prints:
 * frame-count mismatches, median / p99 / max |Δ| dB of the frame means and of floor_db, ms per file, and —
 * when the Python reference venv exists (/tmp/ref or $SER_PYTHON) — librosa's ms per file on the same files
 * (one thread) and our / librosa ratio. Both sides read each file from disk inside the timing; rounds of ours and
 * librosa alternate (--rounds, default 3) and the best of each is kept, because the machine may be shared.
 * No thresholds: the numbers are for people and the docs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { DEFAULT_FEATURE_CONFIG } from '../shared/config';
import { parseFeaturesCsv } from '../shared/dataset/features-csv';
import { extractFeatures } from '../shared/audio';
import type { ClipFeatures } from '../shared/types';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sharedDir = path.resolve(repoRoot, '../shared');

interface Options {
  dir?: string;
  limit?: number;
  repeat: number;
  rounds: number;
  python?: string;
}

function listWavs(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listWavs(p));
    else if (entry.name.toLowerCase().endsWith('.wav')) out.push(p);
  }
  return out.sort();
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
}

function pythonPath(explicit?: string): string | undefined {
  for (const p of [explicit, process.env.SER_PYTHON, '/tmp/ref/bin/python']) if (p && existsSync(p)) return p;
  return undefined;
}

export function runBench(opts: Options): void {
  let dir = opts.dir;
  if (!dir) {
    dir = mkdtempSync(path.join(tmpdir(), 'ser-ravdess-'));
    console.log(`restoring RAVDESS actors 01-20 into ${dir} …`);
    execFileSync('bash', [path.join(sharedDir, 'ravdess/restore.sh'), dir], { stdio: 'inherit' });
  }
  let files = listWavs(dir);
  if (opts.limit) files = files.slice(0, opts.limit);
  const golden = new Map(parseFeaturesCsv(readFileSync(path.join(sharedDir, 'golden/librosa_features_actors01-20.csv'), 'utf8')).map((r) => [r.file, r]));

  // Timed like librosa_bench.py times librosa: each file is read from disk (page cache) inside the loop.
  extractFeatures(new Uint8Array(readFileSync(files[0]))); // design + JIT warm-up stay out of the timing
  const results: ClipFeatures[] = [];
  const oursPass = (): number => {
    results.length = 0;
    const t0 = performance.now();
    for (const f of files) results.push(extractFeatures(new Uint8Array(readFileSync(f)), DEFAULT_FEATURE_CONFIG));
    return (performance.now() - t0) / files.length;
  };
  const python = pythonPath(opts.python);
  const librosaPass = python ? () => runLibrosa(python, dir as string, files, opts.limit) : undefined;
  // The machine may be shared: alternate ours and librosa round by round and keep the best of each, so a load
  // change between the two runs cannot masquerade as a speed difference.
  const oursMs: number[] = [];
  const refRuns: LibrosaRun[] = [];
  for (let r = 0; r < Math.max(1, opts.rounds); r++) {
    let best = Infinity;
    for (let k = 0; k < Math.max(1, opts.repeat); k++) best = Math.min(best, oursPass());
    oursMs.push(best);
    if (librosaPass) refRuns.push(librosaPass());
  }
  const msPerFile = Math.min(...oursMs);

  const deltas: number[] = [];
  const floorDeltas: number[] = [];
  const mismatches: string[] = [];
  let compared = 0;
  let worst = { file: '', frame: -1, delta: 0 };
  files.forEach((f, i) => {
    const row = golden.get(path.basename(f));
    if (!row) return;
    compared++;
    const ours = results[i];
    if (ours.frames !== row.frames) mismatches.push(`${path.basename(f)}: ${ours.frames} frames, librosa ${row.frames}`);
    floorDeltas.push(Math.abs(ours.floorDb - row.floorDb));
    for (let k = 0; k < Math.min(ours.frames, row.frames); k++) {
      const d = Math.abs(ours.means[k] - (row.means[k] as number));
      deltas.push(d);
      if (d > worst.delta) worst = { file: path.basename(f), frame: k, delta: d };
    }
  });
  deltas.sort((a, b) => a - b);
  floorDeltas.sort((a, b) => a - b);
  console.log(`files: ${files.length} (${compared} in the golden CSV), frame values compared: ${deltas.length}`);
  console.log(`frame-count mismatches: ${mismatches.length}${mismatches.length ? '\n  ' + mismatches.slice(0, 20).join('\n  ') : ''}`);
  console.log(`|Δ| frame means, dB: median ${quantile(deltas, 0.5).toFixed(5)}  p99 ${quantile(deltas, 0.99).toFixed(5)}  max ${(deltas.at(-1) ?? NaN).toFixed(5)}  (worst: ${worst.file} frame ${worst.frame})`);
  console.log(`|Δ| floor_db, dB:     median ${quantile(floorDeltas, 0.5).toFixed(5)}  p99 ${quantile(floorDeltas, 0.99).toFixed(5)}  max ${(floorDeltas.at(-1) ?? NaN).toFixed(5)}`);
  console.log(`ours: ${msPerFile.toFixed(3)} ms per file (read + decode + segment + resample + STFT + dB + means, one thread; best of ${oursMs.length} round(s) × ${opts.repeat} pass(es))`);
  if (!python) {
    console.log('librosa reference: skipped (no venv at /tmp/ref and $SER_PYTHON unset; see docs/features.md)');
    return;
  }
  const ref = refRuns.reduce((a, b) => (b.ms_per_file < a.ms_per_file ? b : a));
  console.log(`librosa ${ref.librosa}: ${ref.ms_per_file.toFixed(3)} ms per file (load + resample ${ref.load_ms_per_file.toFixed(3)} ms), ${ref.files} files, best of ${refRuns.length} run(s)`);
  console.log(`per round, ours / librosa ms: ${oursMs.map((o, i) => `${o.toFixed(2)} / ${refRuns[i].ms_per_file.toFixed(2)}`).join(', ')}`);
  console.log(`load average: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`ratio ours / librosa (best / best): ${(msPerFile / ref.ms_per_file).toFixed(2)}`);
}

interface LibrosaRun {
  files: number;
  ms_per_file: number;
  load_ms_per_file: number;
  librosa: string;
}

/** One run of ../shared/reference/librosa_bench.py (one thread) on the same files. */
function runLibrosa(python: string, dir: string, files: string[], limit?: number): LibrosaRun {
  const args = [path.join(sharedDir, 'reference/librosa_bench.py'), ...(limit ? files : [dir])];
  const out = execFileSync(python, args, { env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' }, encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as LibrosaRun;
}

const program = new Command()
  .name('bench-features')
  .description('Feature parity (vs the librosa golden CSV) and speed (vs librosa) on the RAVDESS WAVs')
  .option('--dir <dir>', 'folder with the restored WAVs (default: restore into a temp dir)')
  .option('--limit <n>', 'only the first N files', (v) => Number.parseInt(v, 10))
  .option('--repeat <n>', 'timing passes over the files per round (best kept)', (v) => Number.parseInt(v, 10), 1)
  .option('--rounds <n>', 'rounds of ours then librosa, alternating (best of each kept)', (v) => Number.parseInt(v, 10), 3)
  .option('--python <path>', 'python of a venv with librosa 0.11 (default $SER_PYTHON or /tmp/ref/bin/python)');

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  program.parse();
  runBench(program.opts<Options>());
}
