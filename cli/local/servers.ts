/**
 * The embedded AWS stand-ins: s3rver (S3) and dynalite (DynamoDB) on 127.0.0.1, with the bucket and tables created as
 * the CDK stack defines them. In this thread by default (integration tests: ready in ≈ 0.1 s), or with
 * `threads: true` each in a worker thread of its own (server-host.ts; the local stack: ingest uses both cores).
 */
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { createClients, type AwsClients } from '../../shared/store/clients';
import { createTableInput, FEATURES_TABLE_SCHEMA, RUNS_TABLE_SCHEMA } from '../../shared/store/tables';
import { startDynamo, startS3, type RunningServer } from './embedded-servers';
import type { ServerHostData, ServerHostMessage } from './server-host';

const SERVER_HOST = fileURLToPath(new URL('./server-host-bootstrap.mjs', import.meta.url));

/** Credentials the local servers accept (any work; these make it obvious nothing reaches AWS). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_REGION = 'us-east-1';

export interface LocalResourceNames {
  bucket: string;
  featuresTable: string;
  runsTable: string;
}

export const DEFAULT_LOCAL_NAMES: LocalResourceNames = {
  bucket: 'ser-local-bucket',
  featuresTable: 'ser-local-features',
  runsTable: 'ser-local-runs',
};

export interface LocalServersOptions {
  /** Folder for persisted state; omitted = in memory (dynalite) and a temp folder (s3rver). */
  stateDir?: string;
  /** 0 = any free port. */
  s3Port?: number;
  dynamodbPort?: number;
  names?: Partial<LocalResourceNames>;
  /**
   * Run s3rver and dynalite each in a worker thread (≈ 1-4 s to start: the threads load their modules) so their
   * CPU work runs beside the caller's instead of on its thread. @default false (in this thread)
   */
  threads?: boolean;
}

export interface LocalServers {
  names: LocalResourceNames;
  endpoints: { s3: string; dynamodb: string };
  clients: AwsClients;
  /** Environment that points the AWS CLI/SDKs and our functions at these servers. */
  env: Record<string, string>;
  /**
   * Subscribe to s3rver's object events ({Records:[…]} per write/delete; keys arrive NOT URL-encoded and the
   * sequencer is a millisecond timestamp — see s3-notifications.ts for the AWS-shaped version). Returns unsubscribe.
   */
  onS3Event(listener: (event: { Records: unknown[] }) => void): () => void;
  close(): Promise<void>;
}

export async function startLocalServers(options: LocalServersOptions = {}): Promise<LocalServers> {
  const names = { ...DEFAULT_LOCAL_NAMES, ...options.names };
  const s3Dir = options.stateDir ? join(options.stateDir, 's3') : join(process.env.TMPDIR ?? '/tmp', `ser-s3-${process.pid}-${Date.now()}`);
  const dynamoDir = options.stateDir ? join(options.stateDir, 'dynamodb') : undefined;
  const listeners = new Set<(event: { Records: unknown[] }) => void>();
  const emit = (event: { Records: unknown[] }) => {
    for (const listener of listeners) listener(event);
  };
  const started = await Promise.allSettled(
    options.threads
      ? [
          startServerHost({ kind: 's3', port: options.s3Port ?? 0, directory: s3Dir }, emit),
          startServerHost({ kind: 'dynamodb', port: options.dynamodbPort ?? 0, ...(dynamoDir ? { path: dynamoDir } : {}) }),
        ]
      : [
          startS3({ port: options.s3Port ?? 0, directory: s3Dir, onEvent: emit }),
          startDynamo({ port: options.dynamodbPort ?? 0, ...(dynamoDir ? { path: dynamoDir } : {}) }),
        ],
  );
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
    throw failed.reason;
  }
  const [s3Host, dynamoHost] = started.map((r) => (r as PromiseFulfilledResult<RunningServer>).value) as [RunningServer, RunningServer];
  const s3Address = { port: s3Host.port };
  const dynamoAddress = { port: dynamoHost.port };

  const endpoints = { s3: `http://127.0.0.1:${s3Address.port}`, dynamodb: `http://127.0.0.1:${dynamoAddress.port}` };
  const clients = createClients({ region: LOCAL_REGION, endpoints, credentials: LOCAL_CREDENTIALS });
  await ensureResources(clients, names);

  const env: Record<string, string> = {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    SER_BUCKET: names.bucket,
    SER_FEATURES_TABLE: names.featuresTable,
    SER_RUNS_TABLE: names.runsTable,
  };

  return {
    names,
    endpoints,
    clients,
    env,
    onS3Event(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      clients.s3.destroy();
      clients.ddb.destroy();
      clients.sfn.destroy();
      await Promise.all([s3Host.close(), dynamoHost.close()]);
    },
  };
}

async function ensureResources(clients: AwsClients, names: LocalResourceNames): Promise<void> {
  try {
    await clients.s3.send(new HeadBucketCommand({ Bucket: names.bucket }));
  } catch {
    await clients.s3.send(new CreateBucketCommand({ Bucket: names.bucket }));
  }
  for (const [table, schema] of [
    [names.featuresTable, FEATURES_TABLE_SCHEMA],
    [names.runsTable, RUNS_TABLE_SCHEMA],
  ] as const) {
    try {
      await clients.ddb.send(new DescribeTableCommand({ TableName: table }));
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e;
      await clients.ddb.send(new CreateTableCommand(createTableInput(table, schema)));
    }
  }
}

/** Starts server-host.ts in a worker thread; S3 events go to onEvent, then are acknowledged (the PUT's response waits). */
async function startServerHost(data: ServerHostData, onEvent?: (event: { Records: unknown[] }) => void): Promise<RunningServer> {
  const worker = new Worker(SERVER_HOST, { workerData: data });
  let closed: (() => void) | undefined;
  const listening = new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`${data.kind} server thread exited (${code}) before listening`)));
    worker.on('message', (m: ServerHostMessage) => {
      if (m.type === 'listening') resolve(m.port);
      else if (m.type === 'event') {
        try {
          onEvent?.(m.event);
        } finally {
          worker.postMessage({ type: 'ack', seq: m.seq });
        }
      } else if (m.type === 'closed') closed?.();
    });
  });
  const port = await listening.catch(async (e) => {
    await worker.terminate();
    throw e;
  });
  return {
    port,
    async close() {
      const done = new Promise<void>((resolve) => (closed = resolve));
      worker.postMessage({ type: 'close' });
      // A server that cannot close within 5 s (a client holding a connection) is stopped with its thread.
      await Promise.race([done, once(worker, 'exit'), new Promise((r) => setTimeout(r, 5000).unref())]);
      await worker.terminate();
    },
  };
}
