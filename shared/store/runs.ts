/**
 * The runs/models table (single-table): training runs, model versions and the served-model pointer.
 *
 *   RUN#<runId>      / RUN      type=RUN    run status, params, timings, dataset, metrics, error
 *   MODEL#<version>  / MODEL    type=MODEL  one per model of a run (version = <runId>.<model>)
 *   MODEL#served     / POINTER              the version being served (no `type`: kept out of the byType index)
 *
 * Status changes and promotions are conditional writes, so retries and concurrent writers cannot move a run
 * backwards or let a worse model replace a better one.
 */
import { randomInt } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ErrorCode, RequestError, SerError } from '../errors';
import { modelVersion, RUN_STATUS, RUNS_TABLE, type ModelName, type RunStatus } from '../names';
import type { RunItem, ServedPointer, TrainingParams } from '../types';

/** Item type values in the byType index. */
export const ITEM_TYPE = { RUN: 'RUN', MODEL: 'MODEL' } as const;

/** A model version item: one model of one run, kept forever for rollback. */
export interface ModelVersionItem {
  version: string;
  runId: string;
  model: ModelName;
  /** Test accuracy, 0-1. */
  accuracy: number;
  macroF1: number;
  /** s3 prefix of the run's artifacts: models/<runId>/ */
  artifactPrefix: string;
  createdAt: string;
}

/** A served pointer as stored, with how it got there. */
export interface ServedPointerItem extends ServedPointer {
  /** True when promoted by force (rollback / promote endpoint / params.force). */
  forced: boolean;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; absent on the last page. */
  next?: string;
}

export interface PromoteResult {
  promoted: boolean;
  /** The pointer after the attempt (the candidate when promoted, else the better one already served). */
  served: ServedPointerItem;
  /** The pointer this promotion replaced (exactly the one overwritten), when promoted over an existing one. */
  previous?: ServedPointerItem;
}

/** A run id: run-YYYYMMDD-HHMMSS-xxxxxx (UTC time, 6 random base-36 chars; no dots: also the execution name). */
export function newRunId(now: Date = new Date()): string {
  const iso = now.toISOString(); // 2024-05-01T12:34:56.789Z
  const date = iso.slice(0, 10).replace(/-/g, '');
  const time = iso.slice(11, 19).replace(/:/g, '');
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  const suffix = Array.from({ length: 6 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `run-${date}-${time}-${suffix}`;
}

/** The run cannot make the requested move (missing, or already finished). */
export class RunStateError extends SerError {}

const isConditionFailure = (e: unknown) => (e as { name?: string })?.name === 'ConditionalCheckFailedException';

const runKey = (runId: string) => ({ [RUNS_TABLE.partitionKey]: RUNS_TABLE.runPk(runId), [RUNS_TABLE.sortKey]: RUNS_TABLE.runSk });
const modelKey = (version: string) => ({ [RUNS_TABLE.partitionKey]: RUNS_TABLE.modelPk(version), [RUNS_TABLE.sortKey]: RUNS_TABLE.modelSk });
const servedKey = { [RUNS_TABLE.partitionKey]: RUNS_TABLE.servedPk, [RUNS_TABLE.sortKey]: RUNS_TABLE.servedSk };
const KEY_ATTRIBUTES = [RUNS_TABLE.partitionKey, RUNS_TABLE.sortKey, RUNS_TABLE.typeAttribute];

function strip<T>(item: Record<string, unknown>): T {
  const out = { ...item };
  for (const k of KEY_ATTRIBUTES) delete out[k];
  return out as T;
}

function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (key && typeof key === 'object' && !Array.isArray(key)) return key;
  } catch {
    /* falls through */
  }
  throw new RequestError(ErrorCode.INVALID_REQUEST, 'The page cursor is not valid', { suggestion: 'Pass the `next` value of the previous page unchanged, or omit it for the first page.' });
}

