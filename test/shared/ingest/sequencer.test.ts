import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSequencers, createSequencerClock, normalizeSequencer, SEQUENCER_WIDTH } from '../../../shared/ingest/sequencer';

test('orders sequencers of different lengths by left-padding, as S3 documents', () => {
  assert.ok(compareSequencers('0055AED6DCD90281E5', '0055AED6DCD90281E6') < 0);
  // Unpadded, '9' > '10' as strings; padded, 0x9 < 0x10 as it must be.
  assert.ok(compareSequencers('9', '10') < 0);
  assert.ok(compareSequencers('A', '0000A') === 0);
  assert.ok(compareSequencers('ff', 'FE') > 0);
});

test('normalizes to upper-case hex of a fixed width so DynamoDB string comparison orders events', () => {
  const a = normalizeSequencer('9');
  const b = normalizeSequencer('10');
  assert.equal(a.length, SEQUENCER_WIDTH);
  assert.ok(a < b);
  assert.equal(normalizeSequencer('abc'), 'ABC'.padStart(SEQUENCER_WIDTH, '0'));
});

test('throws INVALID_EVENT for a non-hex or over-long sequencer', () => {
  assert.throws(() => normalizeSequencer('xyz'), { code: 'INVALID_EVENT' });
  assert.throws(() => normalizeSequencer(''), { code: 'INVALID_EVENT' });
  assert.throws(() => normalizeSequencer('F'.repeat(SEQUENCER_WIDTH + 1)), { code: 'INVALID_EVENT' });
});

test('the sequencer clock is strictly increasing even when the time stands still', () => {
  const clock = createSequencerClock(() => 1_700_000_000_000);
  const values = Array.from({ length: 5 }, clock);
  for (let i = 1; i < values.length; i++) assert.ok(compareSequencers(values[i - 1]!, values[i]!) < 0);
});
