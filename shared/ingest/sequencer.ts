/**
 * S3 event sequencers: per object key, the event with the greater sequencer happened later. S3 documents the
 * comparison: hex strings of varying length — left-pad the shorter with zeros, then compare lexicographically.
 * We store the padded, upper-cased form so DynamoDB's own string `<` in a condition expression orders correctly.
 */
import { ErrorCode, SerError } from '../errors';

/** Width (hex digits) every stored sequencer is padded to. S3 emits 16-20; 32 leaves room and stays readable. */
export const SEQUENCER_WIDTH = 32;

const HEX = /^[0-9A-Fa-f]+$/;

/** True when `value` is a hex sequencer short enough to be padded to SEQUENCER_WIDTH. */
export function isSequencer(value: string): boolean {
  return value.length > 0 && value.length <= SEQUENCER_WIDTH && HEX.test(value);
}

/**
 * Comparable form of a sequencer: upper-case hex, left-padded with zeros to SEQUENCER_WIDTH digits.
 * Throws SerError INVALID_EVENT for a non-hex or over-long value.
 */
export function normalizeSequencer(sequencer: string): string {
  if (!isSequencer(sequencer)) {
    throw new SerError(ErrorCode.INVALID_EVENT, `S3 event sequencer ${JSON.stringify(sequencer)} is not a hex string of 1-${SEQUENCER_WIDTH} digits`);
  }
  return sequencer.toUpperCase().padStart(SEQUENCER_WIDTH, '0');
}

/** Orders two sequencers of the same object key the way S3 says: negative = a happened before b, 0 = same event. */
export function compareSequencers(a: string, b: string): number {
  const x = normalizeSequencer(a);
  const y = normalizeSequencer(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Monotonic sequencer source for producers that are not S3 (the embedded local stack, tests): hex of
 * (epoch milliseconds · 2^20 + counter), strictly increasing within one process.
 */
export function createSequencerClock(now: () => number = Date.now): () => string {
  let last = 0n;
  return () => {
    const candidate = BigInt(now()) << 20n;
    last = candidate > last ? candidate : last + 1n;
    return last.toString(16).toUpperCase();
  };
}
