/**
 * Feature parity and speed against librosa 0.11 (npm run bench:features [-- --dir DIR] [--limit N]).
 * Restores the 1,200 RAVDESS WAVs of actors 01-20 from ../shared (unless --dir), extracts features
 * single-threaded, compares with ../shared/golden/librosa_features_actors01-20.csv and prints:
 * frame-count mismatches, median / p99 / max |Δ| dB of the frame means and of floor_db, ms per file, and —
 * when the Python reference venv exists (/tmp/ref or $SER_PYTHON) — librosa's ms per file on the same files
 * (one thread) and our / librosa ratio. No thresholds: the numbers are for people and the docs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

  const bytes = files.map((f) => new Uint8Array(readFileSync(f)));
  extractFeatures(bytes[0]); // design + JIT warm-up stay out of the timing
  const t0 = performance.now();
  const results: ClipFeatures[] = [];
  for (let r = 0; r < opts.repeat; r++) {
    results.length = 0;
    for (const b of bytes) results.push(extractFeatures(b, DEFAULT_FEATURE_CONFIG));
  }
  const msPerFile = (performance.now() - t0) / (bytes.length * opts.repeat);

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
  console.log(`ours: ${msPerFile.toFixed(3)} ms per file (decode + segment + resample + STFT + dB + means, one thread)`);

  const python = pythonPath(opts.python);
  if (!python) {
    console.log('librosa reference: skipped (no venv at /tmp/ref and $SER_PYTHON unset; see docs/features.md)');
    return;
  }
  const args = [path.join(sharedDir, 'reference/librosa_bench.py'), ...(opts.limit ? files : [dir])];
  const out = execFileSync(python, args, { env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' }, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ref = JSON.parse(out.trim().split('\n').at(-1) as string) as { files: number; ms_per_file: number; load_ms_per_file: number; librosa: string };
  console.log(`librosa ${ref.librosa}: ${ref.ms_per_file.toFixed(3)} ms per file (load + resample ${ref.load_ms_per_file.toFixed(3)} ms), ${ref.files} files`);
  console.log(`ratio ours / librosa: ${(msPerFile / ref.ms_per_file).toFixed(2)}`);
}

const program = new Command()
  .name('bench-features')
  .description('Feature parity (vs the librosa golden CSV) and speed (vs librosa) on the RAVDESS WAVs')
  .option('--dir <dir>', 'folder with the restored WAVs (default: restore into a temp dir)')
  .option('--limit <n>', 'only the first N files', (v) => Number.parseInt(v, 10))
  .option('--repeat <n>', 'timing passes over the files', (v) => Number.parseInt(v, 10), 1)
  .option('--python <path>', 'python of a venv with librosa 0.11 (default $SER_PYTHON or /tmp/ref/bin/python)');

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  program.parse();
  runBench(program.opts<Options>());
}
