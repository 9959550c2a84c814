import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import wavefile from 'wavefile';
import { decodeWav } from '../../../shared/audio/wav';
import { chunk, fmtChunk, riff, samples, subFormatGuid, wav } from './wav-builder';

const ravdessDir = resolve(import.meta.dirname, '../../../../shared/ravdess/wav');
const f32 = (xs: number[]) => Float32Array.from(xs);

test('decodes 16-bit PCM scaled by 1/32768', () => {
  const w = decodeWav(wav({ bitsPerSample: 16 }, samples('i16', [0, 16384, -32768, 32767, -1])));
  assert.deepEqual([w.sampleRate, w.channels, w.frames, w.bitsPerSample, w.encoding], [48_000, 1, 5, 16, 'pcm']);
  assert.deepEqual(w.mono(0, 5), f32([0, 0.5, -1, 32767 / 32768, -1 / 32768]));
});

test('decodes unsigned 8-bit PCM as (x − 128) / 128', () => {
  const w = decodeWav(wav({ bitsPerSample: 8 }, samples('u8', [128, 0, 255, 192])));
  assert.deepEqual(w.mono(0, 4), f32([0, -1, 127 / 128, 0.5]));
});

test('decodes 24-bit PCM (sign-extended) scaled by 1/8388608', () => {
  const w = decodeWav(wav({ bitsPerSample: 24 }, samples('i24', [0, 4_194_304, -8_388_608, 8_388_607, -1])));
  assert.equal(w.bitsPerSample, 24);
  assert.deepEqual(w.mono(0, 5), f32([0, 0.5, -1, 8_388_607 / 8_388_608, -1 / 8_388_608]));
});

test('decodes 32-bit PCM scaled by 1/2147483648', () => {
  const w = decodeWav(wav({ bitsPerSample: 32 }, samples('i32', [0, 1_073_741_824, -2_147_483_648, -65_536])));
  assert.deepEqual(w.mono(0, 4), f32([0, 0.5, -1, -65_536 / 2_147_483_648]));
});

test('decodes IEEE float 32 and 64 without scaling', () => {
  const a = decodeWav(wav({ tag: 3, bitsPerSample: 32 }, samples('f32', [0.25, -0.75, 1.5])));
  assert.equal(a.encoding, 'float');
  assert.deepEqual(a.mono(0, 3), f32([0.25, -0.75, 1.5]));
  const b = decodeWav(wav({ tag: 3, bitsPerSample: 64 }, samples('f64', [0.1, -0.3])));
  assert.deepEqual(b.mono(0, 2), f32([0.1, -0.3]));
});

test('decodes G.711 µ-law and A-law like libsndfile', () => {
  const mu = decodeWav(wav({ tag: 7, bitsPerSample: 8 }, samples('bytes', [0x00, 0x01, 0x80, 0xff, 0x7e])));
  assert.equal(mu.encoding, 'mulaw');
  assert.deepEqual(mu.mono(0, 5), f32([-32124, -31100, 32124, 0, -8]).map((x) => x / 32768));
  const a = decodeWav(wav({ tag: 6, bitsPerSample: 8 }, samples('bytes', [0x00, 0x01, 0x55, 0xd5, 0x2a, 0xaa])));
  assert.equal(a.encoding, 'alaw');
  assert.deepEqual(a.mono(0, 6), f32([-5504, -5248, -8, 8, -32256, 32256]).map((x) => x / 32768));
});

test('honours the WAVE_FORMAT_EXTENSIBLE sub-format GUID (PCM vs float, valid bits)', () => {
  const pcm = decodeWav(wav({ subFormat: 1, bitsPerSample: 32, validBits: 24, channels: 1 }, samples('i32', [1 << 30, -(1 << 31)])));
  assert.deepEqual([pcm.encoding, pcm.bitsPerSample], ['pcm', 24]);
  assert.deepEqual(pcm.mono(0, 2), f32([0.5, -1]));
  const flt = decodeWav(wav({ subFormat: 3, bitsPerSample: 32 }, samples('f32', [0.5, -0.125])));
  assert.equal(flt.encoding, 'float');
  assert.deepEqual(flt.mono(0, 2), f32([0.5, -0.125]));
  const mu = decodeWav(wav({ subFormat: 7, bitsPerSample: 8 }, samples('bytes', [0xff])));
  assert.equal(mu.encoding, 'mulaw');
});

test('downmixes any channel count by averaging', () => {
  const stereo = decodeWav(wav({ channels: 2 }, samples('i16', [16384, 0, -32768, 32767, 8192, 8192])));
  assert.equal(stereo.frames, 3);
  assert.deepEqual(stereo.mono(0, 3), f32([0.25, -0.5 + 32767 / 65536, 0.25]));
  const six = decodeWav(wav({ channels: 6, bitsPerSample: 8 }, samples('u8', [0, 0, 0, 255, 255, 255, 128, 128, 128, 128, 128, 192])));
  assert.equal(six.frames, 2);
  assert.deepEqual(six.mono(0, 2), f32([(-3 + 3 * (127 / 128)) / 6, 0.5 / 6]));
});

