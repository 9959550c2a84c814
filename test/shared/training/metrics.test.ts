import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracy, argmaxRows, confusionMatrix, macroF1, perClassMetrics } from '../../../shared/training/metrics';

// Hand-made: 3 classes, 6 examples.
const truth = [0, 0, 1, 1, 2, 2];
const predicted = [0, 1, 1, 1, 0, 2];

test('accuracy counts equal labels', () => {
  assert.equal(accuracy(truth, predicted), 4 / 6);
  assert.equal(accuracy([], []), 0);
  assert.throws(() => accuracy([1], []), RangeError);
});

test('confusionMatrix is indexed [true][predicted]', () => {
  assert.deepEqual(confusionMatrix(truth, predicted, 3), [
    [1, 1, 0],
    [0, 2, 0],
    [1, 0, 1],
  ]);
  assert.throws(() => confusionMatrix([3], [0], 3), RangeError);
});

test('perClassMetrics gives precision, recall, F1 and support per class', () => {
  const m = perClassMetrics(confusionMatrix(truth, predicted, 3), ['a', 'b', 'c']);
  // class a: tp 1, predicted 2, support 2 → p .5 r .5 f1 .5
  assert.deepEqual(m[0], { label: 'a', precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
  // class b: tp 2, predicted 3, support 2 → p 2/3 r 1 f1 0.8
  assert.equal(m[1]!.precision, 2 / 3);
  assert.equal(m[1]!.recall, 1);
  assert.ok(Math.abs(m[1]!.f1 - 0.8) < 1e-12);
  // class c: tp 1, predicted 1, support 2 → p 1 r .5 f1 2/3
  assert.equal(m[2]!.precision, 1);
  assert.equal(m[2]!.recall, 0.5);
  assert.ok(Math.abs(m[2]!.f1 - 2 / 3) < 1e-12);
  assert.ok(Math.abs(macroF1(m) - (0.5 + 0.8 + 2 / 3) / 3) < 1e-12);
});

test('a class never predicted and never present scores 0 without NaN', () => {
  const m = perClassMetrics(confusionMatrix([0, 0], [0, 0], 2), ['x', 'y']);
  assert.deepEqual(m[1], { label: 'y', precision: 0, recall: 0, f1: 0, support: 0 });
  assert.equal(m[0]!.f1, 1);
  assert.equal(macroF1([]), 0);
});

test('argmaxRows picks the largest column of each row (first on ties)', () => {
  assert.deepEqual(Array.from(argmaxRows([0.1, 0.7, 0.2, 0.5, 0.5, 0, 0, 0, 1], 3)), [1, 0, 2]);
});
