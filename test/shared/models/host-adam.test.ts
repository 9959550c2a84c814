import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { HostAdam } from '../../../shared/models/host-adam';

/** A small two-layer net with fixed initial weights, compiled with `optimizer`. */
function net(optimizer: tf.Optimizer): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 6, activation: 'tanh', inputShape: [5], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
  return model;
}

test('HostAdam makes the same updates as tfjs Adam (30 steps, lr 0.01)', async () => {
  const x = tf.randomUniform([16, 5], -1, 1, 'float32', 3);
  const y = tf.tensor2d(Array.from({ length: 16 }, (_, i) => i % 3), [16, 1]);
  const reference = net(tf.train.adam(0.01, 0.9, 0.999, 1e-7));
  const host = net(new HostAdam(0.01, 0.9, 0.999, 1e-7));
  const initial = host.getWeights().map((w) => w.dataSync().slice());
  for (let step = 0; step < 30; step++) {
    await reference.trainOnBatch(x, y);
    await host.trainOnBatch(x, y);
  }
  const [a, b] = [reference.getWeights(), host.getWeights()];
  a.forEach((w, i) => {
    const [wa, wb] = [w.dataSync(), b[i]!.dataSync()];
    assert.ok(wb.some((v, j) => v !== initial[i]![j]), `weight ${i} was updated`);
    wa.forEach((v, j) => assert.ok(Math.abs(v - wb[j]!) < 1e-5, `weight ${i}[${j}]: ${v} vs ${wb[j]}`));
  });
  assert.equal(host.optimizer.iterations, 30);
  assert.deepEqual(host.optimizer.getConfig(), reference.optimizer.getConfig());
  const state = await host.optimizer.getWeights();
  assert.equal(state.length, 1 + 2 * 4, 'iterations, then m and v of the 4 variables');
  tf.dispose([x, y, ...state.map((s) => s.tensor)]);
  reference.dispose();
  host.dispose();
});
