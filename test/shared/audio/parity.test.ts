/**
 * Stage-by-stage parity with librosa 0.11 on the 17 real RAVDESS WAVs in ../shared/ravdess/wav, against
 * ../shared/golden/librosa_stages_sample.json. Tolerances sit an order of magnitude inside the acceptance on all
 * 1,200 files (frame means p99 ≤ 0.1 dB, max ≤ 0.5 dB; see docs/features.md for the measured figures).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FEATURE_CONFIG } from '../../../shared/config';
import { decodeWav, extractFeatures, loadSegment, powerSpectrogram, frameMeansDb } from '../../../shared/audio';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const shared = path.resolve(repoRoot, '../shared');
const goldenPath = path.join(shared, 'golden/librosa_stages_sample.json');

interface Stages {
  sr: number;
  n_samples: number;
  y_first_64: number[];
  y_rms: number;
  frames: number;
  stft_mag_sum_per_frame: number[];
  db_max: number;
  db_floor: number;
  frame_means_db: number[];
}

// The golden data sits in ../shared beside the repo (as in CI); without it this must fail, not pass vacuously.
assert.ok(existsSync(goldenPath), `parity needs librosa's golden stages at ${goldenPath} (../shared beside the repo)`);
const golden: Record<string, Stages> = JSON.parse(readFileSync(goldenPath, 'utf8'));

describe('parity with librosa 0.11 (17 RAVDESS files)', () => {
  it('has the golden stages of all 17 files', () => assert.equal(Object.keys(golden).length, 17));
  for (const [file, ref] of Object.entries(golden)) {
    it(`matches every stage for ${file}`, () => {
      const bytes = new Uint8Array(readFileSync(path.join(shared, 'ravdess/wav', file)));
      const y = loadSegment(decodeWav(bytes));
      // load: same length, samples within 2e-6 absolute (golden values carry 7 decimals), same RMS within 0.1 %.
      assert.equal(y.length, ref.n_samples, 'samples after load');
      ref.y_first_64.forEach((v, i) => assert.ok(Math.abs(y[i] - v) < 2e-6, `y[${i}] = ${y[i]} vs ${v}`));
      let ss = 0;
      for (const v of y) ss += v * v;
      const rms = Math.sqrt(ss / y.length);
      assert.ok(Math.abs(rms - ref.y_rms) / ref.y_rms < 1e-3, `rms ${rms} vs ${ref.y_rms}`);

      // |STFT|: frame count and per-frame sums of magnitudes within 0.1 % (+ 1e-3 for near-silent frames).
      const spec = powerSpectrogram(y, DEFAULT_FEATURE_CONFIG.nFft, DEFAULT_FEATURE_CONFIG.hopLength);
      assert.equal(spec.frames, ref.frames, 'frames');
      for (let f = 0; f < spec.frames; f++) {
        let sum = 0;
        for (let k = 0; k < spec.bins; k++) sum += Math.sqrt(spec.power[f * spec.bins + k]);
        const want = ref.stft_mag_sum_per_frame[f];
        assert.ok(Math.abs(sum - want) <= 1e-3 * want + 1e-3, `frame ${f}: Σ|S| ${sum} vs ${want}`);
      }

      // dB: max and floor within 0.001 dB; frame means within 0.05 dB.
      const db = frameMeansDb(spec, DEFAULT_FEATURE_CONFIG.amin, DEFAULT_FEATURE_CONFIG.topDb);
      assert.ok(Math.abs(db.maxDb - ref.db_max) < 1e-3, `db max ${db.maxDb} vs ${ref.db_max}`);
      assert.ok(Math.abs(db.floorDb - ref.db_floor) < 1e-3, `db floor ${db.floorDb} vs ${ref.db_floor}`);
      ref.frame_means_db.forEach((v, f) => assert.ok(Math.abs(db.means[f] - v) < 0.05, `frame ${f}: ${db.means[f]} vs ${v} dB`));

      // The public entry point yields the same numbers.
      const feats = extractFeatures(bytes);
      assert.equal(feats.frames, ref.frames);
      assert.equal(feats.samples, ref.n_samples);
      assert.equal(feats.nativeSampleRate, 48_000);
      assert.ok(Math.abs(feats.floorDb - ref.db_floor) < 1e-3);
      assert.deepEqual(Array.from(feats.means), Array.from(db.means));
    });
  }
});