/** Repository of the runs/models table. Takes its client; holds no other state. */
export class RunsRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Create a run in PENDING. Throws RunStateError CONFLICT when the id exists. */
  async createRun(runId: string, params: TrainingParams, now: Date = new Date()): Promise<RunItem> {
    const run: RunItem = { runId, status: RUN_STATUS.PENDING, params, createdAt: now.toISOString() };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...runKey(runId), [RUNS_TABLE.typeAttribute]: ITEM_TYPE.RUN, ...run },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': RUNS_TABLE.partitionKey },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new RunStateError(ErrorCode.CONFLICT, `Run ${runId} already exists`, { cause: e });
      throw e;
    }
    return run;
  }

  async getRun(runId: string): Promise<RunItem | undefined> {
    const got = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: runKey(runId), ConsistentRead: true }));
    return got.Item ? strip<RunItem>(got.Item) : undefined;
  }

  /** Runs newest first (byType index), `limit` per page. */
  async listRuns(options: { limit?: number; next?: string } = {}): Promise<Page<RunItem>> {
    return this.listByType<RunItem>(ITEM_TYPE.RUN, options);
  }

  /** Model versions newest first (byType index), `limit` per page. */
  async listModels(options: { limit?: number; next?: string } = {}): Promise<Page<ModelVersionItem>> {
    return this.listByType<ModelVersionItem>(ITEM_TYPE.MODEL, options);
  }

  private async listByType<T>(type: string, options: { limit?: number; next?: string }): Promise<Page<T>> {
    const got = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: RUNS_TABLE.typeIndex,
        KeyConditionExpression: '#type = :type',
        ExpressionAttributeNames: { '#type': RUNS_TABLE.typeAttribute },
        ExpressionAttributeValues: { ':type': type },
        ScanIndexForward: false,
        Limit: options.limit ?? 50,
        ...(options.next ? { ExclusiveStartKey: decodeCursor(options.next) } : {}),
      }),
    );
    const next = encodeCursor(got.LastEvaluatedKey);
    return { items: (got.Items ?? []).map((i) => strip<T>(i)), ...(next ? { next } : {}) };
  }

  /**
   * Apply a status change only when the run exists and is in one of `from`. Returns false when the condition fails
   * (missing run or a status outside `from`).
   */
  private async transition(runId: string, from: RunStatus[], set: Record<string, unknown>, ifNotExists: Record<string, unknown> = {}): Promise<boolean> {
    const names: Record<string, string> = { '#pk': RUNS_TABLE.partitionKey, '#status': 'status' };
    const values: Record<string, unknown> = {};
    const parts: string[] = [];
    Object.entries(set).forEach(([k, v], i) => {
      names[`#s${i}`] = k;
      values[`:s${i}`] = v;
      parts.push(`#s${i} = :s${i}`);
    });
    Object.entries(ifNotExists).forEach(([k, v], i) => {
      names[`#n${i}`] = k;
      values[`:n${i}`] = v;
      parts.push(`#n${i} = if_not_exists(#n${i}, :n${i})`);
    });
    from.forEach((s, i) => (values[`:from${i}`] = s));
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: runKey(runId),
          UpdateExpression: `SET ${parts.join(', ')}`,
          ConditionExpression: `attribute_exists(#pk) AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  private async requireTransition(runId: string, ok: boolean, to: RunStatus): Promise<void> {
    if (ok) return;
    const run = await this.getRun(runId);
    throw run
      ? new RunStateError(ErrorCode.CONFLICT, `Run ${runId} is ${run.status}; it cannot become ${to}`)
      : new RunStateError(ErrorCode.NOT_FOUND, `Run ${runId} does not exist`, { suggestion: 'Start runs with POST /training-runs or `ser train`, which create the run record first.' });
  }

  /** PENDING/RUNNING → RUNNING (idempotent for retries); startedAt is set once. */
  async markRunning(runId: string, now: Date = new Date()): Promise<void> {
    const ok = await this.transition(runId, [RUN_STATUS.PENDING, RUN_STATUS.RUNNING], { status: RUN_STATUS.RUNNING }, { startedAt: now.toISOString() });
    await this.requireTransition(runId, ok, RUN_STATUS.RUNNING);
  }

  /** Remember the Step Functions execution of a run (any status: the ARN is only informative). */
  async recordExecution(runId: string, executionArn: string): Promise<void> {
    const ok = await this.transition(runId, [RUN_STATUS.PENDING, RUN_STATUS.RUNNING, RUN_STATUS.SUCCEEDED, RUN_STATUS.FAILED], { executionArn });
    await this.requireTransition(runId, ok, RUN_STATUS.PENDING);
  }

  /** Record where the run's dataset is and its size (while RUNNING). */
  async recordDataset(runId: string, dataset: { prefix: string; trainCount: number; testCount: number }): Promise<void> {
    const ok = await this.transition(runId, [RUN_STATUS.PENDING, RUN_STATUS.RUNNING], {
      datasetPrefix: dataset.prefix,
      trainCount: dataset.trainCount,
      testCount: dataset.testCount,
    });
    await this.requireTransition(runId, ok, RUN_STATUS.RUNNING);
  }

  /** PENDING/RUNNING/SUCCEEDED → SUCCEEDED with metrics (idempotent for retries of Register). */
  async markSucceeded(
    runId: string,
    result: { metrics: NonNullable<RunItem['metrics']>; candidate: string; promoted: boolean; artifactPrefix: string },
    now: Date = new Date(),
  ): Promise<void> {
    const ok = await this.transition(
      runId,
      [RUN_STATUS.PENDING, RUN_STATUS.RUNNING, RUN_STATUS.SUCCEEDED],
      { status: RUN_STATUS.SUCCEEDED, finishedAt: now.toISOString(), ...result },
      { startedAt: now.toISOString() },
    );
    await this.requireTransition(runId, ok, RUN_STATUS.SUCCEEDED);
  }

  /**
   * PENDING/RUNNING → FAILED with the error. Returns false (and changes nothing) when the run is missing or already
   * finished — a failure report must never overwrite a success or an earlier failure.
   */
  async markFailed(runId: string, error: { code: string; message: string }, now: Date = new Date()): Promise<boolean> {
    return this.transition(runId, [RUN_STATUS.PENDING, RUN_STATUS.RUNNING], { status: RUN_STATUS.FAILED, finishedAt: now.toISOString(), error });
  }

  /** Record one version item per model of a run (overwrites on retry: same content). */
  async putModelVersions(
    runId: string,
    models: { model: ModelName; accuracy: number; macroF1: number }[],
    artifactPrefix: string,
    now: Date = new Date(),
  ): Promise<ModelVersionItem[]> {
    const items = models.map(
      (m): ModelVersionItem => ({
        version: modelVersion(runId, m.model),
        runId,
        model: m.model,
        accuracy: m.accuracy,
        macroF1: m.macroF1,
        artifactPrefix,
        createdAt: now.toISOString(),
      }),
    );
    await Promise.all(
      items.map((item) =>
        this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...modelKey(item.version), [RUNS_TABLE.typeAttribute]: ITEM_TYPE.MODEL, ...item } })),
      ),
    );
    return items;
  }

  async getModelVersion(version: string): Promise<ModelVersionItem | undefined> {
    const got = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: modelKey(version), ConsistentRead: true }));
    return got.Item ? strip<ModelVersionItem>(got.Item) : undefined;
  }

  async getServed(): Promise<ServedPointerItem | undefined> {
    const got = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: servedKey, ConsistentRead: true }));
    return got.Item ? strip<ServedPointerItem>(got.Item) : undefined;
  }

  /**
   * Point the served model at `candidate` — atomically: unless `force`, the write carries the condition
   * "no pointer yet, or the served accuracy ≤ the candidate's", so among concurrent promotions the best wins and a
   * worse candidate never replaces a better one. `force` (rollback, promote endpoint, params.force) always writes.
   * Old versions are never deleted.
   */
  async promote(candidate: ModelVersionItem, options: { force?: boolean; now?: Date } = {}): Promise<PromoteResult> {
    const force = options.force ?? false;
    const pointer: ServedPointerItem = {
      version: candidate.version,
      runId: candidate.runId,
      model: candidate.model,
      artifactPrefix: candidate.artifactPrefix,
      accuracy: candidate.accuracy,
      promotedAt: (options.now ?? new Date()).toISOString(),
      forced: force,
    };
    try {
      const put = await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...servedKey, ...pointer },
          ReturnValues: 'ALL_OLD',
          ...(force
            ? {}
            : {
                ConditionExpression: 'attribute_not_exists(#pk) OR #accuracy <= :accuracy',
                ExpressionAttributeNames: { '#pk': RUNS_TABLE.partitionKey, '#accuracy': 'accuracy' },
                ExpressionAttributeValues: { ':accuracy': candidate.accuracy },
              }),
        }),
      );
      return { promoted: true, served: pointer, ...(put.Attributes ? { previous: strip<ServedPointerItem>(put.Attributes) } : {}) };
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      const served = await this.getServed();
      if (!served) throw e; // cannot happen: the condition only fails when a pointer exists
      return { promoted: false, served };
    }
  }
}
