import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { periodicHann, powerSpectrogram, stftFrameCount } from '../../../shared/audio/stft';
import { frameMeansDb } from '../../../shared/audio/spectrogram-db';

/** Direct |DFT|² of one centred, Hann-windowed frame (the definition the fast path must equal). */
function naiveFrame(y: Float32Array, f: number, nFft: number, hop: number): Float64Array {
  const w = periodicHann(nFft);
  const out = new Float64Array(nFft / 2 + 1);
  for (let k = 0; k <= nFft / 2; k++) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < nFft; i++) {
      const j = f * hop - nFft / 2 + i;
      const v = j >= 0 && j < y.length ? y[j] * w[i] : 0;
      re += v * Math.cos((2 * Math.PI * k * i) / nFft);
      im -= v * Math.sin((2 * Math.PI * k * i) / nFft);
    }
    out[k] = re * re + im * im;
  }
  return out;
}

describe('stft', () => {
  it('builds the periodic Hann window', () => {
    const w = periodicHann(8);
    assert.equal(w[0], 0);
    assert.ok(Math.abs(w[4] - 1) < 1e-15);
    assert.ok(Math.abs(w[2] - 0.5) < 1e-15 && Math.abs(w[6] - 0.5) < 1e-15);
  });

  it('counts centred frames as 1 + floor(n / hop)', () => {
    assert.equal(stftFrameCount(66_150, 512), 130);
    assert.equal(stftFrameCount(56_663, 512), 111);
    assert.equal(stftFrameCount(1, 512), 1);
  });

  it('equals the direct DFT of each zero-padded frame, for odd and even frame counts', () => {
    const y = new Float32Array(700);
    for (let i = 0; i < y.length; i++) y[i] = Math.sin(i * 0.3) + 0.25 * Math.cos(i * 1.7) + ((i * 7919) % 13) / 50;
    for (const len of [700, 640]) {
      const part = y.subarray(0, len);
      const spec = powerSpectrogram(part, 64, 16);
      assert.equal(spec.frames, 1 + Math.floor(len / 16));
      for (const f of [0, 1, 7, spec.frames - 1]) {
        const ref = naiveFrame(part, f, 64, 16);
        // PFFFT is float32: rounding errors scale with the frame's energy (≈ 1e-7 of the peak bin), not the bin's.
        const peak = Math.max(...ref);
        for (let k = 0; k < spec.bins; k++) {
          assert.ok(Math.abs(spec.power[f * spec.bins + k] - ref[k]) < 1e-5 * peak, `frame ${f} bin ${k}: ${spec.power[f * spec.bins + k]} vs ${ref[k]}`);
        }
      }
    }
  });
});

describe('frameMeansDb', () => {
  it('equals the mean of max(10·log10(max(P, amin²)) + 100, max − top_db) per frame', () => {
    const bins = 5;
    const power = new Float64Array([1e4, 1, 1e-3, 0, 1e-12, 4, 4, 4, 4, 4]);
    const spec = { power, frames: 2, bins, maxPower: 1e4, minPower: 0 };
    const out = frameMeansDb(spec, 1e-5, 80);
    const db = (p: number) => Math.max(10 * Math.log10(Math.max(p, 1e-10)) + 100, 140 - 80);
    const expect0 = [1e4, 1, 1e-3, 0, 1e-12].reduce((s, p) => s + db(p), 0) / bins;
    assert.ok(Math.abs(out.means[0] - expect0) < 1e-4, `${out.means[0]} vs ${expect0}`);
    assert.ok(Math.abs(out.means[1] - db(4)) < 1e-4);
    assert.ok(Math.abs(out.maxDb - 140) < 1e-9);
    assert.ok(Math.abs(out.floorDb - 60) < 1e-9, 'floor = max − top_db when something is clipped');
  });

  it('reports the true minimum when nothing reaches the floor, and survives all-silent clips', () => {
    const spec = { power: new Float64Array([1, 0.5]), frames: 1, bins: 2, maxPower: 1, minPower: 0.5 };
    assert.ok(Math.abs(frameMeansDb(spec, 1e-5, 80).floorDb - (10 * Math.log10(0.5) + 100)) < 1e-9);
    const silent = { power: new Float64Array(4), frames: 2, bins: 2, maxPower: 0, minPower: 0 };
    const out = frameMeansDb(silent, 1e-5, 80);
    assert.deepEqual(Array.from(out.means), [0, 0]);
    assert.equal(out.floorDb, 0);
  });
});
