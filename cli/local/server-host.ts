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
import { parentPort, workerData } from 'node:worker_threads';
import { startDynamo, startS3, type RunningServer } from './embedded-servers';

export type ServerHostData =
  | { kind: 's3'; port: number; directory: string }
  | { kind: 'dynamodb'; port: number; path?: string };

export type ServerHostMessage =
  | { type: 'listening'; port: number }
  | { type: 'event'; seq: number; event: { Records: unknown[] } }
  | { type: 'closed' };

const data = workerData as ServerHostData;
const port = parentPort!;
let seq = 0;
const acks = new Map<number, () => void>();

port.on('message', async (m: { type: 'ack'; seq: number } | { type: 'close' }) => {
  if (m.type === 'ack') {
    acks.get(m.seq)?.();
    acks.delete(m.seq);
    return;
  }
  for (const release of acks.values()) release();
  acks.clear();
  await (await server).close();
  port.postMessage({ type: 'closed' } satisfies ServerHostMessage);
});

const server: Promise<RunningServer> =
  data.kind === 's3'
    ? startS3({
        port: data.port,
        directory: data.directory,
        onEvent: (event) =>
          new Promise<void>((resolve) => {
            const n = ++seq;
            acks.set(n, resolve);
            port.postMessage({ type: 'event', seq: n, event } satisfies ServerHostMessage);
          }),
      })
    : startDynamo({ port: data.port, ...(data.path ? { path: data.path } : {}) });
port.postMessage({ type: 'listening', port: (await server).port } satisfies ServerHostMessage);
