/** The local dead-letter queue: messages that failed maxReceiveCount times, kept in <state>/dead-letters.jsonl. */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DeadLetter {
  messageId: string;
  /** The SQS body as delivered: JSON of the S3 notification ({Records:[…]}). */
  body: string;
  receiveCount: number;
  /** Why the last delivery failed (batchItemFailures or the handler's error). */
  reason: string;
  deadLetteredAt: string;
}

export interface DeadLetterStore {
  add(letter: DeadLetter): void;
  list(): DeadLetter[];
}

export const DEAD_LETTERS_FILE = 'dead-letters.jsonl';

/** Persisted under stateDir when given, in memory otherwise. */
export function createDeadLetterStore(stateDir?: string): DeadLetterStore {
  const memory: DeadLetter[] = [];
  const file = stateDir ? join(stateDir, DEAD_LETTERS_FILE) : undefined;
  return {
    add(letter) {
      if (file) appendFileSync(file, `${JSON.stringify(letter)}\n`);
      else memory.push(letter);
    },
    list() {
      return file ? readDeadLetters(file) : [...memory];
    },
  };
}

export function readDeadLetters(file: string): DeadLetter[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as DeadLetter);
}
