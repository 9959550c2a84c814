import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModelInput } from '../../../shared/predict/model-input';
import type { ClipFeatures, Preprocessing } from '../../../shared/types';
import { DEFAULT_FEATURE_CONFIG, EMOTIONS, EXTRACTOR_VERSION } from '../../../shared/config';

function prep(columns: string[], min: number[], max: number[], needs = { intensity: true, male: true }): Preprocessing {
  return { extractorVersion: EXTRACTOR_VERSION, featureConfig: DEFAULT_FEATURE_CONFIG, columns, fill: 'floor_db', scaler: { min, max }, labels: [...EMOTIONS], needs };
}
const clip = (means: number[], floorDb: number): ClipFeatures => ({ means: Float32Array.from(means), frames: means.length, floorDb, samples: 0, nativeSampleRate: 48000, channels: 1 });

test('fills missing frames with the floor dB, appends metadata and min-max scales each column', () => {
  const p = prep(['f0', 'f1', 'f2', 'intensity', 'male'], [0, 10, 20, 0, 0], [100, 30, 20, 1, 1]);
  const row = buildModelInput(clip([50, 20], 5), p, { intensity: 1, male: 0, source: { intensity: 'request', male: 'request' } });
  // f2 is missing → floor 5; its range is 0 → 0 (the scaler's rule for constant columns); values outside stay unclipped.
  assert.deepEqual([...row], [0.5, 0.5, 0, 1, 0]);
  const below = buildModelInput(clip([-100], 5), prep(['f0'], [0], [100], { intensity: false, male: false }), { source: { intensity: 'not-needed', male: 'not-needed' } });
  assert.deepEqual([...below], [-1]);
});

test('throws when a column needs a metadata value that was not resolved', () => {
  const p = prep(['f0', 'male'], [0, 0], [1, 1]);
  assert.throws(() => buildModelInput(clip([0], 0), p, { source: { intensity: 'not-needed', male: 'not-needed' } }), /male/);
});
