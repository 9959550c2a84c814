/**
 * The embedded local stack in one process on 127.0.0.1: S3 (s3rver) + DynamoDB (dynalite), each in a worker thread,
 * with the stack's bucket and tables; S3 object events → an SQS-like queue → the real extractor handler (worker
 * threads); the CDK-synthesized training state machine run locally, behind a Step Functions JSON endpoint; the REST
 * API routes for the real predict and control handlers. State (objects, tables, executions, dead letters) lives under the state folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { MAX_RECEIVE_COUNT } from '../../infra/constructs/ingest';
import { REPO_ROOT } from '../../infra/paths';
import { synthesizeWorkflowDefinition } from '../../infra/workflow-definition';
import { ENV } from '../../shared/names';
import { createDeadLetterStore, type DeadLetterStore } from './dead-letters';
import { writeEndpointsFile, type LocalEndpoints } from './endpoints';
import { DEFAULT_QUEUE_SETTINGS, LocalEventQueue, type QueueSettings } from './event-queue';
import { startHttpApi, type HttpApi, type ProxyHandler } from './http-api';
import { loadHandler, localLambdaContext } from './lambda-context';
import { createSequencer, toNotificationRecords } from './s3-notifications';
import { startLocalServers, type LocalServers } from './servers';
import { startSfnEndpoint, type SfnEndpoint } from './sfn-endpoint';
import { LocalWorkflowRunner, type WorkflowRunnerOptions } from './workflow-runner';
import { LambdaWorkerPool } from './worker-pool';

export const LOCAL_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:ser-local-training';

export interface LocalStackOptions {
  /** Folder for persisted state; omitted = memory/temp (tests). */
  stateDir?: string;
  /** REST API port; 0 = any free port. S3, DynamoDB and Step Functions take port+1..+3 when port ≠ 0. */
  port?: number;
  /** Extractor worker threads; 0 = run the extractor in this thread. @default 2 */
  extractWorkers?: number;
  /** Queue/event-source settings (batch size, window, retries). */
  queue?: Partial<QueueSettings>;
  /** Log sink (state transitions, trainer output, API requests). @default no logging */
  log?: (line: string) => void;
  /** Powertools log level of the functions (POWERTOOLS_LOG_LEVEL), e.g. WARN to keep a terminal readable. */
  functionLogLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** Override of the trainer command (tests). */
  trainerCommand?: WorkflowRunnerOptions['trainerCommand'];
}

export interface LocalStack {
  servers: LocalServers;
  api: HttpApi;
  sfn: SfnEndpoint;
  runner: LocalWorkflowRunner;
  queue: LocalEventQueue;
  deadLetters: DeadLetterStore;
  endpoints: LocalEndpoints;
  /** Environment that points the AWS CLI/SDKs and our functions at this stack (also applied to process.env). */
  env: Record<string, string>;
  /** Resolves when every delivered S3 event has been processed (or dead-lettered). */
  ingestIdle(): Promise<void>;
  close(): Promise<void>;
}

