/**
 * s3rver's object events → the records S3 itself would send to the ingest queue. Two differences from AWS are fixed
 * here: s3rver leaves the key decoded (S3 URL-encodes it, spaces as '+') and its sequencer is a millisecond
 * timestamp (two writes in the same millisecond would tie); ours is fixed-width hex, strictly increasing.
 */
import type { S3EventRecord } from 'aws-lambda';
import { encodeS3Key, skipReason } from '../../shared/ingest/object-key';

/** The stack's notification filter: prefix audio/, suffix .wav or .WAV (S3 filters are case-sensitive). */
export function matchesIngestFilter(key: string): boolean {
  return skipReason(key) === undefined;
}

/** How S3 encodes keys in event notifications (the extractor decodes them with the inverse). */
export const encodeEventKey = encodeS3Key;

/** Strictly increasing, fixed-width (20 hex digits) sequencers: ms time + a counter, comparable as strings. */
export function createSequencer(now: () => number = Date.now): () => string {
  let lastMs = 0;
  let counter = 0;
  return () => {
    const ms = Math.max(now(), lastMs);
    counter = ms === lastMs ? counter + 1 : 0;
    lastMs = ms;
    return (ms.toString(16).padStart(12, '0') + counter.toString(16).padStart(8, '0')).toUpperCase();
  };
}

interface S3rverRecord {
  eventName: string;
  eventTime: string;
  awsRegion?: string;
  s3: { bucket: { name: string; arn?: string }; object: { key: string; size?: number; eTag?: string; sequencer?: string } };
  [other: string]: unknown;
}

/**
 * The AWS-shaped records of one s3rver event that pass the ingest filter (usually 0 or 1).
 * @param nextSequencer from createSequencer(), called once per kept record, in event order.
 */
export function toNotificationRecords(event: { Records: unknown[] }, nextSequencer: () => string): S3EventRecord[] {
  const out: S3EventRecord[] = [];
  for (const raw of event.Records as S3rverRecord[]) {
    const key = raw.s3.object.key;
    if (!matchesIngestFilter(key)) continue;
    const object = {
      key: encodeEventKey(key),
      ...(raw.s3.object.size !== undefined ? { size: raw.s3.object.size } : {}),
      ...(raw.s3.object.eTag !== undefined ? { eTag: raw.s3.object.eTag } : {}),
      sequencer: nextSequencer(),
    };
    out.push({
      ...(raw as unknown as S3EventRecord),
      eventVersion: '2.1',
      awsRegion: raw.awsRegion ?? 'us-east-1',
      s3: {
        ...(raw.s3 as unknown as S3EventRecord['s3']),
        configurationId: 'ser-local-ingest',
        bucket: { ...(raw.s3.bucket as S3EventRecord['s3']['bucket']), arn: `arn:aws:s3:::${raw.s3.bucket.name}` },
        object: object as S3EventRecord['s3']['object'],
      },
    });
  }
  return out;
}
