import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actorSplit, defaultTestActors, stratifiedSplit, stratifiedTestCounts } from '../../../shared/dataset/split';
import { seededRandom } from '../../../shared/dataset/rng';

test('allocates 20 % of each class to test like a stratified split (RAVDESS actors 1-20: 16 neutral, 32 others)', () => {
  assert.deepEqual(stratifiedTestCounts([80, 160, 160, 160, 160, 160, 160, 160]), [16, 32, 32, 32, 32, 32, 32, 32]);
});

test('hands out the rounding remainder and never takes a whole class', () => {
  const counts = stratifiedTestCounts([3, 3, 2, 10]);
  assert.equal(counts.reduce((a, b) => a + b, 0), Math.ceil(0.2 * 18));
  [3, 3, 2, 10].forEach((n, c) => assert.ok(counts[c]! < n));
});

test('is reproducible from the seed and differs between seeds', () => {
  const labels = Array.from({ length: 400 }, (_, i) => i % 8);
  const a = stratifiedSplit(labels, 8, 42);
  assert.deepEqual(stratifiedSplit(labels, 8, 42), a);
  assert.notDeepEqual(stratifiedSplit(labels, 8, 43).test, a.test);
  assert.equal(a.test.length, 80);
  assert.equal(a.train.length + a.test.length, 400);
  for (let c = 0; c < 8; c++) assert.equal(a.test.filter((i) => labels[i] === c).length, 10);
});

test('holds out actors 21-24 by default, else the last fifth of present actors', () => {
  assert.deepEqual(defaultTestActors([1, 2, 3, 21, 22, 24]), [21, 22, 24]);
  assert.deepEqual(defaultTestActors(Array.from({ length: 20 }, (_, i) => i + 1)), [17, 18, 19, 20]);
  assert.deepEqual(defaultTestActors([5, 3]), [5]);
  assert.deepEqual(actorSplit([1, 2, 3, 2], [2]), { train: [0, 2], test: [1, 3] });
});

test('seeded random numbers are uniform in [0, 1)', () => {
  const r = seededRandom(7);
  const xs = Array.from({ length: 10_000 }, r);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
});
