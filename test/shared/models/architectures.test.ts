import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel, REFERENCE_PARAMS } from '../../../shared/models/architectures';
import { MODEL_NAMES } from '../../../shared/names';

test('builds the four models with the Keras parameter counts for 132 inputs', () => {
  for (const name of MODEL_NAMES) {
    for (const fastConv of [true, false]) {
      const m = buildModel(name, { inputLength: 132, fastConv });
      assert.equal(m.countParams(), REFERENCE_PARAMS[name], `${name} fastConv=${fastConv}`);
      m.dispose();
    }
  }
  assert.deepEqual(REFERENCE_PARAMS, { perceptron: 1064, mlp: 10856, mlp_tanh_adam: 10856, conv1d: 2543 });
});

test('returns [batch, 8] probabilities that sum to 1', () => {
  for (const name of MODEL_NAMES) {
    const m = buildModel(name, { inputLength: 132, seed: 1 });
    const x = name === 'conv1d' ? tf.randomUniform([3, 132, 1]) : tf.randomUniform([3, 132]);
    const y = m.predict(x) as tf.Tensor;
    assert.deepEqual(y.shape, [3, 8]);
    for (const s of tf.sum(y, 1).arraySync() as number[]) assert.ok(Math.abs(s - 1) < 1e-5);
    m.dispose();
  }
});

test('uses the reference layer stack, activations and optimizers', () => {
  const classes = (name: (typeof MODEL_NAMES)[number]) => buildModel(name, { inputLength: 132, fastConv: false }).layers.map((l) => l.getClassName());
  assert.deepEqual(classes('perceptron'), ['Dense', 'Activation']);
  assert.deepEqual(classes('mlp'), ['Dense', 'Activation', 'Dense', 'Activation', 'Dense', 'Activation']);
  assert.deepEqual(classes('conv1d'), ['Conv1D', 'Activation', 'Dropout', 'MaxPooling1D', 'Dropout', 'Flatten', 'Dense', 'Activation']);
  const acts = (name: (typeof MODEL_NAMES)[number]) =>
    buildModel(name, { inputLength: 132 }).layers.filter((l) => l.getClassName() === 'Activation').map((l) => l.getConfig().activation);
  assert.deepEqual(acts('mlp'), ['relu', 'relu', 'softmax']);
  assert.deepEqual(acts('mlp_tanh_adam'), ['tanh', 'sigmoid', 'softmax']);
  const conv = buildModel('conv1d', { inputLength: 132, fastConv: false });
  assert.deepEqual(conv.layers[0]!.getConfig().padding, 'same');
  assert.deepEqual(conv.layers[3]!.outputShape, [null, 62, 5]);
  const sgd = buildModel('mlp', { inputLength: 132 }).optimizer.getConfig();
  assert.equal(sgd.learningRate, 0.01);
  const adam = buildModel('conv1d', { inputLength: 132 }).optimizer.getConfig();
  assert.equal(adam.learningRate, 0.001);
});

test('initialises kernels glorot-uniform (Keras default) and biases with zeros', () => {
  const m = buildModel('mlp', { inputLength: 132, seed: 3 });
  const [kernel, bias] = m.layers[0]!.getWeights();
  const limit = Math.sqrt(6 / (132 + 64));
  const values = kernel!.dataSync();
  assert.ok(values.every((v) => Math.abs(v) <= limit));
  // uniform on [−limit, limit]: max |w| close to the limit (a normal init would exceed it or cluster near 0)
  assert.ok(Math.max(...values.map(Math.abs)) > 0.95 * limit);
  assert.ok(bias!.dataSync().every((v) => v === 0));
});

test('throws a ConfigError for an unknown model or too short inputs', () => {
  assert.throws(() => buildModel('resnet' as never, { inputLength: 132 }), { code: 'INVALID_CONFIG' });
  assert.throws(() => buildModel('conv1d', { inputLength: 4 }), { code: 'INVALID_CONFIG' });
});
