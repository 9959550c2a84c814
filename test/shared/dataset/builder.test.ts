import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMOTIONS, FRAME_COUNT } from '../../../shared/config';
import { DatasetBuilder } from '../../../shared/dataset/builder';
import { buildInputs } from '../../../shared/dataset/inputs';
import { goldenRows, itemFromRow, syntheticItem } from './fixtures';

test('builds the golden set: stratified 960/240 split, 16 neutral and 32 of each other emotion in test', () => {
  const builder = new DatasetBuilder();
  for (const row of goldenRows()) builder.add(itemFromRow(row));
  const built = builder.build({ split: 'random', seed: 42 });
  assert.equal(built.train.length, 960);
  assert.equal(built.test.length, 240);
  assert.equal(built.counts.test.perClass.neutral, 16);
  for (const e of EMOTIONS.slice(1)) assert.equal(built.counts.test.perClass[e], 32);
  assert.equal(built.counts.train.total + built.counts.test.total, 1200);
  const testKeys = new Set(built.test.map((r) => r.file));
  assert.ok(built.train.every((r) => !testKeys.has(r.file)));
  assert.equal(Object.keys(built.sources).length, 1200);
});

test('fits the scaler on the train part only and fills short clips with their floor dB', () => {
  const rows = goldenRows();
  const raw = new Map(rows.map((r) => [itemFromRow(r).key as string, buildInputs({ means: r.means, floorDb: r.floorDb, intensity: r.labels!.intensity, male: r.labels!.male })]));
  const builder = new DatasetBuilder();
  for (const row of rows) builder.add(itemFromRow(row));
  const { train, test: testPart, scaler } = builder.build({ split: 'random', seed: 1 });
  for (const c of [0, 64, 129]) {
    const trainValues = train.map((r) => raw.get(r.file)![c]!);
    assert.equal(scaler.min[c], Math.min(...trainValues));
    assert.equal(scaler.max[c], Math.max(...trainValues));
  }
  // Scaled train values span exactly [0, 1]; the overall extremes differ somewhere, so test rows were not used.
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of train) for (const v of r.inputs as Float32Array) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  assert.equal(lo, 0);
  assert.equal(hi, 1);
  const overallMin = (c: number) => Math.min(...rows.map((r) => raw.get(itemFromRow(r).key as string)![c]!));
  assert.ok(Array.from({ length: FRAME_COUNT }, (_, c) => c).some((c) => overallMin(c) < scaler.min[c]!));
  const short = rows.find((r) => r.frames < FRAME_COUNT)!;
  const key = itemFromRow(short).key as string;
  const out = [...train, ...testPart].find((r) => r.file === key)!;
  const c = FRAME_COUNT - 1;
  const expected = Math.fround((short.floorDb - scaler.min[c]!) / (scaler.max[c]! - scaler.min[c]!));
  assert.ok(Math.abs(out.inputs[c]! - expected) < 1e-6);
});

test('gives the same split whatever order the rows arrive in', () => {
  const items = goldenRows().slice(0, 300).map((r) => itemFromRow(r));
  const a = new DatasetBuilder();
  items.forEach((i) => a.add(i));
  const b = new DatasetBuilder();
  [...items].reverse().forEach((i) => b.add(i));
  assert.deepEqual(
    a.build({ split: 'random', seed: 9 }).test.map((r) => r.file),
    b.build({ split: 'random', seed: 9 }).test.map((r) => r.file),
  );
});

test('skips and counts rows in error, deleted, of another extractor, unlabelled and malformed', () => {
  const builder = new DatasetBuilder();
  const good = syntheticItem(1, 2);
  assert.equal(builder.add(good), undefined);
  assert.equal(builder.add({ ...syntheticItem(2, 2), status: 'ERROR', errorCode: 'NOT_RIFF_WAVE' }), 'error');
  assert.equal(builder.add({ ...syntheticItem(3, 2), extractor: 'v0-old' }), 'otherExtractor');
  const { labels: _l, ...unlabelled } = syntheticItem(4, 2);
  assert.equal(builder.add(unlabelled), 'unlabelled');
  assert.equal(builder.add({ ...syntheticItem(5, 2), features: new Uint8Array(3) }), 'malformed');
  assert.equal(builder.add({ ...syntheticItem(6, 2), frames: 7 }), 'malformed');
  assert.equal(builder.add({ ...syntheticItem(7, 9) }), 'malformed');
  assert.equal(builder.add({ key: 'audio/gone.wav', status: 'DELETED', sequencer: '01', extractor: 'v1-x', updatedAt: 'now' }), 'deleted');
  assert.deepEqual(builder.skipped, { error: 1, deleted: 1, otherExtractor: 1, unlabelled: 1, malformed: 3 });
  assert.equal(builder.size, 1);
});

test('throws NOT_ENOUGH_DATA for too few rows, a class too small for the train part, or an empty test actor set', () => {
  const few = new DatasetBuilder();
  for (let i = 0; i < 10; i++) few.add(syntheticItem(i, i % 2));
  assert.throws(() => few.build({ split: 'random', seed: 1 }), (e: any) => e.code === 'NOT_ENOUGH_DATA' && /Only 10 usable/.test(e.message) && Boolean(e.suggestion));

  const lonely = new DatasetBuilder();
  for (let i = 0; i < 20; i++) lonely.add(syntheticItem(i, i === 0 ? 5 : i % 2));
  assert.throws(() => lonely.build({ split: 'random', seed: 1 }), (e: any) => e.code === 'NOT_ENOUGH_DATA' && /fearful \(1 of 1\)/.test(e.message));

  const actors = new DatasetBuilder();
  for (let i = 0; i < 40; i++) actors.add(syntheticItem(i, i % 4, { actor: 1 + (i % 5) }));
  assert.throws(() => actors.build({ split: 'actor', seed: 1, testActors: [23] }), (e: any) => e.code === 'NOT_ENOUGH_DATA' && /test part would be empty/.test(e.message));
});

test('holds out the default actors in an actor split', () => {
  const builder = new DatasetBuilder();
  for (let i = 0; i < 200; i++) builder.add(syntheticItem(i, i % 8, { actor: 1 + (i % 20) }));
  const built = builder.build({ split: 'actor', seed: 42 });
  assert.deepEqual(built.split, { mode: 'actor', seed: 42, testActors: [17, 18, 19, 20] });
  assert.equal(built.test.length, 40);
});
