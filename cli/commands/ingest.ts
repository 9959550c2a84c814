/**
 * `ser ingest DIR` — upload every .wav/.WAV under DIR (recursively) to s3://<bucket>/audio/<relative path>, where the
 * bucket notification starts feature extraction. Unchanged files are skipped: the objects under the prefix are
 * listed once (ETag + size; one request per 1,000 keys instead of a HeadObject per file) and a file whose MD5
 * equals its object's ETag (single-part uploads), or whose size equals a multipart object's, is not sent again.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Command } from 'commander';
import { z } from 'zod';
import { ConfigError, ErrorCode, SerError } from '../../shared/errors';
import { PREFIX } from '../../shared/names';
import { handleError, UsageError } from '../handle-error';
import { resolveTarget, withTargetOptions, type Target, type TargetFlags } from '../local/target';
import { createProgress } from '../progress';

export const ingestOptionsSchema = z.object({
  dir: z.string().min(1),
  /** Key prefix the files go under. */
  prefix: z.string().default(PREFIX.AUDIO).refine((p) => p.endsWith('/'), 'must end with /'),
  /** Uploads in flight. */
  concurrency: z.coerce.number().int().min(1).max(64).default(8),
  quiet: z.boolean().default(false),
});
export type IngestOptions = z.input<typeof ingestOptionsSchema>;

export interface IngestResult {
  files: number;
  uploaded: string[];
  skipped: string[];
  failed: { file: string; code: string; message: string }[];
  bytes: number;
  seconds: number;
}

/** Every .wav/.WAV under dir, sorted. */
export async function findWavFiles(dir: string): Promise<string[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`Not a directory: ${dir}`);
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && /\.wav$/i.test(e.name)) out.push(full);
    }
  };
  await walk(dir);
  return out.sort();
}

/** The S3 key of a file: prefix + its path relative to the ingested folder (POSIX separators). */
export function keyFor(dir: string, file: string, prefix: string = PREFIX.AUDIO): string {
  return prefix + relative(dir, file).split(sep).join('/');
}

/** What the bucket holds under a prefix: key → { etag (unquoted), size }. */
export async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<Map<string, { etag: string; size: number }>> {
  const out = new Map<string, { etag: string; size: number }>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) out.set(o.Key, { etag: (o.ETag ?? '').replace(/"/g, ''), size: o.Size ?? -1 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** True when the object already holds these bytes: same MD5 (single-part ETag) or, for multipart ETags, same size. */
export function isUnchanged(existing: { etag: string; size: number } | undefined, bytes: Uint8Array): boolean {
  if (!existing) return false;
  if (existing.etag && !existing.etag.includes('-')) return existing.etag === createHash('md5').update(bytes).digest('hex');
  return existing.size === bytes.length;
}

export async function runIngest(target: Target, options: IngestOptions): Promise<IngestResult> {
  const o = ingestOptionsSchema.parse(options);
  if (!target.bucket) throw new ConfigError('No bucket for this stack', { suggestion: 'Pass --bucket or --stack NAME.' });
  const bucket = target.bucket;
  const files = await findWavFiles(o.dir);
  const started = performance.now();
  const result: IngestResult = { files: files.length, uploaded: [], skipped: [], failed: [], bytes: 0, seconds: 0 };
  const existing = await listObjects(target.s3, bucket, o.prefix);
  const progress = createProgress({ unit: 'files', quiet: o.quiet });
  progress.start(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      const key = keyFor(o.dir, file, o.prefix);
      try {
        const bytes = await readFile(file);
        if (isUnchanged(existing.get(key), bytes)) result.skipped.push(key);
        else {
          await target.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: 'audio/wav' }));
          result.uploaded.push(key);
          result.bytes += bytes.length;
        }
      } catch (e) {
        const code = e instanceof SerError ? e.code : ((e as Error).name ?? ErrorCode.INTERNAL);
        result.failed.push({ file, code, message: (e as Error).message });
        progress.log(`failed ${file}: ${code} ${(e as Error).message}`);
      }
      progress.increment(key);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, files.length || 1) }, worker));
  progress.stop();
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

export function ingestCommand(): Command {
  return withTargetOptions(
    new Command('ingest')
      .description('upload the WAVs under DIR (recursively) to s3://<bucket>/audio/…; unchanged files are skipped')
      .argument('<dir>', 'folder of WAV files (e.g. the unzipped RAVDESS Audio_Speech_Actors_01-24)')
      .option('--prefix <prefix>', 'key prefix', PREFIX.AUDIO)
      .option('--concurrency <n>', 'uploads in flight', '8')
      .option('-q, --quiet', 'no progress bar', false),
  ).action(async (dir: string, flags: TargetFlags & { prefix: string; concurrency: string; quiet: boolean }) => {
    try {
      const target = await resolveTarget(flags);
      const r = await runIngest(target, { dir, prefix: flags.prefix, concurrency: flags.concurrency, quiet: flags.quiet });
      process.stdout.write(
        `${r.files} files: ${r.uploaded.length} uploaded, ${r.skipped.length} unchanged, ${r.failed.length} failed ` +
          `(${(r.bytes / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(1)} s) → s3://${target.bucket}/${flags.prefix}\n`,
      );
      if (r.failed.length) process.exitCode = 1;
    } catch (e) {
      handleError(e);
    }
  });
}
