/**
 * Whole-object reads from the bucket, shared by the trainer, the registry and the predictor: one place decides
 * what "the object is not there" looks like across AWS, LocalStack and s3rver.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * True for S3's "no such key" answers, and for "access denied": a role without ListBucket on a prefix gets 403
 * for a missing key, and for callers of this module either way the object cannot be had.
 */
export function isMissingObject(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'AccessDenied' || status === 404 || status === 403;
}

/** Read a whole object as bytes; undefined when it does not exist. Other errors (throttling, network) are thrown. */
export async function readObjectBytes(s3: S3Client, bucket: string, key: string): Promise<Uint8Array | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await out.Body!.transformToByteArray();
  } catch (error) {
    if (isMissingObject(error)) return undefined;
    throw error;
  }
}

/** Read a whole object as UTF-8 text; undefined when it does not exist. */
export async function readObjectText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  const bytes = await readObjectBytes(s3, bucket, key);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}
