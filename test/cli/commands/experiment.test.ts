import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatFeaturesCsv, type FeatureRow } from '../../../shared/dataset/features-csv';
import { formatRavdessName } from '../../../shared/ravdess';
import { readTestFiles, runExperimentCommand } from '../../../cli/commands/experiment';
import type { RunMetrics } from '../../../shared/types';

/** 8 emotions × 2 actors × 4 takes = 64 clips; emotion e raises frames 16e … 16e+15 so the task is learnable. */
function featureRows(): FeatureRow[] {
  const rows: FeatureRow[] = [];
  let n = 0;
  for (let emotion = 0; emotion < 8; emotion++)
    for (const actor of [1, 2])
      for (let take = 0; take < 4; take++) {
        const labels = { emotion, intensity: (emotion === 0 ? 0 : take & 1) as 0 | 1, male: (actor % 2) as 0 | 1, actor, statement: 1 + (take >> 1), repetition: 1 + (take & 1) };
        const frames = take === 3 ? 100 : 130; // some short clips: their missing frames get the floor
        const means = Float32Array.from({ length: frames }, (_, i) => -60 + ((n * 7 + i * 13) % 10) + (i >= 16 * emotion && i < 16 * emotion + 16 ? 30 : 0));
        rows.push({ file: formatRavdessName(labels), labels, frames, floorDb: -70, means });
        n++;
      }
  return rows;
}

const quietIo = () => {
  let out = '';
  return { io: { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true, isTTY: false } }, out: () => out };
};

test('runs the experiment on a features CSV and prints one table line per model', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ser-exp-'));
  const csv = join(dir, 'features.csv');
  await writeFile(csv, formatFeaturesCsv(featureRows()));
  const { io, out } = quietIo();
  const metrics = await runExperimentCommand({ features: csv, epochs: '3', models: 'perceptron,conv1d', json: join(dir, 'm.json'), report: join(dir, 'r.html'), quiet: true }, io);
  assert.deepEqual(metrics.models.map((m) => m.model), ['perceptron', 'conv1d']);
  assert.equal(metrics.trainCount + metrics.testCount, 64);
  assert.match(out(), /^model\s+accuracy\s+macroF1\s+train s\s+params/);
  assert.match(out(), /perceptron\s+\d+\.\d%/);
  assert.match(out(), /conv1d\s+\d+\.\d%/);
  const saved = JSON.parse(await readFile(join(dir, 'm.json'), 'utf8')) as RunMetrics;
  assert.equal(saved.candidate, metrics.candidate);
  assert.match(await readFile(join(dir, 'r.html'), 'utf8'), /<html/i);
});

test('holds out the given actors with --split actor and the given files with --test-files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ser-exp-'));
  const csv = join(dir, 'features.csv');
  const rows = featureRows();
  await writeFile(csv, formatFeaturesCsv(rows));
  const byActor = await runExperimentCommand({ features: csv, epochs: '1', models: 'perceptron', split: 'actor', testActors: '2', quiet: true }, quietIo().io);
  assert.equal(byActor.testCount, 32);
  const splits = join(dir, 'splits.json');
  await writeFile(splits, JSON.stringify({ seed1: rows.slice(0, 10).map((r) => r.file) }));
  const byFiles = await runExperimentCommand({ features: csv, epochs: '1', models: 'perceptron', testFiles: `${splits}#seed1`, quiet: true }, quietIo().io);
  assert.equal(byFiles.testCount, 10);
  assert.equal(byFiles.trainCount, 54);
});

test('reads test file lists from text, JSON arrays and JSON entries, and rejects a bad entry', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ser-exp-'));
  await writeFile(join(dir, 'list.txt'), 'a.wav\n b.wav \n\n');
  await writeFile(join(dir, 'list.json'), '["c.wav"]');
  await writeFile(join(dir, 'splits.json'), '{"seed2": ["d.wav"], "n": 3}');
  assert.deepEqual(await readTestFiles(join(dir, 'list.txt')), ['a.wav', 'b.wav']);
  assert.deepEqual(await readTestFiles(join(dir, 'list.json')), ['c.wav']);
  assert.deepEqual(await readTestFiles(`${join(dir, 'splits.json')}#seed2`), ['d.wav']);
  await assert.rejects(readTestFiles(`${join(dir, 'splits.json')}#n`), { code: 'INVALID_ARGUMENT' });
  await assert.rejects(readTestFiles(join(dir, 'missing.txt')), { code: 'INVALID_ARGUMENT' });
});

test('rejects bad options as usage errors', async () => {
  await assert.rejects(runExperimentCommand({ features: 'x.csv', models: 'resnet' }, quietIo().io), { name: 'ZodError' });
  await assert.rejects(runExperimentCommand({ features: '/nonexistent.csv' }, quietIo().io), { code: 'INVALID_ARGUMENT' });
});
