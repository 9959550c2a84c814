import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeWav, type WavLimits } from '../../../shared/audio/wav';
import { AudioError } from '../../../shared/errors';
import { concat, fmtChunk, riff, samples, u32, wav } from './wav-builder';

const pcm = samples('i16', [1, 2, 3, 4]);

/** Asserts decodeWav throws AudioError with this code and a message matching `explains`. */
function rejects(bytes: Uint8Array, code: string, explains: RegExp, limits?: WavLimits) {
  assert.throws(
    () => decodeWav(bytes, limits),
    (e: unknown) => {
      assert.ok(e instanceof AudioError, `expected AudioError, got ${String(e)}`);
      assert.equal(e.code, code, e.message);
      assert.match(e.message, explains);
      assert.ok(e.suggestion && e.suggestion.length > 10, 'carries a suggestion');
      return true;
    },
  );
}

test('throws NOT_RIFF_WAVE for other files, naming common formats', () => {
  rejects(new TextEncoder().encode('hello world, this is text'), 'NOT_RIFF_WAVE', /does not start|not "RIFF"/);
  rejects(concat([new TextEncoder().encode('fLaC'), new Uint8Array(40)]), 'NOT_RIFF_WAVE', /FLAC/);
  rejects(concat([new TextEncoder().encode('ID3'), new Uint8Array(40)]), 'NOT_RIFF_WAVE', /MP3/);
  rejects(riff([fmtChunk()], { form: 'AVI ' }), 'NOT_RIFF_WAVE', /"AVI ", not "WAVE"/);
  rejects(new Uint8Array(0), 'NOT_RIFF_WAVE', /0 bytes/);
});

test('throws UNSUPPORTED_ENCODING for big-endian RIFX', () => {
  rejects(riff([fmtChunk(), { id: 'data', body: pcm }], { magic: 'RIFX' }), 'UNSUPPORTED_ENCODING', /RIFX/);
});

test('throws TRUNCATED_HEADER when the file ends inside the RIFF header, a chunk header or the fmt chunk', () => {
  const good = wav({}, pcm);
  rejects(good.subarray(0, 6), 'TRUNCATED_HEADER', /only 6 bytes/);
  rejects(good.subarray(0, 30), 'TRUNCATED_HEADER', /"fmt " at byte 12 claims 16 bytes/);
  rejects(good.subarray(0, 40), 'TRUNCATED_HEADER', /ends inside a chunk header at byte 36/);
  rejects(riff([fmtChunk(), { id: 'LIST', body: new Uint8Array(4), declaredSize: 1000 }]), 'TRUNCATED_HEADER', /"LIST" .* claims 1000 bytes/);
});

test('throws TRUNCATED_DATA when the file is cut short (RIFF size promises more)', () => {
  const good = wav({}, samples('i16', new Array(100).fill(7)));
  rejects(good.subarray(0, good.length - 50), 'TRUNCATED_DATA', /cut short.*announces \d+ bytes/);
});

test('throws DATA_SIZE_EXCEEDS_FILE when only the data chunk overstates its size', () => {
  const bytes = riff([fmtChunk(), { id: 'data', body: pcm, declaredSize: 4000 }]);
  rejects(bytes, 'DATA_SIZE_EXCEEDS_FILE', /claims 4000 bytes of audio but only 8 bytes follow/);
});

test('throws MISSING_FMT_CHUNK and MISSING_DATA_CHUNK', () => {
  rejects(riff([{ id: 'data', body: pcm }]), 'MISSING_FMT_CHUNK', /no "fmt " chunk/);
  rejects(riff([fmtChunk(), { id: 'LIST', body: new Uint8Array(10) }]), 'MISSING_DATA_CHUNK', /no "data" chunk/);
  rejects(riff([]), 'MISSING_FMT_CHUNK', /no "fmt " chunk/);
});

test('throws UNSUPPORTED_ENCODING naming ADPCM, MP3-in-WAV, unknown tags and unknown extensible GUIDs', () => {
  rejects(wav({ tag: 0x0002, bitsPerSample: 4, blockAlign: 256 }, pcm), 'UNSUPPORTED_ENCODING', /0x0002 \(Microsoft ADPCM\)/);
  rejects(wav({ tag: 0x0011, bitsPerSample: 4, blockAlign: 256 }, pcm), 'UNSUPPORTED_ENCODING', /IMA ADPCM/);
  rejects(wav({ tag: 0x0055, bitsPerSample: 0, blockAlign: 1 }, pcm), 'UNSUPPORTED_ENCODING', /MPEG Layer 3/);
  rejects(wav({ tag: 0x1234 }, pcm), 'UNSUPPORTED_ENCODING', /0x1234/);
  const ambisonic = Uint8Array.from([0x01, 0, 0, 0, 0x21, 0x07, 0xd3, 0x11, 0x86, 0x44, 0xc8, 0xc1, 0xca, 0x00, 0x00, 0x00]);
  rejects(wav({ subFormat: ambisonic }, pcm), 'UNSUPPORTED_ENCODING', /sub-format GUID 00000001-0721-11d3-8644-c8c1ca000000/);
  rejects(wav({ subFormat: 0x0002, bitsPerSample: 16 }, pcm), 'UNSUPPORTED_ENCODING', /sub-format 0x0002 \(Microsoft ADPCM\)/);
});

