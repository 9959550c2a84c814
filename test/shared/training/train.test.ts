import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../../shared/dataset/rng';
import { NUM_CLASSES } from '../../../shared/config';
import { MODEL_NAMES } from '../../../shared/names';
import { pickCandidate, trainModel, type LabelledInputs } from '../../../shared/training/train';
import { runExperiment } from '../../../shared/training/experiment';
import type { ModelMetrics } from '../../../shared/types';

const INPUTS = 132;

/** A separable set: class c lifts a band of 16 inputs around position 16·c (plus noise), in [0, 1] like scaled data. */
function separable(count: number, seed: number): LabelledInputs {
  const random = seededRandom(seed);
  const inputs = new Float32Array(count * INPUTS);
  const labels = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const c = r % NUM_CLASSES;
    labels[r] = c;
    for (let i = 0; i < INPUTS; i++) inputs[r * INPUTS + i] = 0.3 * random() + (i >= 16 * c && i < 16 * c + 16 ? 0.7 : 0);
  }
  return { inputs, labels, count };
}

const train = separable(256, 1);
const test_ = separable(64, 2);

test('every model learns a separable set: loss falls and test accuracy is well above chance', async () => {
  const epochsFor = { perceptron: 30, mlp: 30, mlp_tanh_adam: 12, conv1d: 12 } as const;
  for (const name of MODEL_NAMES) {
    const logs: number[] = [];
    const t = await trainModel(name, train, test_, { epochs: epochsFor[name], seed: 7, backend: 'test', onEpoch: (l) => logs.push(l.epoch) });
    const h = t.metrics.history;
    assert.equal(h.loss.length, epochsFor[name]);
    assert.equal(h.valAcc.length, epochsFor[name]);
    assert.deepEqual(logs, Array.from({ length: epochsFor[name] }, (_, i) => i + 1));
    assert.ok(h.loss.every(Number.isFinite));
    assert.ok(h.loss.at(-1)! < h.loss[0]!, `${name}: loss ${h.loss[0]} → ${h.loss.at(-1)}`);
    assert.ok(t.metrics.accuracy > 0.5, `${name}: accuracy ${t.metrics.accuracy} (chance 0.125)`);
    assert.equal(t.metrics.confusion.flat().reduce((a, b) => a + b, 0), test_.count);
    assert.equal(t.metrics.perClass.length, NUM_CLASSES);
    assert.equal(t.testProbabilities.length, test_.count * NUM_CLASSES);
    assert.equal(t.metrics.backend, 'test');
    assert.ok(t.metrics.trainSeconds > 0);
    if (name === 'conv1d') assert.equal(t.model.layers[0]!.getClassName(), 'Conv1D', 'returned in its saved (standard) form');
    t.model.dispose();
  }
});

test('runExperiment trains the requested models and picks the best test accuracy as candidate', async () => {
  const result = await runExperiment(train, test_, { runId: 'run-test', models: ['perceptron', 'mlp_tanh_adam'], epochs: 2, seed: 1 });
  assert.deepEqual(result.metrics.models.map((m) => m.model), ['perceptron', 'mlp_tanh_adam']);
  assert.equal(result.metrics.trainCount, 256);
  assert.equal(result.metrics.testCount, 64);
  assert.equal(result.metrics.candidate, pickCandidate(result.metrics.models));
  assert.ok(['wasm', 'cpu', 'tensorflow'].includes(result.metrics.backend));
});

test('pickCandidate prefers the higher accuracy, the first on ties', () => {
  const m = (model: ModelMetrics['model'], accuracy: number) => ({ model, accuracy }) as ModelMetrics;
  assert.equal(pickCandidate([m('perceptron', 0.4), m('conv1d', 0.5), m('mlp', 0.5)]), 'conv1d');
  assert.throws(() => pickCandidate([]), { code: 'TRAINING_FAILED' });
});

test('rejects bad inputs with typed errors', async () => {
  await assert.rejects(trainModel('mlp', train, test_, { epochs: 0, backend: 'x' }), { code: 'INVALID_REQUEST' });
  await assert.rejects(trainModel('mlp', { ...train, count: 0, inputs: new Float32Array(0), labels: new Int32Array(0) }, test_, { epochs: 1, backend: 'x' }), { code: 'NOT_ENOUGH_DATA' });
  await assert.rejects(trainModel('mlp', train, { inputs: new Float32Array(10), labels: new Int32Array(1), count: 1 }, { epochs: 1, backend: 'x' }), { code: 'INVALID_DATASET' });
});
