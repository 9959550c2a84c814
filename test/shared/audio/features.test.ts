import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_FEATURE_CONFIG, FRAME_COUNT } from '../../../shared/config';
import { AudioError, ErrorCode } from '../../../shared/errors';
import { extractFeatures, segmentRange } from '../../../shared/audio';

/** 16-bit PCM WAV bytes of `channels` identical channels of `samples` (−1…1). */
function wav16(samples: Float64Array, rate: number, channels = 1): Uint8Array {
  const dataBytes = samples.length * 2 * channels;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2 * channels, 28);
  buf.writeUInt16LE(2 * channels, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(dataBytes, 40);
  samples.forEach((v, i) => {
    for (let c = 0; c < channels; c++) buf.writeInt16LE(Math.round(v * 32767), 44 + (i * channels + c) * 2);
  });
  return new Uint8Array(buf);
}

function tone(seconds: number, rate: number): Float64Array {
  const n = Math.round(seconds * rate);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate) * (1 + Math.sin(i / 5000)) / 2;
  return x;
}

function audioCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AudioError, `expected AudioError, got ${e}`);
    return e.code;
  }
  assert.fail('expected an AudioError');
}

describe('segmentRange', () => {
  it('reads int(offset·sr) … +int(duration·sr), fewer at the end of the recording', () => {
    assert.deepEqual(segmentRange(200_000, 48_000), { start: 24_000, end: 168_000 });
    assert.deepEqual(segmentRange(100_000, 48_000), { start: 24_000, end: 100_000 });
    assert.deepEqual(segmentRange(100_000, 44_100), { start: 22_050, end: 100_000 });
  });

  it('throws TOO_SHORT before the offset and NO_SAMPLES when the window is empty', () => {
    assert.equal(audioCode(() => segmentRange(23_999, 48_000)), ErrorCode.TOO_SHORT);
    assert.equal(audioCode(() => segmentRange(24_000, 48_000)), ErrorCode.NO_SAMPLES);
  });
});

describe('extractFeatures', () => {
  it('gives 130 frame means for a 4 s clip, with floor = max − 80 dB where clipped', () => {
    const f = extractFeatures(wav16(tone(4, 48_000), 48_000));
    assert.equal(f.frames, FRAME_COUNT);
    assert.equal(f.means.length, FRAME_COUNT);
    assert.equal(f.samples, 66_150);
    assert.equal(f.nativeSampleRate, 48_000);
    assert.equal(f.channels, 1);
    for (const m of f.means) assert.ok(Number.isFinite(m) && m >= f.floorDb - 1e-3);
  });

  it('computes fewer frames for a short clip and does not fill the missing ones', () => {
    const f = extractFeatures(wav16(tone(2, 48_000), 48_000));
    assert.equal(f.samples, 33_075);
    assert.equal(f.frames, 1 + Math.floor(33_075 / 512));
    assert.equal(f.means.length, f.frames);
  });

  it('averages identical stereo channels to the mono result and accepts other native rates', () => {
    const x = tone(4, 48_000);
    const mono = extractFeatures(wav16(x, 48_000, 1));
    const stereo = extractFeatures(wav16(x, 48_000, 2));
    assert.equal(stereo.channels, 2);
    assert.deepEqual(Array.from(stereo.means), Array.from(mono.means));
    const at16k = extractFeatures(wav16(tone(4, 16_000), 16_000));
    assert.equal(at16k.frames, FRAME_COUNT);
    assert.equal(at16k.nativeSampleRate, 16_000);
  });

  it('honours a custom config (hop, top_db)', () => {
    const f = extractFeatures(wav16(tone(4, 48_000), 48_000), { ...DEFAULT_FEATURE_CONFIG, hopLength: 1024, topDb: 40 });
    assert.equal(f.frames, 1 + Math.floor(66_150 / 1024));
    for (const m of f.means) assert.ok(m >= f.floorDb - 1e-3);
  });

  it('throws TOO_SHORT for a clip shorter than the offset and keeps the WAV decoder’s codes', () => {
    assert.equal(audioCode(() => extractFeatures(wav16(tone(0.4, 48_000), 48_000))), ErrorCode.TOO_SHORT);
    assert.equal(audioCode(() => extractFeatures(wav16(tone(0.5, 48_000), 48_000))), ErrorCode.NO_SAMPLES);
    assert.equal(audioCode(() => extractFeatures(new Uint8Array([1, 2, 3, 4]))), ErrorCode.NOT_RIFF_WAVE);
  });
});
