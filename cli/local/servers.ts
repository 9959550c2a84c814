/**
 * The embedded AWS stand-ins: s3rver (S3) and dynalite (DynamoDB), in-process on 127.0.0.1, with the bucket and
 * tables created as the CDK stack defines them. Used by `ser local up`, the e2e test and integration tests.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import dynalite from 'dynalite';
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { createClients, type AwsClients } from '../../shared/store/clients';
import { createTableInput, FEATURES_TABLE_SCHEMA, RUNS_TABLE_SCHEMA } from '../../shared/store/tables';

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
  mkdirSync(s3Dir, { recursive: true });
  const s3rver = new S3rver({ port: options.s3Port ?? 0, address: '127.0.0.1', silent: true, directory: s3Dir });
  const s3Address = (await s3rver.run()) as AddressInfo;

  const dynamoDir = options.stateDir ? join(options.stateDir, 'dynamodb') : undefined;
  if (dynamoDir) mkdirSync(dynamoDir, { recursive: true });
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(dynamoDir ? { path: dynamoDir } : {}) });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(options.dynamodbPort ?? 0, '127.0.0.1', () => resolve());
  });
  const dynamoAddress = dynamo.address() as AddressInfo;

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
      s3rver.on('event', listener);
      return () => void s3rver.off('event', listener);
    },
    async close() {
      clients.s3.destroy();
      clients.ddb.destroy();
      clients.sfn.destroy();
      await s3rver.close();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
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
