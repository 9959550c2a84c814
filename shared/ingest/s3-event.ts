/**
 * The messages the ingest queue carries: S3 event notifications (S3 → SQS directly), validated with zod at the
 * boundary. Also accepted: the `s3:TestEvent` S3 sends once when a notification is configured (ignored).
 * Out of scope, rejected as INVALID_EVENT: EventBridge-shaped bodies (`detail-type`) and SNS-wrapped bodies
 * (S3 → SNS → SQS); the stack wires S3 straight to SQS.
 */
import { z } from 'zod';
import { ErrorCode, SerError } from '../errors';
import { encodeS3Key } from './object-key';
import { isSequencer } from './sequencer';

export const S3EventRecordSchema = z.object({
  eventName: z.string().min(1),
  eventTime: z.string().optional(),
  awsRegion: z.string().optional(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      /** URL-encoded (form style: `+` = space). */
      key: z.string().min(1),
      /** Bytes; absent on removals. */
      size: z.number().int().nonnegative().optional(),
      /** Absent on removals. */
      eTag: z.string().optional(),
      versionId: z.string().optional(),
      sequencer: z.string().refine(isSequencer, 'sequencer must be a hex string'),
    }),
  }),
});
export type S3EventRecord = z.infer<typeof S3EventRecordSchema>;

export const S3EventSchema = z.object({ Records: z.array(S3EventRecordSchema) });

export const S3TestEventSchema = z.object({ Event: z.literal('s3:TestEvent'), Bucket: z.string().optional() });

export type IngestMessage = { kind: 'test'; bucket?: string } | { kind: 's3'; records: S3EventRecord[] };

/** What an event does to the object's row. */
export type EventAction = 'created' | 'removed' | 'ignored';

/**
 * Created: ObjectCreated:Put/Post/Copy/CompleteMultipartUpload. Removed: ObjectRemoved:* and the lifecycle
 * expirations (the object is gone either way). Everything else (restore, tagging, ACL, replication…) is ignored.
 */
export function eventAction(eventName: string): EventAction {
  if (eventName.startsWith('ObjectCreated:')) return 'created';
  if (eventName.startsWith('ObjectRemoved:') || eventName.startsWith('LifecycleExpiration:')) return 'removed';
  return 'ignored';
}

/**
 * Parses one SQS message body. Throws SerError INVALID_EVENT (the message is retried, then lands in the
 * dead-letter queue where it can be inspected) when the body is not JSON or not an S3 notification.
 */
export function parseIngestMessage(body: string): IngestMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new SerError(ErrorCode.INVALID_EVENT, 'SQS message body is not JSON', { cause });
  }
  const test = S3TestEventSchema.safeParse(json);
  if (test.success) return { kind: 'test', ...(test.data.Bucket ? { bucket: test.data.Bucket } : {}) };
  if (json && typeof json === 'object' && 'detail-type' in json) {
    throw new SerError(ErrorCode.INVALID_EVENT, 'EventBridge-shaped S3 events are not supported', {
      suggestion: 'Send S3 event notifications straight to the SQS queue (the CDK stack does this).',
    });
  }
  if (json && typeof json === 'object' && (json as { Type?: unknown }).Type === 'Notification') {
    throw new SerError(ErrorCode.INVALID_EVENT, 'SNS-wrapped S3 events are not supported', {
      suggestion: 'Enable raw message delivery on the SNS subscription, or send S3 events straight to SQS.',
    });
  }
  const parsed = S3EventSchema.safeParse(json);
  if (!parsed.success) {
    throw new SerError(ErrorCode.INVALID_EVENT, `SQS message is not an S3 event notification: ${z.prettifyError(parsed.error)}`);
  }
  return { kind: 's3', records: parsed.data.Records };
}

export interface S3EventInput {
  bucket: string;
  /** Decoded key; encoded here like S3 does. */
  key: string;
  /** e.g. ObjectCreated:Put, ObjectRemoved:Delete. */
  eventName: string;
  sequencer: string;
  size?: number;
  eTag?: string;
  versionId?: string;
  eventTime?: Date;
  region?: string;
}

/**
 * Builds the JSON body S3 would send for one event — for producers that are not S3 (the embedded local stack)
 * and for tests. Only the fields the extractor reads plus the usual envelope.
 */
export function s3EventBody(input: S3EventInput): string {
  const object = {
    key: encodeS3Key(input.key),
    ...(input.size !== undefined ? { size: input.size } : {}),
    ...(input.eTag !== undefined ? { eTag: input.eTag } : {}),
    ...(input.versionId !== undefined ? { versionId: input.versionId } : {}),
    sequencer: input.sequencer,
  };
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: input.region ?? 'us-east-1',
        eventTime: (input.eventTime ?? new Date()).toISOString(),
        eventName: input.eventName,
        s3: { s3SchemaVersion: '1.0', bucket: { name: input.bucket, arn: `arn:aws:s3:::${input.bucket}` }, object },
      },
    ],
  });
}
