import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveInputs } from '../../../shared/predict/metadata';
import { parseRavdessName } from '../../../shared/ravdess';
import { ErrorCode, RequestError, InvalidRavdessNameError } from '../../../shared/errors';

const BOTH = { intensity: true, male: true };

test('uses the request values first and says so', () => {
  const got = resolveInputs(BOTH, { intensity: 0, male: 1, fileName: '03-01-05-02-01-01-02.wav' }, parseRavdessName);
  assert.deepEqual(got, { intensity: 0, male: 1, source: { intensity: 'request', male: 'request' } });
});

test('fills missing values from a RAVDESS file name', () => {
  // actor 02 is female, intensity 02 is strong
  const got = resolveInputs(BOTH, { male: 1, fileName: 'audio/x/03-01-05-02-01-01-02.wav' }, parseRavdessName);
  assert.deepEqual(got, { intensity: 1, male: 1, source: { intensity: 'filename', male: 'request' } });
});

test('throws MISSING_METADATA naming what is missing when there is no RAVDESS name', () => {
  assert.throws(
    () => resolveInputs(BOTH, { intensity: 1, fileName: 'my-recording.wav' }, parseRavdessName),
    (e: unknown) => e instanceof RequestError && e.code === ErrorCode.MISSING_METADATA && /needs sex/.test(e.message) && /sex=male\|female/.test(e.suggestion ?? ''),
  );
  assert.throws(() => resolveInputs(BOTH, {}, parseRavdessName), /needs intensity and sex/);
});

test('passes an impossible RAVDESS name error through', () => {
  assert.throws(() => resolveInputs(BOTH, { fileName: '03-01-09-01-01-01-01.wav' }, parseRavdessName), InvalidRavdessNameError);
});

test('needs nothing from a model that uses no metadata (and never parses the name)', () => {
  const got = resolveInputs({ intensity: false, male: false }, { intensity: 1, fileName: 'x' }, () => assert.fail('parsed'));
  assert.deepEqual(got, { source: { intensity: 'not-needed', male: 'not-needed' } });
});