/** The ASL definition of the training workflow, synthesized from the CDK stack (never a hand-copied one). */
export function loadWorkflowDefinition(): StateMachineDefinition {
  return synthesizeWorkflowDefinition().definition as unknown as StateMachineDefinition;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  const port = options.port ?? 0;
  const at = (offset: number) => (port ? port + offset : 0);
  if (options.stateDir) mkdirSync(options.stateDir, { recursive: true });
  // The server threads load their modules while this thread synthesizes the workflow (both take seconds).
  const serversStarting = startLocalServers({ stateDir: options.stateDir, s3Port: at(1), dynamodbPort: at(2), threads: true });
  let definition: StateMachineDefinition;
  try {
    definition = loadWorkflowDefinition();
  } catch (e) {
    await serversStarting.then((s) => s.close()).catch(() => undefined);
    throw e;
  }
  const servers = await serversStarting;
  const closers: (() => Promise<void>)[] = [() => servers.close()];
  try {
    const baseEnv: Record<string, string> = {
      ...servers.env,
      [ENV.STATE_MACHINE_ARN]: LOCAL_STATE_MACHINE_ARN,
      ...(options.functionLogLevel ? { POWERTOOLS_LOG_LEVEL: options.functionLogLevel } : {}),
    };
    const runner = new LocalWorkflowRunner({ definition, stateMachineArn: LOCAL_STATE_MACHINE_ARN, env: baseEnv, stateDir: options.stateDir, log, trainerCommand: options.trainerCommand });
    const sfn = await startSfnEndpoint(runner, LOCAL_STATE_MACHINE_ARN, at(3));
    closers.unshift(() => sfn.close(), () => runner.close());
    const env: Record<string, string> = { ...baseEnv, AWS_ENDPOINT_URL_SFN: sfn.url };
    // The handlers run in this process and create their SDK clients from process.env on first use.
    Object.assign(process.env, env);

    const api = await startHttpApi({
      port,
      log,
      handlers: {
        predict: lazy(() => loadHandler(resolve(REPO_ROOT, 'functions/predict/handler.ts')) as Promise<ProxyHandler>),
        control: lazy(() => loadHandler(resolve(REPO_ROOT, 'functions/control/handler.ts')) as Promise<ProxyHandler>),
      },
    });
    closers.unshift(() => api.close());

    const extractModule = resolve(REPO_ROOT, 'functions/extract/handler.ts');
    const workers = options.extractWorkers ?? 2;
    let invoke: (event: SQSEvent) => Promise<SQSBatchResponse>;
    if (workers > 0) {
      const pool = new LambdaWorkerPool({ modulePath: extractModule, functionName: 'ser-local-extract', size: workers, env: { ...process.env, ...env } });
      closers.push(() => pool.close());
      invoke = (event) => pool.invoke<SQSBatchResponse>(event);
    } else {
      const handler = lazy(() => loadHandler<SQSEvent, SQSBatchResponse>(extractModule));
      invoke = async (event) => (await handler())(event, localLambdaContext('ser-local-extract', 300_000));
    }
    const deadLetters = createDeadLetterStore(options.stateDir);
    const queue = new LocalEventQueue(invoke, deadLetters, {
      ...DEFAULT_QUEUE_SETTINGS,
      maxReceiveCount: MAX_RECEIVE_COUNT,
      concurrency: Math.max(2, workers * 2),
      ...options.queue,
    });
    const nextSequencer = createSequencer();
    const unsubscribe = servers.onS3Event((event) => {
      for (const record of toNotificationRecords(event, nextSequencer)) queue.send(JSON.stringify({ Records: [record] }));
    });
    // Order matters on close: stop taking events, drain the queue, then stop the workers and servers.
    closers.splice(closers.length - 1, 0, async () => {
      unsubscribe();
      await queue.close();
    });

    const endpoints: LocalEndpoints = {
      pid: process.pid,
      apiUrl: api.url,
      s3: servers.endpoints.s3,
      dynamodb: servers.endpoints.dynamodb,
      sfn: sfn.url,
      bucket: servers.names.bucket,
      featuresTable: servers.names.featuresTable,
      runsTable: servers.names.runsTable,
      stateMachineArn: LOCAL_STATE_MACHINE_ARN,
      env,
      startedAt: new Date().toISOString(),
    };
    if (options.stateDir) writeEndpointsFile(options.stateDir, endpoints);

    let closed = false;
    return {
      servers, api, sfn, runner, queue, deadLetters, endpoints, env,
      ingestIdle: () => queue.idle(),
      async close() {
        if (closed) return;
        closed = true;
        await closeAll(closers);
        if (options.stateDir) writeFileSync(join(options.stateDir, 'endpoints.json'), JSON.stringify({ ...endpoints, pid: undefined, stoppedAt: new Date().toISOString() }, null, 2));
      },
    };
  } catch (e) {
    await closeAll(closers);
    throw e;
  }
}

async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  // closers run in order: API and workflow first, then the queue, then workers, then the servers.
  for (const close of closers) {
    try {
      await close();
    } catch {
      // keep closing the rest
    }
  }
}

function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= load());
}
