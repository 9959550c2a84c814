/** Test helpers for ingest: real WAVs from ../shared, uploads to the local S3 server and the events S3 would send. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type AddressInfo } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { LocalServers } from '../../../cli/local/servers';
import { bareEtag } from '../../../shared/ingest/read-object';
import { s3EventBody } from '../../../shared/ingest/s3-event';
import { createSequencerClock } from '../../../shared/ingest/sequencer';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The 17 real RAVDESS WAVs (read-only, outside the repo). */
export const WAV_DIR = join(resolve(repoRoot, '../shared'), 'ravdess/wav');

export function wavNames(): string[] {
  return readdirSync(WAV_DIR).filter((f) => f.endsWith('.wav')).sort();
}

export function readWav(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(WAV_DIR, name)));
}

/** A process-wide clock so every event of every test has a fresh, increasing sequencer. */
export const nextSequencer = createSequencerClock();

export interface Uploaded {
  key: string;
  etag: string;
  size: number;
  sequencer: string;
  /** The SQS body S3 would send for this upload. */
  body: string;
}

/** PutObject to the local bucket and return the matching ObjectCreated:Put notification body. */
export async function upload(servers: LocalServers, key: string, bytes: Uint8Array): Promise<Uploaded> {
  const put = await servers.clients.s3.send(new PutObjectCommand({ Bucket: servers.names.bucket, Key: key, Body: bytes }));
  const etag = bareEtag(put.ETag)!;
  const sequencer = nextSequencer();
  const body = s3EventBody({ bucket: servers.names.bucket, key, eventName: 'ObjectCreated:Put', size: bytes.byteLength, eTag: etag, sequencer });
  return { key, etag, size: bytes.byteLength, sequencer, body };
}

/** The ObjectRemoved:Delete notification body for a key, with a fresh sequencer unless given. */
export function removal(servers: LocalServers, key: string, sequencer = nextSequencer()): string {
  return s3EventBody({ bucket: servers.names.bucket, key, eventName: 'ObjectRemoved:Delete', sequencer });
}

/** http://127.0.0.1:<port> of a port that was free a moment ago and is closed now (connection refused). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
