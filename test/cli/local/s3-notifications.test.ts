import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSequencer, encodeEventKey, matchesIngestFilter, toNotificationRecords } from '../../../cli/local/s3-notifications';

const s3rverEvent = (key: string, eventName = 'ObjectCreated:Put') => ({
  Records: [{ eventName, eventTime: '2026-01-01T00:00:00.000Z', s3: { bucket: { name: 'b' }, object: { key, size: 3, eTag: 'abc', sequencer: '1' } } }],
});

test('keeps only audio/ keys ending in .wav or .WAV, like the stack filter', () => {
  assert.equal(matchesIngestFilter('audio/a.wav'), true);
  assert.equal(matchesIngestFilter('audio/x/A.WAV'), true);
  assert.equal(matchesIngestFilter('audio/a.Wav'), false);
  assert.equal(matchesIngestFilter('models/a.wav'), false);
  assert.equal(matchesIngestFilter('audio/a.flac'), false);
});

test('URL-encodes keys as S3 does (spaces as +, slashes kept)', () => {
  assert.equal(encodeEventKey('audio/Actor 01/a+b é.wav'), 'audio/Actor+01/a%2Bb+%C3%A9.wav');
  assert.equal(decodeURIComponent(encodeEventKey('audio/a b+c.wav').replace(/\+/g, ' ')), 'audio/a b+c.wav');
});

test('issues strictly increasing fixed-width sequencers within one millisecond', () => {
  const next = createSequencer(() => 1000);
  const a = next();
  const b = next();
  assert.equal(a.length, 20);
  assert.ok(b > a);
});

test('turns an s3rver event into an AWS-shaped record with our sequencer', () => {
  const [record] = toNotificationRecords(s3rverEvent('audio/a b.wav'), () => 'SEQ');
  assert.equal(record!.s3.object.key, 'audio/a+b.wav');
  assert.equal(record!.s3.object.sequencer, 'SEQ');
  assert.equal(record!.s3.object.eTag, 'abc');
  assert.equal(record!.eventName, 'ObjectCreated:Put');
  assert.equal(record!.s3.bucket.arn, 'arn:aws:s3:::b');
  assert.deepEqual(toNotificationRecords(s3rverEvent('datasets/x.csv'), () => 'SEQ'), []);
});