test('finds chunks in any order: fmt after data, LIST/FLLR/cue before data, odd-sized chunks with pad bytes', () => {
  const data = samples('i16', [1000, -1000, 2000]);
  const odd = { id: 'LIST', body: new Uint8Array([1, 2, 3]) };
  const variants = [
    riff([{ id: 'data', body: data }, fmtChunk()]),
    riff([fmtChunk(), { id: 'FLLR', body: new Uint8Array(4044) }, { id: 'data', body: data }]),
    riff([odd, fmtChunk(), { id: 'cue ', body: new Uint8Array(28) }, odd, { id: 'data', body: data }, odd]),
    riff([fmtChunk(), { ...odd, noPad: true }, { id: 'data', body: data }]),
  ];
  for (const bytes of variants) assert.deepEqual(decodeWav(bytes).mono(0, 3), f32([1000, -1000, 2000].map((x) => x / 32768)));
});

test('ignores the pad byte of an odd data chunk and a trailing partial frame', () => {
  const padded = riff([fmtChunk({ bitsPerSample: 8 }), { id: 'data', body: samples('u8', [0, 128, 255]) }, { id: 'LIST', body: new Uint8Array(4) }]);
  assert.equal(decodeWav(padded).frames, 3);
  const partial = wav({ bitsPerSample: 24 }, new Uint8Array(3 * 4 + 2));
  assert.equal(decodeWav(partial).frames, 4);
});

test('reads streaming placeholder sizes (0 or 0xFFFFFFFF) to the end of the file', () => {
  const body = samples('i16', [1, 2, 3, 4]);
  for (const size of [0, 0xffffffff]) {
    const bytes = riff([fmtChunk(), { id: 'data', body, declaredSize: size }], { riffSize: size });
    assert.equal(decodeWav(bytes).frames, 4);
  }
});

test('accepts RF64 with a ds64 chunk giving the data size', () => {
  const ds64 = new Uint8Array(28);
  new DataView(ds64.buffer).setUint32(8, 4, true); // data size low word: 4 bytes = 2 frames
  const bytes = riff([{ id: 'ds64', body: ds64 }, fmtChunk(), { id: 'data', body: samples('i16', [5, 6]), declaredSize: 0xffffffff }, { id: 'LIST', body: new Uint8Array(8) }], {
    magic: 'RF64',
    riffSize: 0xffffffff,
  });
  assert.deepEqual(decodeWav(bytes).mono(0, 10), f32([5 / 32768, 6 / 32768]));
});

test('mono(start, end) decodes only that range and clamps to the file', () => {
  const w = decodeWav(wav({}, samples('i16', [0, 1, 2, 3, 4, 5].map((x) => x * 1024))));
  assert.deepEqual(w.mono(2, 4), f32([2 / 32, 3 / 32]));
  assert.deepEqual(w.mono(4.7, 100), f32([4 / 32, 5 / 32]));
  assert.deepEqual(w.mono(-5, 1), f32([0]));
  assert.equal(w.mono(7, 9).length, 0);
  assert.equal(w.mono(3, 2).length, 0);
});

test('decodes from a Uint8Array view at an odd offset of a larger buffer', () => {
  const bytes = wav({}, samples('i16', [100, -200]));
  const big = new Uint8Array(bytes.length + 3);
  big.set(bytes, 1);
  assert.deepEqual(decodeWav(big.subarray(1, 1 + bytes.length)).mono(0, 2), f32([100 / 32768, -200 / 32768]));
});

test('decodes the 17 real RAVDESS files: 48 kHz 16-bit, 5 stereo, frames consistent with the file size', () => {
  const files = readdirSync(ravdessDir).filter((f) => f.endsWith('.wav'));
  assert.equal(files.length, 17);
  let stereo = 0;
  for (const f of files) {
    const buf = readFileSync(resolve(ravdessDir, f));
    const w = decodeWav(buf);
    assert.equal(w.sampleRate, 48_000, f);
    assert.equal(w.bitsPerSample, 16, f);
    const dataAt = buf.indexOf('data', 12, 'latin1');
    const dataSize = buf.readUInt32LE(dataAt + 4);
    assert.ok(dataAt > 44, `${f}: audio starts after the FLLR chunk`);
    assert.ok(dataAt + 8 + dataSize <= buf.length, f);
    assert.equal(w.frames, dataSize / (2 * w.channels), f);
    if (w.channels === 2) stereo++;
    // Independent check against wavefile's integer samples (first channel; RAVDESS stereo channels are identical).
    const ref = new (wavefile as any).WaveFile(buf).getSamples(false, Float64Array);
    const first = w.channels === 2 ? ref[0] : ref;
    const y = w.mono(0, w.frames);
    for (let i = 0; i < w.frames; i += 97) assert.equal(y[i], Math.fround(first[i] / 32768), `${f} frame ${i}`);
  }
  assert.equal(stereo, 5);
});

test('odd chunk bodies are padded by the builder (sanity of the test helper)', () => {
  assert.equal(chunk({ id: 'LIST', body: new Uint8Array(3) }).length, 12);
  assert.equal(subFormatGuid(3)[0], 3);
});
