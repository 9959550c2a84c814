/**
 * Reading objects from the bucket for the predictor: audio by key (bounded size) and model artifacts.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AudioError, ErrorCode, RequestError } from '../errors';
import { isMissingObject, readObjectBytes } from '../store/objects';

/** Read a whole object; undefined when it does not exist. */
export const readObject = readObjectBytes;

/**
 * Read an audio object the caller named by key.
 * @param maxBytes largest accepted object, bytes
 * @throws RequestError NOT_FOUND when the key does not exist (or is not readable); AudioError FILE_TOO_LARGE
 */
export async function readAudioObject(s3: S3Client, bucket: string, key: string, maxBytes: number): Promise<Uint8Array> {
  let out;
  try {
    out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if (isMissingObject(error)) {
      throw new RequestError(ErrorCode.NOT_FOUND, `s3Key "${key}" does not exist in the bucket (or is not readable)`, {
        suggestion: 'Check the key (no s3://bucket/ prefix, e.g. audio/03-01-05-02-02-01-02.wav).',
      });
    }
    throw error;
  }
  if ((out.ContentLength ?? 0) > maxBytes) {
    // Do not download what will be refused.
    (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
    throw new AudioError(ErrorCode.FILE_TOO_LARGE, `s3Key "${key}" is ${out.ContentLength} bytes; the limit is ${maxBytes} bytes`, {
      suggestion: 'Trim the recording: only 3 s from 0.5 s are analysed.',
    });
  }
  return out.Body!.transformToByteArray();
}
