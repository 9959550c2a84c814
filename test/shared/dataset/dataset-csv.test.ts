import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INPUT_COLUMNS } from '../../../shared/config';
import { DATASET_CSV_HEADER, formatDatasetCsv, formatFloat32, parseDatasetCsv } from '../../../shared/dataset/dataset-csv';

test('writes the header file, emotion, f0..f129, intensity, male', () => {
  assert.equal(DATASET_CSV_HEADER, ['file', 'emotion', ...INPUT_COLUMNS].join(','));
  assert.equal(INPUT_COLUMNS.length, 132);
});

test('formats each float32 with the shortest text that reads back to the same float32', () => {
  for (const v of [0, 1, 0.1, 1 / 3, 0.123456789, 1e-7, 123.456, -2.5]) {
    const s = formatFloat32(v);
    assert.equal(Math.fround(Number(s)), Math.fround(v), `${v} → ${s}`);
    assert.ok(s.length <= 14, s);
  }
  assert.equal(formatFloat32(0.5), '0.5');
});

test('round-trips rows exactly as float32, including a quoted key', () => {
  const rows = [
    { file: 'audio/a,b.wav', emotion: 3, inputs: Float32Array.from({ length: 132 }, (_, i) => i / 131) },
    { file: 'audio/c.wav', emotion: 0, inputs: new Float32Array(132).fill(1 / 3) },
  ];
  const table = parseDatasetCsv(formatDatasetCsv(rows));
  assert.equal(table.count, 2);
  assert.deepEqual(table.files, ['audio/a,b.wav', 'audio/c.wav']);
  assert.deepEqual([...table.labels], [3, 0]);
  assert.deepEqual(table.inputs.slice(0, 132), rows[0]!.inputs);
  assert.deepEqual(table.inputs.slice(132), rows[1]!.inputs);
});

test('throws INVALID_DATASET for a wrong header or a short line', () => {
  assert.throws(() => parseDatasetCsv('file,emotion\nx,1\n'), (e: any) => e.code === 'INVALID_DATASET');
  assert.throws(() => parseDatasetCsv(`${DATASET_CSV_HEADER}\nx.wav,1,0.5\n`), (e: any) => e.code === 'INVALID_DATASET' && /line 2/.test(e.message));
});
