/**
 * bench:train — the four course models on librosa's golden features (actors 01-20) with the reference's own test
 * splits (seeds 1-3), 250 epochs, against the Keras figures in ../shared/reference. Prints per seed and the mean:
 * our test accuracy vs Keras's, our training seconds vs Keras's and the ratio (acceptance: |Δacc| ≤ 3 points on the
 * mean; conv1d ≤ 2× Keras's time, dense models ≤ 1×).
 *
 * Times: "ours s" is wall time of fit (with per-epoch validation, like Keras's train_s); "cpu s" is the CPU time of
 * this process while that model trained — on a shared, loaded machine the better estimate of idle wall time, since
 * wasm/cpu training is single-threaded. The load average is printed at start and end so figures can be judged.
 * SER_WASM_PLAIN_MATMUL=1 measures with tfjs-wasm's stock BatchMatMul (see shared/models/backend.ts).
 *
 * usage: npm run bench:train -- [--seeds 1,2,3] [--models conv1d,mlp] [--epochs 250] [--backend wasm|cpu|tensorflow] [--json out.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseFeaturesCsv } from '../shared/dataset/features-csv';
import { MODEL_NAMES, type ModelName } from '../shared/names';
import { prepareExperimentData } from '../shared/training/prepare';
import { runExperiment } from '../shared/training/experiment';
import type { BackendPreference } from '../shared/models/backend';

const repoRoot = resolve(import.meta.dirname, '..');
const sharedDir = resolve(repoRoot, '../shared');
const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3' },
    models: { type: 'string', default: MODEL_NAMES.join(',') },
    epochs: { type: 'string', default: '250' },
    backend: { type: 'string', default: 'auto' },
    json: { type: 'string' },
  },
});
const seeds = values.seeds.split(',').map((s) => `seed${s.trim()}`);
const models = values.models.split(',').map((m) => m.trim()) as ModelName[];
const epochs = Number(values.epochs);

interface KerasFigures { seeds: Record<string, Record<ModelName, { test_acc: number; train_s: number }>>; mean: Record<ModelName, { test_acc: number; train_s: number }> }
const keras = JSON.parse(readFileSync(resolve(sharedDir, 'reference/seed_results_actors01-20_random.json'), 'utf8')) as KerasFigures;
const splits = JSON.parse(readFileSync(resolve(sharedDir, 'reference/splits_actors01-20.json'), 'utf8')) as Record<string, string[]>;
const rows = parseFeaturesCsv(readFileSync(resolve(sharedDir, 'golden/librosa_features_actors01-20.csv'), 'utf8'));

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const loadAtStart = load();
console.log(`load average at start: ${loadAtStart} (2-core machine: above 2 means other work competes for the CPU)`);

const ours: Record<string, Record<string, { acc: number; seconds: number; cpuSeconds: number }>> = {};
let backendUsed = '';
const pad = (s: string | number, n: number) => String(s).padStart(n);
const line = (seed: string, m: ModelName, acc: number, sec: number, kAcc: number, kSec: number) =>
  `${seed.padEnd(6)} ${m.padEnd(14)} ${pad((acc * 100).toFixed(1), 6)} ${pad((kAcc * 100).toFixed(1), 6)} ${pad(((acc - kAcc) * 100).toFixed(1), 6)} ${pad(sec.toFixed(1), 8)} ${pad(kSec.toFixed(1), 8)} ${pad((sec / kSec).toFixed(2), 6)}`;
const header = `${'seed'.padEnd(6)} ${'model'.padEnd(14)} ${pad('acc%', 6)} ${pad('keras%', 6)} ${pad('Δpts', 6)} ${pad('ours s', 8)} ${pad('keras s', 8)} ${pad('ratio', 6)}`;

for (const seed of seeds) {
  const testFiles = splits[seed];
  if (!testFiles) throw new Error(`no ${seed} in splits_actors01-20.json`);
  const data = prepareExperimentData(rows, { mode: 'files', testFiles });
  ours[seed] = {};
  console.log(`\n${seed}: train ${data.train.count}, test ${data.test.count}, ${epochs} epochs\n${header}  cpu s  cpu/k  backend`);
  let cpuStart = process.cpuUsage();
  const result = await runExperiment(data.train, data.test, {
    runId: `bench-${seed}`,
    models,
    epochs,
    seed: Number(seed.slice(4)),
    backend: values.backend as BackendPreference,
    onModelStart: () => (cpuStart = process.cpuUsage()),
    onModelDone: ({ metrics: m }) => {
      // CPU seconds of this process: on a busy shared machine wall time overstates the cost; wasm/cpu run one thread.
      const cpu = process.cpuUsage(cpuStart);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      ours[seed]![m.model] = { acc: m.accuracy, seconds: m.trainSeconds, cpuSeconds };
      const k = keras.seeds[seed]![m.model];
      console.log(`${line(seed, m.model, m.accuracy, m.trainSeconds, k.test_acc, k.train_s)} ${pad(cpuSeconds.toFixed(1), 6)} ${pad((cpuSeconds / k.train_s).toFixed(2), 6)}  ${m.backend}`);
    },
  });
  backendUsed = result.metrics.backend;
}

console.log(`\nmean over ${seeds.join(', ')} (backend ${backendUsed}; Keras over the same seeds)\n${header}  cpu s  cpu/k`);
const summary: Record<string, unknown> = {};
for (const m of models) {
  const acc = seeds.reduce((a, s) => a + ours[s]![m]!.acc, 0) / seeds.length;
  const sec = seeds.reduce((a, s) => a + ours[s]![m]!.seconds, 0) / seeds.length;
  const kAcc = seeds.reduce((a, s) => a + keras.seeds[s]![m].test_acc, 0) / seeds.length;
  const kSec = seeds.reduce((a, s) => a + keras.seeds[s]![m].train_s, 0) / seeds.length;
  const cpu = seeds.reduce((a, s) => a + ours[s]![m]!.cpuSeconds, 0) / seeds.length;
  console.log(`${line('mean', m, acc, sec, kAcc, kSec)} ${pad(cpu.toFixed(1), 6)} ${pad((cpu / kSec).toFixed(2), 6)}`);
  const timeLimit = m === 'conv1d' ? 2 : 1;
  summary[m] = { acc, kerasAcc: kAcc, deltaPoints: (acc - kAcc) * 100, seconds: sec, cpuSeconds: cpu, kerasSeconds: kSec, timeRatio: sec / kSec, cpuRatio: cpu / kSec, accOk: Math.abs(acc - kAcc) <= 0.03, timeOk: cpu / kSec <= timeLimit };
}
console.log(`load average at end: ${load()}`);
console.log('\nacceptance (time on cpu s): ' + models.map((m) => { const s = summary[m] as { accOk: boolean; timeOk: boolean }; return `${m} acc ${s.accOk ? 'ok' : 'MISS'} time ${s.timeOk ? 'ok' : 'MISS'}`; }).join(' · '));
if (values.json) writeFileSync(values.json, JSON.stringify({ epochs, backend: backendUsed, loadAverage: { start: loadAtStart, end: load() }, seeds: ours, summary }, null, 1));
