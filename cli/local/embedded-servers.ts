/**
 * Starting s3rver and dynalite, shared by both ways servers.ts runs them: in the calling thread (tests: starts in
 * ≈ 0.1 s) or each in a worker thread (server-host.ts; the local stack: own cores, small heaps).
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import dynalite from 'dynalite';

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/**
 * s3rver on 127.0.0.1. onEvent gets each object event ({Records:[…]}); when it returns a promise, the response of
 * the request that caused the event waits for it (so the caller's PutObject resolves only once the event is handled).
 */
export async function startS3(options: { port: number; directory: string; onEvent(event: { Records: unknown[] }): void | Promise<void> }): Promise<RunningServer> {
  mkdirSync(options.directory, { recursive: true });
  const s3rver = new S3rver({ port: options.port, address: '127.0.0.1', silent: true, directory: options.directory });
  trimPerRequestWork(s3rver);
  const pending = new Set<Promise<void>>();
  s3rver.on('event', (event: { Records: unknown[] }) => {
    const handled = options.onEvent(event);
    if (handled) {
      pending.add(handled);
      void handled.finally(() => pending.delete(handled));
    }
  });
  // First middleware: after the route ran (and emitted its event, if any), wait until the event is handled.
  (s3rver as unknown as { middleware: unknown[] }).middleware.unshift(async (_ctx: unknown, next: () => Promise<void>) => {
    await next();
    if (pending.size) await Promise.allSettled([...pending]);
  });
  const address = (await s3rver.run()) as AddressInfo;
  return { port: address.port, close: () => s3rver.close() };
}

/** dynalite on 127.0.0.1; path = LevelDB folder (omitted: in memory). */
export async function startDynamo(options: { port: number; path?: string }): Promise<RunningServer> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface SubresourceStore {
  getSubresource(bucket: string, key: string | undefined, type: string): Promise<unknown>;
  putSubresource(bucket: string, key: string | undefined, resource: { type: string }): Promise<unknown>;
  deleteSubresource(bucket: string, key: string | undefined, type: string): Promise<unknown>;
  putBucket(bucket: string): Promise<unknown>;
  deleteBucket(bucket: string): Promise<unknown>;
}

/**
 * Two costs s3rver pays on every request that change nothing for us (~25 % of its thread in a 300-file ingest):
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
