import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { renderReport } from '../../../shared/report/render';
import { encodePng } from '../../../shared/report/png';
import { fakeExample, fakeMetrics } from './fixtures';

const metrics = fakeMetrics(40);
const example = fakeExample();
const html = renderReport({ metrics, example, generatedAt: '2024-05-01T12:00:00Z' });

function embeddedData(page: string) {
  const m = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(page);
  assert.ok(m, 'report-data script present');
  return JSON.parse(m[1]!);
}

test('embeds no external URL and no executable script', () => {
  assert.doesNotMatch(html, /(?:https?:|ftp:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
  assert.doesNotMatch(html, /\b(?:src|href)\s*=\s*"(?!data:|#)/i);
  assert.doesNotMatch(html, /<script(?![^>]*type="application\/json")/i);
  assert.doesNotMatch(html, /<link\b|@import|url\(/i);
});

test('draws one validation-accuracy line per model with every epoch', () => {
  for (const m of metrics.models) {
    const line = new RegExp(`<polyline[^>]*data-model="${m.model}"[^>]*points="([^"]+)"`).exec(html);
    assert.ok(line, `line for ${m.model}`);
    assert.equal(line[1]!.trim().split(' ').length, m.history.valAcc.length);
  }
});

test('shows each confusion matrix count and the candidate per-class table', () => {
  const cells = [...html.matchAll(/<title>true ([a-z]+), predicted ([a-z]+): (\d+) /g)].map((c) => Number(c[3]));
  assert.deepEqual(cells, metrics.models.slice().sort((a, b) => Number(b.model === 'conv1d') - Number(a.model === 'conv1d')).flatMap((m) => m.confusion.flat()));
  const cand = metrics.models.find((m) => m.model === metrics.candidate)!;
  const table = /<table class="per-class" data-model="conv1d">(.*?)<\/table>/s.exec(html)![1]!;
  for (const c of cand.perClass) assert.match(table, new RegExp(`<td>${c.label}</td><td>${c.precision.toFixed(3)}</td><td>${c.recall.toFixed(3)}</td><td>${c.f1.toFixed(3)}</td><td>${c.support}</td>`));
});

test('shows the example: probabilities, waveform, 10 ms zoom, spectrogram PNG and frame means', () => {
  for (const p of example.probabilities as number[]) assert.match(html, new RegExp(`>${p.toFixed(3)}</text>`));
  assert.match(html, /aria-label="waveform"/);
  assert.match(html, /aria-label="waveform zoom 1.5-1.51 s"/);
  assert.match(html, /222 samples at 22050 Hz/);
  assert.match(html, /<image [^>]*href="data:image\/png;base64,/);
  const means = /<polyline fill="none" class="means" points="([^"]+)"/.exec(html)!;
  assert.equal(means[1]!.split(' ').length, example.frameMeans.length);
  const data = embeddedData(html);
  assert.equal(data.metrics.runId, metrics.runId);
  assert.deepEqual(data.example.probabilities, Array.from(example.probabilities as number[]));
  assert.equal(data.example.frameMeans.length, 130);
});

test('renders without an example and escapes file names', () => {
  const page = renderReport({ metrics: { ...metrics, runId: 'run-<x>' } });
  assert.doesNotMatch(page, /One test example/);
  assert.match(page, /run-&lt;x&gt;/);
  const withOdd = renderReport({ metrics, example: { ...example, file: '<b>x</b>.wav' } });
  assert.match(withOdd, /&lt;b&gt;x&lt;\/b&gt;\.wav/);
});

test('encodes a valid PNG (signature, IHDR, pixels after inflate)', () => {
  const png = encodePng(2, 1, new Uint8Array([255, 0, 0, 0, 0, 255]));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.readUInt32BE(16), 2);
  assert.equal(png.readUInt32BE(20), 1);
  const idatLength = png.readUInt32BE(33);
  assert.equal(png.toString('ascii', 37, 41), 'IDAT');
  assert.deepEqual([...inflateSync(png.subarray(41, 41 + idatLength))], [0, 255, 0, 0, 0, 0, 255]);
});
