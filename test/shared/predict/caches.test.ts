import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPointerCache } from '../../../shared/predict/pointer-cache';
import { createModelCache } from '../../../shared/predict/model-cache';
import type { ServedPointer } from '../../../shared/types';

const pointer = (version: string): ServedPointer => ({ version, runId: version.split('.')[0]!, model: 'mlp', artifactPrefix: 'models/x/', accuracy: 0.5, promotedAt: '' });

test('pointer cache re-reads only after the TTL and shares one read between concurrent callers', async () => {
  let clock = 0;
  let reads = 0;
  let served = pointer('a.mlp');
  const cache = createPointerCache(async () => (reads++, served), { ttlSeconds: 5, now: () => clock });
  const [x, y] = await Promise.all([cache.get(), cache.get()]);
  assert.equal(reads, 1);
  assert.equal(x, y);
  served = pointer('b.mlp');
  clock = 4_999;
  assert.equal((await cache.get())!.version, 'a.mlp');
  clock = 5_000;
  assert.equal((await cache.get())!.version, 'b.mlp');
  assert.equal(reads, 2);
});

test('pointer cache refreshes ahead in the background in the last part of the TTL (callers do not wait)', async () => {
  let clock = 0;
  let reads = 0;
  let release: (p: ServedPointer) => void = () => undefined;
  const cache = createPointerCache(
    () => {
      reads++;
      return reads === 1 ? Promise.resolve(pointer('a.mlp')) : new Promise<ServedPointer>((r) => (release = r));
    },
    { ttlSeconds: 5, now: () => clock },
  );
  assert.equal((await cache.get())!.version, 'a.mlp');
  clock = 3_999;
  assert.equal((await cache.get())!.version, 'a.mlp');
  assert.equal(reads, 1, 'no re-read before the refresh-ahead point');
  clock = 4_000;
  // The re-read is pending and never resolves until released: get() must not wait for it.
  assert.equal((await cache.get())!.version, 'a.mlp');
  assert.equal((await cache.get())!.version, 'a.mlp');
  assert.equal(reads, 2, 'one background read');
  release(pointer('b.mlp'));
  await new Promise((r) => setImmediate(r));
  assert.equal((await cache.get())!.version, 'b.mlp');
  clock = 8_999; // fresh from the read started at 4,000: no wait and no new read before 4,000 + 4,000
  assert.equal((await cache.get())!.version, 'b.mlp');
  assert.equal(reads, 3, 'refresh ahead again at 80% of the new TTL');
});

test('pointer cache keeps the previous pointer when a refresh fails, and throws when it has none', async () => {
  let clock = 0;
  let fail = true;
  const stale: unknown[] = [];
  const cache = createPointerCache(async () => { if (fail) throw new Error('ddb down'); return pointer('a.mlp'); }, { ttlSeconds: 1, now: () => clock, onStale: (e) => stale.push(e) });
  await assert.rejects(cache.get(), /ddb down/);
  fail = false;
  assert.equal((await cache.get())!.version, 'a.mlp');
  fail = true;
  clock = 2_000;
  assert.equal((await cache.get())!.version, 'a.mlp');
  assert.equal(stale.length, 1);
});

test('model cache loads a version once for concurrent callers and retries a failed load', async () => {
  let loads = 0;
  let fail = true;
  const cache = createModelCache(async (v: string) => {
    loads++;
    await new Promise((r) => setTimeout(r, 10));
    if (fail) throw new Error('s3 down');
    return { v, dispose() {} };
  });
  await assert.rejects(cache.withModel('a', (m) => m.v), /s3 down/);
  fail = false;
  const got = await Promise.all(Array.from({ length: 10 }, () => cache.withModel('a', (m) => m.v)));
  assert.deepEqual(new Set(got), new Set(['a']));
  assert.equal(loads, 2);
  assert.equal(cache.loads, 2);
});

test('model cache keeps the two newest versions and disposes an evicted one only after its last user', async () => {
  const disposed: string[] = [];
  const cache = createModelCache(async (v: string) => ({ v, dispose: () => disposed.push(v) }), 2);
  let release!: () => void;
  const inUse = cache.withModel('a', () => new Promise<void>((r) => (release = r)));
  await new Promise((r) => setTimeout(r, 0));
  await cache.withModel('b', () => undefined);
  await cache.withModel('c', () => undefined);
  assert.deepEqual(cache.versions(), ['b', 'c']);
  assert.deepEqual(disposed, []);
  release();
  await inUse;
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(disposed, ['a']);
});

test('the warm-up WAV decodes and extracts like any upload', async () => {
  const { warmupWav } = await import('../../../shared/predict/warmup');
  const { extractFeatures } = await import('../../../shared/audio');
  const features = extractFeatures(warmupWav());
  assert.equal(features.nativeSampleRate, 48_000);
  assert.equal(features.frames, 130);
});
