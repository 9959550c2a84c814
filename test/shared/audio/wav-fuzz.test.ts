import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeWav } from '../../../shared/audio/wav';
import { AudioError } from '../../../shared/errors';
import { fmtChunk, riff, samples } from './wav-builder';

const real = readFileSync(resolve(import.meta.dirname, '../../../../shared/ravdess/wav/03-01-02-01-01-02-01.wav')); // stereo

/** Small seeded PRNG (mulberry32) so a failure is reproducible. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decode fully; anything thrown must be an AudioError. Returns the code or 'OK'. */
function outcome(bytes: Uint8Array): string {
  try {
    const w = decodeWav(bytes);
    const y = w.mono(0, w.frames);
    assert.equal(y.length, w.frames);
    return 'OK';
  } catch (e) {
    if (!(e instanceof AudioError)) assert.fail(`non-AudioError thrown: ${(e as Error)?.stack ?? String(e)}`);
    return e.code;
  }
}

test('random truncations of a real RAVDESS file only ever throw AudioError', () => {
  const random = rng(1);
  const codes = new Set<string>();
  const cuts = [0, 1, 4, 11, 12, 20, 35, 36, 43, 44, 48, 4000, 4140, 4143, 4144, 4146];
  for (let i = 0; i < 200; i++) cuts.push(Math.floor(random() * real.length));
  for (const cut of cuts) codes.add(outcome(real.subarray(0, cut)));
  assert.ok(codes.has('TRUNCATED_DATA') && codes.has('TRUNCATED_HEADER'), [...codes].join(','));
});

test('random byte flips of a real RAVDESS file (header-heavy) only ever throw AudioError', () => {
  const random = rng(2);
  const codes = new Set<string>();
  for (let i = 0; i < 400; i++) {
    const bytes = Uint8Array.from(real);
    const flips = 1 + Math.floor(random() * 4);
    for (let f = 0; f < flips; f++) {
      // Most flips land in the RIFF/fmt/FLLR/data headers, where they change the parse.
      const at = random() < 0.8 ? Math.floor(random() * 4200) : Math.floor(random() * bytes.length);
      bytes[at] = Math.floor(random() * 256);
    }
    codes.add(outcome(bytes));
  }
  assert.ok(codes.has('OK'));
  assert.ok(codes.size > 3, [...codes].join(','));
});

test('random chunk soups and random bytes after a RIFF header only ever throw AudioError', () => {
  const random = rng(3);
  const ids = ['fmt ', 'data', 'LIST', 'FLLR', 'cue ', 'ds64', 'JUNK'];
  for (let i = 0; i < 300; i++) {
    const chunks = Array.from({ length: 1 + Math.floor(random() * 5) }, () => {
      const id = ids[Math.floor(random() * ids.length)]!;
      if (id === 'fmt ' && random() < 0.5) {
        return fmtChunk({ tag: [1, 3, 6, 7][Math.floor(random() * 4)], channels: Math.floor(random() * 4), bitsPerSample: [8, 16, 24, 32, 64][Math.floor(random() * 5)] });
      }
      const body = Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      return { id, body, declaredSize: random() < 0.2 ? Math.floor(random() * 2 ** 32) : undefined };
    });
    outcome(riff(chunks, { magic: random() < 0.1 ? 'RF64' : 'RIFF' }));
    outcome(Uint8Array.from({ length: Math.floor(random() * 80) }, () => Math.floor(random() * 256)));
  }
  assert.equal(outcome(riff([fmtChunk(), { id: 'data', body: samples('i16', [1]) }])), 'OK');
});
