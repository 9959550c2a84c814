import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SQSEvent } from 'aws-lambda';
import { createDeadLetterStore } from '../../../cli/local/dead-letters';
import { LocalEventQueue, type QueueSettings } from '../../../cli/local/event-queue';

const fast: QueueSettings = { batchSize: 3, maxBatchingWindowMs: 20, concurrency: 2, maxReceiveCount: 3, retryDelayMs: () => 5 };

test('delivers messages in batches no larger than batchSize', async () => {
  const sizes: number[] = [];
  const queue = new LocalEventQueue(async (e) => void sizes.push(e.Records.length), createDeadLetterStore(), fast);
  for (let i = 0; i < 7; i++) queue.send(`m${i}`);
  await queue.idle();
  assert.equal(sizes.reduce((a, b) => a + b, 0), 7);
  assert.ok(sizes.every((n) => n <= 3));
  assert.equal(queue.stats.succeeded, 7);
});

test('retries only the reported batch item failures, counting receives', async () => {
  const seen = new Map<string, string[]>();
  const queue = new LocalEventQueue(
    async (e: SQSEvent) => {
      for (const r of e.Records) seen.set(r.body, [...(seen.get(r.body) ?? []), r.attributes.ApproximateReceiveCount]);
      const flaky = e.Records.filter((r) => r.body === 'flaky' && r.attributes.ApproximateReceiveCount === '1');
      return { batchItemFailures: flaky.map((r) => ({ itemIdentifier: r.messageId })) };
    },
    createDeadLetterStore(),
    fast,
  );
  queue.send('good');
  queue.send('flaky');
  await queue.idle();
  assert.deepEqual(seen.get('good'), ['1']);
  assert.deepEqual(seen.get('flaky'), ['1', '2']);
  assert.equal(queue.stats.retried, 1);
});

test('dead-letters a message after maxReceiveCount failed receives, also when the handler throws', async () => {
  const deadLetters = createDeadLetterStore();
  let calls = 0;
  const queue = new LocalEventQueue(
    async () => {
      calls++;
      throw new Error('boom');
    },
    deadLetters,
    fast,
  );
  queue.send('poison');
  await queue.idle();
  assert.equal(calls, 3);
  const [letter] = deadLetters.list();
  assert.equal(letter!.body, 'poison');
  assert.equal(letter!.receiveCount, 3);
  assert.match(letter!.reason, /boom/);
});
