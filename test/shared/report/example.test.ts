import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { extractFeatures } from '../../../shared/audio';
import { buildReportExample, renderReport } from '../../../shared/report';
import { fakeMetrics } from './fixtures';

const WAV = resolve(import.meta.dirname, '../../../../shared/ravdess/wav/03-01-05-02-02-01-02.wav');

test('builds the example from a real WAV with the extractor\'s own frame means', () => {
  const bytes = new Uint8Array(readFileSync(WAV));
  const example = buildReportExample({ file: '03-01-05-02-02-01-02.wav', bytes, probabilities: [0.1, 0.1, 0.1, 0.1, 0.3, 0.1, 0.1, 0.1], trueLabel: 4 });
  const features = extractFeatures(bytes);
  assert.deepEqual(Array.from(example.frameMeans), Array.from(features.means));
  assert.equal(example.samples.length, features.samples);
  assert.equal(example.dbSpectrogram.frames, features.frames);
  assert.equal(example.dbSpectrogram.bins, 128);
  const values = example.dbSpectrogram.values;
  let max = -Infinity;
  let min = Infinity;
  for (const v of values) (max = Math.max(max, v)), (min = Math.min(min, v));
  assert.ok(max - min <= 80 + 1e-6, 'floored at max − 80 dB');
  assert.ok(min >= features.floorDb - 1e-3);
  // The mean over bins of the full-resolution dB is the frame mean; averaged-down bins stay close to it.
  const meanOfFrame = (f: number) => values.subarray(f * 128, (f + 1) * 128).reduce((a, b) => a + b, 0) / 128;
  assert.ok(Math.abs(meanOfFrame(60) - features.means[60]!) < 3);
  const html = renderReport({ metrics: fakeMetrics(20), example });
  assert.match(html, /One test example — 03-01-05-02-02-01-02\.wav/);
  if (process.env.SER_REPORT_OUT) writeFileSync(process.env.SER_REPORT_OUT, html);
});
