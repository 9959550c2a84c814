import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../../shared/models/architectures';
import { loadModelFromBytes, saveModelToBytes, toStandardModel } from '../../../shared/models/artifacts';
import { MODEL_NAMES } from '../../../shared/names';

test('save → load gives identical predictions for every model (conv1d saved as a standard Conv1D)', async () => {
  for (const name of MODEL_NAMES) {
    const trained = buildModel(name, { inputLength: 132, seed: 11 });
    const x = name === 'conv1d' ? tf.randomUniform([5, 132, 1], 0, 1, 'float32', 2) : tf.randomUniform([5, 132], 0, 1, 'float32', 2);
    const before = (trained.predict(x) as tf.Tensor).dataSync();
    const saved = toStandardModel(name, trained);
    const bytes = await saveModelToBytes(saved);
    const json = JSON.parse(new TextDecoder().decode(bytes.modelJson));
    assert.equal(json.format, 'layers-model');
    assert.deepEqual(json.weightsManifest[0].paths, ['./weights.bin']);
    const classNames = json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name);
    assert.ok(!classNames.includes('FastConv1D'), `${name}: saved topology uses only standard layers`);
    if (name === 'conv1d') assert.equal(classNames[0], 'Conv1D');
    const loaded = await loadModelFromBytes(bytes);
    const after = (loaded.predict(x) as tf.Tensor).dataSync();
    assert.equal(after.length, before.length);
    // conv1d: the standard layer computes the same sums in another order → equal within float32 rounding
    before.forEach((v, i) => assert.ok(Math.abs(v - after[i]!) < (name === 'conv1d' ? 1e-6 : 0) + 1e-7, `${name} [${i}] ${v} vs ${after[i]}`));
  }
});

test('a loaded model predicts exactly what the saved model predicts', async () => {
  const m = buildModel('conv1d', { inputLength: 132, fastConv: false, seed: 4 });
  const x = tf.randomUniform([3, 132, 1], 0, 1, 'float32', 9);
  const loaded = await loadModelFromBytes(await saveModelToBytes(m));
  assert.deepEqual(Array.from((loaded.predict(x) as tf.Tensor).dataSync()), Array.from((m.predict(x) as tf.Tensor).dataSync()));
});

test('refuses to save a FastConv1D model without converting it', async () => {
  await assert.rejects(saveModelToBytes(buildModel('conv1d', { inputLength: 132 })), { code: 'INTERNAL' });
});
