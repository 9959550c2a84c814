import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FEATURES_CSV_HEADER, formatFeaturesCsv, parseFeaturesCsv } from '../../../shared/dataset/features-csv';

const golden = resolve(import.meta.dirname, '../../../../shared/golden/librosa_features_actors01-20.csv');

test('writes exactly the header of the golden CSV', () => {
  const header = readFileSync(golden, 'utf8').split('\n', 1)[0];
  assert.equal(FEATURES_CSV_HEADER.join(','), header);
});

test('parses the golden CSV: 1,200 rows, labels, short clips keep their frame count', () => {
  assert.ok(existsSync(golden));
  const rows = parseFeaturesCsv(readFileSync(golden, 'utf8'));
  assert.equal(rows.length, 1200);
  const first = rows[0]!;
  assert.equal(first.file, '03-01-01-01-01-01-01.wav');
  assert.deepEqual(first.labels, { emotion: 0, intensity: 0, male: 1, actor: 1, statement: 1, repetition: 1 });
  assert.equal(first.means.length, first.frames);
  assert.ok(rows.some((r) => r.frames < 130));
});

test('round-trips rows, including an unlabelled one and a quoted file name', () => {
  const rows = [
    { file: 'a,b.wav', frames: 2, floorDb: 30.5, means: new Float32Array([31.25, 40]) },
    { file: '03-01-05-02-01-01-02.wav', labels: { emotion: 4, intensity: 1 as const, male: 0 as const, actor: 2, statement: 1, repetition: 1 }, frames: 1, floorDb: 1, means: new Float32Array([2]) },
  ];
  const back = parseFeaturesCsv(formatFeaturesCsv(rows));
  assert.deepEqual(back, rows.map((r) => ({ labels: undefined, ...r })));
});

test('throws INVALID_DATASET naming the line of a malformed row', () => {
  const text = FEATURES_CSV_HEADER.join(',') + '\nx.wav,,,,,,,3,10,1,2\n';
  assert.throws(() => parseFeaturesCsv(text), (e: any) => e.code === 'INVALID_DATASET' && /line 2/.test(e.message));
});