test('throws INVALID_FORMAT for inconsistent block align / bits, zero channels, short fmt chunks', () => {
  rejects(wav({ bitsPerSample: 16, blockAlign: 3 }, pcm), 'INVALID_FORMAT', /block align 3 bytes for 1 channel\(s\) at 16 bits/);
  rejects(wav({ channels: 2, bitsPerSample: 16, blockAlign: 2 }, pcm), 'INVALID_FORMAT', /block align 2 bytes for 2 channel/);
  rejects(wav({ bitsPerSample: 0, blockAlign: 2 }, pcm), 'INVALID_FORMAT', /0 bits/);
  rejects(wav({ bitsPerSample: 12, blockAlign: 1 }, pcm), 'INVALID_FORMAT', /12 bits/);
  rejects(wav({ bitsPerSample: 40 }, pcm), 'INVALID_FORMAT', /supported sample sizes/);
  rejects(wav({ tag: 3, bitsPerSample: 16 }, pcm), 'INVALID_FORMAT', /Inconsistent float/);
  rejects(wav({ tag: 7, bitsPerSample: 16 }, pcm), 'INVALID_FORMAT', /Inconsistent mulaw/);
  rejects(wav({ channels: 0, blockAlign: 2 }, pcm), 'INVALID_FORMAT', /0 channels/);
  rejects(riff([{ id: 'fmt ', body: new Uint8Array(14) }, { id: 'data', body: pcm }]), 'INVALID_FORMAT', /14 bytes; a WAV format needs at least 16/);
  const shortExt = fmtChunk({ subFormat: 1 });
  rejects(riff([{ ...shortExt, body: shortExt.body.subarray(0, 24) }, { id: 'data', body: pcm }]), 'INVALID_FORMAT', /EXTENSIBLE needs a 40-byte/);
  rejects(wav({ subFormat: 1, bitsPerSample: 16, validBits: 24 }, pcm), 'INVALID_FORMAT', /24 valid bits in a 16-bit/);
});

test('accepts 12-bit PCM in a 16-bit container (left-justified, scaled by the container)', () => {
  const w = decodeWav(wav({ bitsPerSample: 12, blockAlign: 2 }, samples('i16', [16384])));
  assert.equal(w.bitsPerSample, 12);
  assert.deepEqual(w.mono(0, 1), Float32Array.of(0.5));
});

test('throws INVALID_SAMPLE_RATE for 0, < 1 kHz and > 384 kHz', () => {
  for (const rate of [0, 999, 384_001, 0xffffffff]) rejects(wav({ sampleRate: rate }, pcm), 'INVALID_SAMPLE_RATE', new RegExp(`${rate} Hz is outside`));
  assert.equal(decodeWav(wav({ sampleRate: 8000 }, pcm)).sampleRate, 8000);
  assert.equal(decodeWav(wav({ sampleRate: 384_000 }, pcm)).sampleRate, 384_000);
});

test('throws NO_SAMPLES for an empty data chunk or less than one frame', () => {
  rejects(wav({}, new Uint8Array(0)), 'NO_SAMPLES', /no complete sample frame/);
  rejects(wav({ channels: 2 }, new Uint8Array(3)), 'NO_SAMPLES', /no complete sample frame/);
});

test('throws FILE_TOO_LARGE and TOO_LONG from the limits (defaults from DEFAULT_FEATURE_CONFIG)', () => {
  const bytes = wav({ sampleRate: 1000 }, new Uint8Array(2 * 3000)); // 3 s at 1 kHz
  rejects(bytes, 'FILE_TOO_LARGE', new RegExp(`${bytes.length} bytes; the limit is 100 bytes`), { maxFileBytes: 100 });
  rejects(bytes, 'TOO_LONG', /3\.0 s long; the limit is 2 s/, { maxDurationSeconds: 2 });
  assert.equal(decodeWav(bytes, { maxDurationSeconds: 3, maxFileBytes: bytes.length }).frames, 3000);
  // Default duration limit: 600 s. A header claiming 601 s of 1 kHz 8-bit audio via a streaming size.
  const long = riff([fmtChunk({ sampleRate: 1000, bitsPerSample: 8 }), { id: 'data', body: new Uint8Array(601_000) }]);
  rejects(long, 'TOO_LONG', /601\.0 s long; the limit is 600 s/);
});

test('throws NON_FINITE_SAMPLES from mono() for NaN / Infinity / float64 overflow in the decoded range only', () => {
  const w = decodeWav(wav({ tag: 3, bitsPerSample: 32 }, samples('f32', [0.5, NaN, 0.25, Infinity])));
  assert.deepEqual(w.mono(0, 1), Float32Array.of(0.5));
  assert.throws(() => w.mono(0, 4), (e: any) => e instanceof AudioError && e.code === 'NON_FINITE_SAMPLES' && /frame 1 is NaN/.test(e.message));
  assert.throws(() => w.mono(2, 4), (e: any) => e.code === 'NON_FINITE_SAMPLES' && /frame 3 is Infinity/.test(e.message));
  const big = decodeWav(wav({ tag: 3, bitsPerSample: 64 }, samples('f64', [1e300])));
  assert.throws(() => big.mono(0, 1), (e: any) => e.code === 'NON_FINITE_SAMPLES');
});

test('never allocates from a claimed size: a 4 GB data claim on a tiny file fails fast', () => {
  const bytes = concat([wav({}, pcm).subarray(0, 40), u32(0xfffffff0), pcm]);
  rejects(bytes, 'DATA_SIZE_EXCEEDS_FILE', /claims 4294967280 bytes/);
});
