import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFrameMeans, encodeFrameMeans } from '../../../shared/store/feature-codec';

test('round-trips float32 frame means through little-endian bytes', () => {
  const means = new Float32Array([36.005527, -1.5, 120.25]);
  const bytes = encodeFrameMeans(means);
  assert.equal(bytes.byteLength, 12);
  assert.deepEqual(decodeFrameMeans(bytes), means);
  assert.deepEqual(decodeFrameMeans(bytes.subarray(4)), means.subarray(1));
});

test('rejects a byte length that is not a multiple of 4', () => {
  assert.throws(() => decodeFrameMeans(new Uint8Array(5)), RangeError);
});
