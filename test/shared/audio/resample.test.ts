import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { besselI0, designResampler, kaiserLowpass, librosaOutputLength, resample, soxrOutputLength } from '../../../shared/audio/resample';

/** Gain (dB) of a 48 kHz → 22.05 kHz resampling at `hz`, measured with a long sine. */
function gainDb(hz: number, inRate = 48_000, outRate = 22_050): number {
  const n = 48_000;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin((2 * Math.PI * hz * i) / inRate);
  const y = resample(x, inRate, outRate);
  // Correlate the middle (away from the edges) with the expected sine at the output rate.
  let re = 0;
  let im = 0;
  const a = Math.floor(y.length / 4);
  const b = Math.floor((3 * y.length) / 4);
  for (let k = a; k < b; k++) {
    const w = (2 * Math.PI * hz * k) / outRate;
    re += y[k] * Math.sin(w);
    im += y[k] * Math.cos(w);
  }
  return 20 * Math.log10((2 * Math.hypot(re, im)) / (b - a));
}

describe('resample', () => {
  it('reduces 48000/22050 to 147/320 and designs a ~440-tap pre-filter with unit DC gain', () => {
    const plan = designResampler(48_000, 22_050);
    assert.equal(plan.up, 147);
    assert.equal(plan.down, 320);
    assert.ok(plan.prefilter && plan.prefilter.length > 400 && plan.prefilter.length < 480 && plan.prefilter.length % 2 === 1);
    const dc = plan.prefilter.reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(dc - 1) < 1e-6, `pre-filter DC gain ${dc}`);
    for (let p = 0; p < plan.up; p += 37) {
      const row = plan.coefs.subarray(p * plan.phaseTaps, (p + 1) * plan.phaseTaps).reduce((s, v) => s + v, 0);
      assert.ok(Math.abs(row - 1) < 1e-4, `phase ${p} gain ${row}`);
    }
  });

  it('has soxr HQ’s response: flat passband, −6 dB near 10.55 kHz, >120 dB down above the output Nyquist', () => {
    assert.ok(Math.abs(gainDb(1000)) < 0.01);
    assert.ok(Math.abs(gainDb(9500)) < 0.01);
    const edge = gainDb(10_548);
    assert.ok(edge < -5 && edge > -7, `gain at the cutoff ${edge} dB`);
    assert.ok(gainDb(10_900) < -50);
    assert.ok(gainDb(14_000) < -120, 'aliases from above the output Nyquist are suppressed');
  });

  it('follows librosa/soxr lengths: soxr makes round(n·r), librosa pads to ceil(n·r)', () => {
    assert.equal(soxrOutputLength(144_000, 48_000, 22_050), 66_150);
    assert.equal(librosaOutputLength(144_000, 48_000, 22_050), 66_150);
    assert.equal(soxrOutputLength(1000, 48_000, 22_050), 459);
    assert.equal(librosaOutputLength(1000, 48_000, 22_050), 460);
    const y = resample(new Float32Array(1000).fill(0.5), 48_000, 22_050);
    assert.equal(y.length, 460);
    assert.equal(y[459], 0, 'the padded sample is zero');
    assert.ok(Math.abs(y[230] - 0.5) < 1e-5, 'DC passes with unit gain');
  });

  it('returns the input unchanged when the rates are equal and handles upsampling', () => {
    const x = new Float32Array([1, 2, 3]);
    assert.equal(resample(x, 22_050, 22_050), x);
    assert.ok(Math.abs(gainDb(1000, 16_000, 22_050)) < 0.01);
    assert.equal(resample(new Float32Array(16_000), 16_000, 22_050).length, 22_050);
  });

  it('computes I0 and Kaiser taps that are symmetric', () => {
    assert.ok(Math.abs(besselI0(0) - 1) < 1e-15);
    assert.ok(Math.abs(besselI0(1) - 1.2660658777520084) < 1e-13);
    const h = kaiserLowpass(0.4, 0.5);
    for (let i = 0; i < h.length; i++) assert.ok(Math.abs(h[i] - h[h.length - 1 - i]) < 1e-15);
  });
});
