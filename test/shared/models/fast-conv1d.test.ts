import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { conv1dSameIm2col, FastConv1D, samePadding } from '../../../shared/models/fast-conv1d';

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

/** tfjs's own conv1d (same padding) + bias: the reference the fast path must equal. */
const reference = (x: tf.Tensor3D, kernel: tf.Tensor3D, bias: tf.Tensor1D) => tf.add(tf.conv1d(x, kernel, 1, 'same'), bias) as tf.Tensor3D;

test('samePadding splits k−1 like TensorFlow (extra on the right)', () => {
  assert.deepEqual(samePadding(10), [4, 5]);
  assert.deepEqual(samePadding(3), [1, 1]);
  assert.deepEqual(samePadding(1), [0, 0]);
});

test('conv1dSameIm2col equals tf.conv1d same padding forward on random input (kernel 10 and 3)', () => {
  for (const k of [10, 3]) {
    const x = tf.randomNormal([4, 37, 1], 0, 1, 'float32', 1) as tf.Tensor3D;
    const kernel = tf.randomNormal([k, 1, 5], 0, 1, 'float32', 2) as tf.Tensor3D;
    const bias = tf.randomNormal([5], 0, 1, 'float32', 3) as tf.Tensor1D;
    const fast = conv1dSameIm2col(x, kernel, bias);
    assert.deepEqual(fast.shape, [4, 37, 5]);
    assert.ok(maxAbsDiff(fast, reference(x, kernel, bias)) < 1e-5);
  }
});

test('conv1dSameIm2col gives the same kernel and bias gradients as tf.conv1d (within 1e-5)', () => {
  const x = tf.randomNormal([3, 132, 1], 0, 1, 'float32', 4) as tf.Tensor3D;
  const kernel = tf.randomNormal([10, 1, 5], 0, 0.3, 'float32', 5) as tf.Tensor3D;
  const bias = tf.randomNormal([5], 0, 1, 'float32', 6) as tf.Tensor1D;
  const upstream = tf.randomNormal([3, 132, 5], 0, 1, 'float32', 7);
  // A non-trivial scalar of the output (a ReLU + weighted sum) so every output position carries a distinct gradient.
  const lossOf = (f: typeof reference) => (k: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.relu(f(x, k as tf.Tensor3D, b as tf.Tensor1D)), upstream));
  const [dkFast, dbFast] = tf.grads(lossOf((a, b, c) => conv1dSameIm2col(a, b, c)))([kernel, bias]);
  const [dkRef, dbRef] = tf.grads(lossOf(reference))([kernel, bias]);
  assert.deepEqual(dkFast!.shape, [10, 1, 5]);
  assert.ok(maxAbsDiff(dkFast!, dkRef!) < 1e-5 * Math.max(1, tf.max(tf.abs(dkRef!)).dataSync()[0]!));
  assert.ok(maxAbsDiff(dbFast!, dbRef!) < 1e-5 * Math.max(1, tf.max(tf.abs(dbRef!)).dataSync()[0]!));
});

test('FastConv1D has Keras Conv1D weight shapes and equals a tfjs conv1d layer with the same weights', () => {
  const fast = new FastConv1D({ filters: 5, kernelSize: 10, seed: 1 });
  const standard = tf.layers.conv1d({ filters: 5, kernelSize: 10, padding: 'same' });
  const x = tf.randomUniform([2, 132, 1], 0, 1, 'float32', 8);
  const yFast = fast.apply(x) as tf.Tensor;
  standard.apply(x);
  assert.deepEqual(fast.getWeights().map((w) => w.shape), [[10, 1, 5], [5]]);
  standard.setWeights(fast.getWeights());
  assert.ok(maxAbsDiff(yFast, standard.apply(x) as tf.Tensor) < 1e-5);
  assert.equal(fast.countParams(), 55);
});

test('FastConv1D rejects inputs with more than one channel', () => {
  const layer = new FastConv1D({ filters: 5, kernelSize: 10 });
  assert.throws(() => layer.apply(tf.zeros([1, 20, 2])), { code: 'INVALID_CONFIG' });
});

test('pads like Keras for an even kernel: 4 zeros on the left, 5 on the right (k = 10)', () => {
  const length = 12;
  const xs = Array.from({ length }, (_, i) => i + 1);
  const ws = Array.from({ length: 10 }, (_, k) => (k + 1) / 10);
  const y = conv1dSameIm2col(tf.tensor3d(xs, [1, length, 1]), tf.tensor3d(ws, [10, 1, 1]), tf.tensor1d([0])).dataSync();
  // Keras/TensorFlow: y[i] = Σ_k x[i + k − 4]·w[k], x = 0 outside [0, length)
  const expected = xs.map((_, i) => ws.reduce((a, w, k) => a + (xs[i + k - 4] ?? 0) * w, 0));
  expected.forEach((v, i) => assert.ok(Math.abs(v - y[i]!) < 1e-5, `y[${i}] = ${y[i]}, expected ${v}`));
});
