/**
 * Which S3 keys the extractor works on. S3 filters the notification by prefix and suffix already; checking again
 * here keeps the function correct when it is wired differently (LocalStack, the local stack, a wider filter).
 */
import { AUDIO_SUFFIXES, PREFIX } from '../names';

/** S3 puts keys in event notifications URL-encoded with `+` for spaces (form encoding). */
export function decodeS3Key(rawKey: string): string {
  return decodeURIComponent(rawKey.replace(/\+/g, ' '));
}

/** The inverse used by producers of synthetic events (local stack, tests): encodes like S3 does. */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

export type SkipReason = 'OUTSIDE_AUDIO_PREFIX' | 'NOT_WAV';

/** undefined when the key is an upload to extract, else why it is ignored. */
export function skipReason(key: string): SkipReason | undefined {
  if (!key.startsWith(PREFIX.AUDIO)) return 'OUTSIDE_AUDIO_PREFIX';
  if (!AUDIO_SUFFIXES.some((suffix) => key.endsWith(suffix))) return 'NOT_WAV';
  return undefined;
}

/** Last path segment of a key (the file name RAVDESS labels are parsed from). */
export function baseName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}
