import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { baseName, formatRavdessName, parseRavdessName } from '../../shared/ravdess';
import { InvalidRavdessNameError } from '../../shared/errors';

test('parses every field of a RAVDESS name', () => {
  assert.deepEqual(parseRavdessName('03-01-05-02-01-02-13.wav'), { emotion: 4, intensity: 1, male: 1, actor: 13, statement: 1, repetition: 2 });
  assert.deepEqual(parseRavdessName('03-01-08-01-02-01-24.wav'), { emotion: 7, intensity: 0, male: 0, actor: 24, statement: 2, repetition: 1 });
  assert.deepEqual(parseRavdessName('03-01-01-01-01-01-01.wav'), { emotion: 0, intensity: 0, male: 1, actor: 1, statement: 1, repetition: 1 });
});

test('reads the basename of an S3 key or a path, and .WAV in any case', () => {
  const labels = { emotion: 2, intensity: 0, male: 0, actor: 2, statement: 1, repetition: 1 };
  assert.deepEqual(parseRavdessName('audio/Actor_02/03-01-03-01-01-01-02.wav'), labels);
  assert.deepEqual(parseRavdessName('C:\\data\\03-01-03-01-01-01-02.WAV'), labels);
  assert.deepEqual(parseRavdessName('03-01-03-01-01-01-02.Wav'), labels);
  assert.equal(baseName('a/b/c.wav'), 'c.wav');
});

test('returns undefined for names that are not RAVDESS-shaped (unlabelled clips)', () => {
  for (const name of ['my-recording.wav', 'audio/x/03-01-05-02-01-02.wav', '03-01-05-02-01-02-13.flac', '03-01-05-02-01-02-13.wav.bak', '3-1-5-2-1-2-13.wav', '03-01-05-02-01-02-13-01.wav', '03_01_05_02_01_02_13.wav', 'dir/03-01-05-02-01-02-13.wav/other.wav', '']) {
    assert.equal(parseRavdessName(name), undefined, name);
  }
});

test('throws InvalidRavdessNameError naming the impossible field and the allowed values', () => {
  const cases: [string, RegExp][] = [
    ['02-01-05-02-01-02-13.wav', /modality \(field 1\) is 02, but RAVDESS allows 03/],
    ['03-02-05-02-01-02-13.wav', /vocal channel \(field 2\) is 02, but RAVDESS allows 01 \(speech\)/],
    ['03-01-00-01-01-02-13.wav', /emotion \(field 3\) is 00, but RAVDESS allows 01-08 \(neutral, calm/],
    ['03-01-09-01-01-02-13.wav', /emotion \(field 3\) is 09/],
    ['03-01-05-03-01-02-13.wav', /intensity \(field 4\) is 03, but RAVDESS allows 01 \(normal\) or 02 \(strong\)/],
    ['03-01-01-02-01-02-13.wav', /intensity \(field 4\) is 02, but RAVDESS allows only 01 \(normal\) for the neutral emotion/],
    ['03-01-05-02-03-02-13.wav', /statement \(field 5\) is 03/],
    ['03-01-05-02-01-00-13.wav', /repetition \(field 6\) is 00, but RAVDESS allows 01 or 02/],
    ['03-01-05-02-01-02-00.wav', /actor \(field 7\) is 00, but RAVDESS allows 01-24/],
    ['audio/03-01-05-02-01-02-25.wav', /^03-01-05-02-01-02-25\.wav: actor \(field 7\) is 25/],
  ];
  for (const [name, why] of cases) {
    assert.throws(
      () => parseRavdessName(name),
      (e: unknown) => e instanceof InvalidRavdessNameError && e.code === 'INVALID_RAVDESS_NAME' && why.test(e.message) && !!e.suggestion,
      name,
    );
  }
});

test('formatRavdessName is the inverse of parseRavdessName over every valid combination', () => {
  let count = 0;
  for (let emotion = 0; emotion < 8; emotion++)
    for (const intensity of [0, 1] as const)
      for (const statement of [1, 2])
        for (const repetition of [1, 2])
          for (let actor = 1; actor <= 24; actor++) {
            if (emotion === 0 && intensity === 1) continue;
            const labels = { emotion, intensity, male: (actor % 2) as 0 | 1, actor, statement, repetition };
            assert.deepEqual(parseRavdessName(formatRavdessName(labels)), labels);
            count++;
          }
  assert.equal(count, 60 * 24); // RAVDESS speech: 60 clips per actor
  assert.throws(() => formatRavdessName({ emotion: 0, intensity: 1, male: 1, actor: 1, statement: 1, repetition: 1 }), InvalidRavdessNameError);
});

test('parses every real RAVDESS file name in ../shared', () => {
  const dir = resolve(import.meta.dirname, '../../../shared/ravdess/wav');
  const names = readdirSync(dir).filter((f) => f.endsWith('.wav'));
  assert.equal(names.length, 17);
  for (const n of names) assert.ok(parseRavdessName(n), n);
});
