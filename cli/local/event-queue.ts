/**
 * An in-process stand-in for the ingest SQS queue and its Lambda event source mapping: messages are delivered in
 * batches (size / batching window), several batches at once, to a handler that reports partial batch failures
 * (`batchItemFailures`). A failed message comes back after a backoff with ApproximateReceiveCount + 1; after
 * maxReceiveCount receives it goes to the dead-letter store — as the redrive policy does on AWS.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeadLetterStore } from './dead-letters';

export interface QueueSettings {
  /** Messages per handler invocation (SqsEventSource batchSize). */
  batchSize: number;
  /** How long to wait for a full batch, ms (maxBatchingWindow). */
  maxBatchingWindowMs: number;
  /** Batches in flight at once (Lambda concurrency of the event source). */
  concurrency: number;
  /** Receives before a message is dead-lettered (redrive policy). */
  maxReceiveCount: number;
  /** Delay before a failed message is visible again, ms, by receive count (stand-in for the visibility timeout). */
  retryDelayMs(receiveCount: number): number;
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  batchSize: 10,
  maxBatchingWindowMs: 200,
  concurrency: 2,
  maxReceiveCount: 3,
  retryDelayMs: (n) => Math.min(10_000, 250 * 2 ** (n - 1)),
};

export type BatchInvoker = (event: SQSEvent) => Promise<SQSBatchResponse | void | undefined>;

interface Message {
  messageId: string;
  body: string;
  receiveCount: number;
  sentTimestamp: number;
  firstReceiveTimestamp?: number;
  visibleSince: number;
}

export interface QueueStats {
  sent: number;
  succeeded: number;
  retried: number;
  deadLettered: number;
}

export class LocalEventQueue {
  readonly stats: QueueStats = { sent: 0, succeeded: 0, retried: 0, deadLettered: 0 };
  private readonly ready: Message[] = [];
  private readonly delayed = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private windowTimer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly invoke: BatchInvoker,
    private readonly deadLetters: DeadLetterStore,
    private readonly settings: QueueSettings = DEFAULT_QUEUE_SETTINGS,
    private readonly queueArn = 'arn:aws:sqs:us-east-1:000000000000:ser-local-ingest',
  ) {}

  /** Enqueue one message (an S3 notification body). */
  send(body: string): void {
    if (this.closed) throw new Error('queue is closed');
    const now = Date.now();
    this.ready.push({ messageId: randomUUID(), body, receiveCount: 0, sentTimestamp: now, visibleSince: now });
    this.stats.sent++;
    this.pump();
  }

  /** Messages waiting, delayed for retry, or being processed. */
  get pending(): number {
    return this.ready.length + this.delayed.size + this.inFlight;
  }

  /** Resolves once nothing is waiting, delayed or in flight. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops accepting messages and waits for in-flight and delayed ones to settle. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private pump(): void {
    while (this.inFlight < this.settings.concurrency && this.ready.length > 0) {
      const waitedMs = Date.now() - this.ready[0]!.visibleSince;
      if (this.ready.length < this.settings.batchSize && waitedMs < this.settings.maxBatchingWindowMs) {
        this.windowTimer ??= setTimeout(() => {
          this.windowTimer = undefined;
          this.pump();
        }, this.settings.maxBatchingWindowMs - waitedMs);
        return;
      }
      void this.deliver(this.ready.splice(0, this.settings.batchSize));
    }
  }

  private async deliver(batch: Message[]): Promise<void> {
    this.inFlight++;
    const now = Date.now();
    for (const m of batch) {
      m.receiveCount++;
      m.firstReceiveTimestamp ??= now;
    }
    let failed: Set<string>;
    let reason = '';
    try {
      const response = await this.invoke({ Records: batch.map((m) => this.toRecord(m)) });
      const ids = (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
      // Lambda treats an unknown identifier as a failure of the whole batch.
      failed = ids.some((id) => !batch.some((m) => m.messageId === id)) ? new Set(batch.map((m) => m.messageId)) : new Set(ids);
      if (failed.size) reason = 'reported in batchItemFailures';
    } catch (e) {
      failed = new Set(batch.map((m) => m.messageId));
      reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    for (const m of batch) {
      if (!failed.has(m.messageId)) this.stats.succeeded++;
      else if (m.receiveCount >= this.settings.maxReceiveCount) {
        this.stats.deadLettered++;
        this.deadLetters.add({ messageId: m.messageId, body: m.body, receiveCount: m.receiveCount, reason, deadLetteredAt: new Date().toISOString() });
      } else {
        this.stats.retried++;
        const timer = setTimeout(() => {
          this.delayed.delete(timer);
          m.visibleSince = Date.now();
          this.ready.push(m);
          this.pump();
        }, this.settings.retryDelayMs(m.receiveCount));
        this.delayed.add(timer);
      }
    }
    this.inFlight--;
    this.pump();
    if (this.pending === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private toRecord(m: Message): SQSRecord {
    return {
      messageId: m.messageId,
      receiptHandle: `${m.messageId}#${m.receiveCount}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentTimestamp),
        SenderId: 'AROAS3LOCAL:s3.amazonaws.com',
        ApproximateFirstReceiveTimestamp: String(m.firstReceiveTimestamp ?? Date.now()),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(m.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: this.queueArn,
      awsRegion: 'us-east-1',
    };
  }
}
