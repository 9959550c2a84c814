/**
 * Fetch an uploaded object for extraction, checking its size from the response headers before the body is read:
 * an oversize object is never downloaded (the stream is destroyed unread).
 */
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';

export type ObjectRead =
  | { kind: 'ok'; bytes: Uint8Array; etag?: string; versionId?: string; size: number }
  /** Content-Length above the limit; nothing was read. */
  | { kind: 'too-large'; etag?: string; versionId?: string; size: number }
  /** The object is gone (deleted since the event): its removal event handles the row. */
  | { kind: 'missing' };

/** S3 quotes ETags in headers but not in event notifications; rows store the bare value. */
export function bareEtag(etag: string | undefined): string | undefined {
  return etag?.replace(/^"|"$/g, '');
}

/**
 * GetObject `bucket/key`; bodies above `maxBytes` (bytes) are not read. Throws on any other S3 error
 * (throttling, 5xx, network, access) so the caller's retry policy applies.
 */
export async function readObject(s3: S3Client, params: { bucket: string; key: string; maxBytes: number }): Promise<ObjectRead> {
  let response;
  try {
    response = await s3.send(new GetObjectCommand({ Bucket: params.bucket, Key: params.key }));
  } catch (e) {
    if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey') return { kind: 'missing' };
    throw e;
  }
  const etag = bareEtag(response.ETag);
  const meta = { ...(etag ? { etag } : {}), ...(response.VersionId ? { versionId: response.VersionId } : {}) };
  const size = response.ContentLength ?? 0;
  if (size > params.maxBytes) {
    (response.Body as Readable | undefined)?.destroy?.();
    return { kind: 'too-large', size, ...meta };
  }
  const bytes = response.Body ? await response.Body.transformToByteArray() : new Uint8Array(0);
  return { kind: 'ok', bytes, size: bytes.byteLength, ...meta };
}
