/**
 * Runs one embedded AWS stand-in (s3rver or dynalite) in a worker thread, so its HTTP parsing, hashing, file and
 * LevelDB work use a core of their own instead of the thread that uploads and runs the event queue (and its heap
 * stays small: no CDK, no SDK, no WAV buffers of other components to mark on every GC).
 *
 * Protocol with servers.ts — in: { type: 'ack', seq } | { type: 'close' }; out: { type: 'listening', port } |
 * { type: 'event', seq, event } (s3rver object events) | { type: 'closed' }.
 * An S3 write's HTTP response is held until the main thread acknowledged its event: as with s3rver in-process, a
 * client whose PutObject resolved can rely on the event having been delivered (the queue already holds it).
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import S3rver from 's3rver';
import dynalite from 'dynalite';

export type ServerHostData =
  | { kind: 's3'; port: number; directory: string }
  | { kind: 'dynamodb'; port: number; path?: string };

export type ServerHostMessage =
  | { type: 'listening'; port: number }
  | { type: 'event'; seq: number; event: { Records: unknown[] } }
  | { type: 'closed' };

const data = workerData as ServerHostData;
const port = parentPort!;

if (data.kind === 's3') {
  mkdirSync(data.directory, { recursive: true });
  const s3rver = new S3rver({ port: data.port, address: '127.0.0.1', silent: true, directory: data.directory });
  trimPerRequestWork(s3rver);
  let emitted = 0;
  let acked = 0;
  let waiters: { seq: number; resolve: () => void }[] = [];
  s3rver.on('event', (event: { Records: unknown[] }) => port.postMessage({ type: 'event', seq: ++emitted, event } satisfies ServerHostMessage));
  // First middleware: after the route ran (and emitted its event, if any), wait for the main thread's ack.
  (s3rver as unknown as { middleware: unknown[] }).middleware.unshift(async (_ctx: unknown, next: () => Promise<void>) => {
    await next();
    const seq = emitted;
    if (seq > acked) await new Promise<void>((resolve) => waiters.push({ seq, resolve }));
  });
  port.on('message', async (m: { type: 'ack'; seq: number } | { type: 'close' }) => {
    if (m.type === 'ack') {
      acked = Math.max(acked, m.seq);
      const ready = waiters.filter((w) => w.seq <= acked);
      waiters = waiters.filter((w) => w.seq > acked);
      for (const w of ready) w.resolve();
    } else {
      for (const w of waiters) w.resolve();
      await s3rver.close();
      port.postMessage({ type: 'closed' } satisfies ServerHostMessage);
    }
  });
  const address = (await s3rver.run()) as AddressInfo;
  port.postMessage({ type: 'listening', port: address.port } satisfies ServerHostMessage);
} else {
  if (data.path) mkdirSync(data.path, { recursive: true });
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(data.path ? { path: data.path } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(data.port, '127.0.0.1', () => resolve());
  });
  port.on('message', (m: { type: string }) => {
    if (m.type === 'close') server.close(() => port.postMessage({ type: 'closed' } satisfies ServerHostMessage));
  });
  port.postMessage({ type: 'listening', port: (server.address() as AddressInfo).port } satisfies ServerHostMessage);
}

interface SubresourceStore {
  getSubresource(bucket: string, key: string | undefined, type: string): Promise<unknown>;
  putSubresource(bucket: string, key: string | undefined, resource: { type: string }): Promise<unknown>;
  deleteSubresource(bucket: string, key: string | undefined, type: string): Promise<unknown>;
  putBucket(bucket: string): Promise<unknown>;
  deleteBucket(bucket: string): Promise<unknown>;
}

/**
 * Two costs s3rver pays on every request that change nothing for us (~10 % of its thread in a 300-file ingest):
 * - koa-logger (colours and formats a line per request, and pipes every GET body through a counting stream) even
 *   when silent: removed — silent means nothing is printed anyway;
 * - reading the bucket's cors.xml and website.xml from disk twice per request: cached, and the cache is dropped by
 *   any write of a subresource or any bucket create/delete made through this server (the only writer of its folder).
 */
function trimPerRequestWork(s3rver: S3rver): void {
  const app = s3rver as unknown as { middleware: { name?: string }[]; store: SubresourceStore };
  const logger = app.middleware.findIndex((m) => m.name === 'logger');
  if (logger >= 0) app.middleware.splice(logger, 1);

  const store = app.store;
  const cache = new Map<string, Promise<unknown>>();
  const read = store.getSubresource.bind(store);
  store.getSubresource = (bucket, key, type) => {
    // Object-level ones (tagging) go away with their object: only bucket-level configs are cached.
    if (key !== undefined) return read(bucket, key, type);
    const id = `${bucket}\0${type}`;
    let hit = cache.get(id);
    if (!hit) {
      hit = read(bucket, key, type);
      cache.set(id, hit);
      hit.catch(() => cache.delete(id));
    }
    return hit;
  };
  for (const method of ['putSubresource', 'deleteSubresource', 'putBucket', 'deleteBucket'] as const) {
    const original = (store[method] as (...args: unknown[]) => Promise<unknown>).bind(store);
    (store as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      cache.clear();
      try {
        return await original(...args);
      } finally {
        cache.clear();
      }
    };
  }
}
