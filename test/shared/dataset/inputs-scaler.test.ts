import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildInputs, INPUT_COUNT } from '../../../shared/dataset/inputs';
import { applyMinMax, fitMinMax } from '../../../shared/dataset/scaler';

test('fills the missing trailing frames with the clip floor dB, then appends intensity and male', () => {
  const x = buildInputs({ means: [50, 60, 70], floorDb: 12.5, intensity: 1, male: 0 });
  assert.equal(x.length, INPUT_COUNT);
  assert.deepEqual([...x.slice(0, 4)], [50, 60, 70, 12.5]);
  assert.equal(x[129], 12.5);
  assert.equal(x[130], 1);
  assert.equal(x[131], 0);
});

test('scales to [0, 1] with the fitted min/max, 0 where a column is constant, test values not clipped', () => {
  const scaler = fitMinMax([new Float32Array([0, 5, 2]), new Float32Array([10, 5, 4])], 3);
  assert.deepEqual(scaler, { min: [0, 5, 2], max: [10, 5, 4] });
  assert.deepEqual([...applyMinMax([5, 5, 3], scaler)], [0.5, 0, 0.5]);
  assert.deepEqual([...applyMinMax([20, 9, 2], scaler)], [2, 0, 0]);
  assert.throws(() => fitMinMax([], 3), RangeError);
});
