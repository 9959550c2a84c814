/**
 * One S3 event → at most one conditional write to the features table. Pure orchestration over small helpers that
 * take their clients: the Lambda handler, the embedded local stack and the tests all call processMessage.
 *
 * Outcomes (never thrown): OK/ERROR row written, tombstone written, stale (duplicate/out-of-order event: the
 * row already holds this event or a later one), skipped (not an audio upload / not a row-changing event), missing
 * (object deleted before we read it). Thrown: anything transient or unexpected (throttling, 5xx, network, malformed
 * message) — the SQS record then fails and is retried, finally landing in the dead-letter queue.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { extractFeatures } from '../audio';
import { DEFAULT_FEATURE_CONFIG, EXTRACTOR_VERSION, type FeatureConfig } from '../config';
import { AudioError, ErrorCode, InvalidRavdessNameError, SerError } from '../errors';
import { FEATURE_STATUS, type FeatureStatus } from '../names';
import { parseRavdessName } from '../ravdess';
import { frameMeansAttribute, putFeatureItemIfNewer, putTombstoneIfNewer, type WriteOutcome } from '../store/feature-items';
import type { FeatureItem, RavdessLabels } from '../types';
import { baseName, decodeS3Key, skipReason, type SkipReason } from './object-key';
import { readObject, bareEtag } from './read-object';
import { eventAction, parseIngestMessage, type S3EventRecord } from './s3-event';
import { normalizeSequencer } from './sequencer';

/** The clients ingest needs (a subset of AwsClients). */
export interface IngestClients {
  s3: S3Client;
  doc: DynamoDBDocumentClient;
}

/** Configuration read once per process (shared/env.ts readEnv(['featuresTable', 'maxFileBytes'])). */
export interface IngestEnv {
  featuresTable: string;
  /** Largest accepted upload, bytes. */
  maxFileBytes: number;
}

/** Structured logger: the Powertools Logger (or anything with its info/warn). */
export type IngestLogger = Pick<Logger, 'info' | 'warn'>;

export interface IngestOptions {
  logger?: IngestLogger;
  /** Clock for updatedAt/expiresAt (tests). */
  now?: () => Date;
}

export type IngestAction = 'written' | 'deleted' | 'stale' | 'skipped' | 'missing';

export interface RecordOutcome {
  /** Decoded object key ('' for the S3 test event). */
  key: string;
  action: IngestAction;
  /** Status of the row written (action 'written'). */
  status?: FeatureStatus;
  errorCode?: string;
  /** Why a record was skipped. */
  reason?: SkipReason | 'NOT_A_ROW_EVENT' | 'TEST_EVENT';
  /** Object bytes downloaded for this record. */
  bytesRead: number;
  /** Wall time of the record, milliseconds. */
  ms: number;
}

const silent: IngestLogger = { info() {}, warn() {} };

/**
 * Process one SQS message body (an S3 event notification, or S3's test event). Every S3 record in it is
 * attempted; if any throws, the first error is rethrown after the others ran (their writes are idempotent, so
 * the retry of the whole message is safe).
 */
export async function processMessage(clients: IngestClients, env: IngestEnv, body: string, options: IngestOptions = {}): Promise<RecordOutcome[]> {
  const message = parseIngestMessage(body);
  const logger = options.logger ?? silent;
  if (message.kind === 'test') {
    logger.info('S3 test event ignored', { bucket: message.bucket });
    return [{ key: '', action: 'skipped', reason: 'TEST_EVENT', bytesRead: 0, ms: 0 }];
  }
  const outcomes: RecordOutcome[] = [];
  let firstError: unknown;
  for (const record of message.records) {
    try {
      outcomes.push(await processRecord(clients, env, record, options));
    } catch (e) {
      firstError ??= e;
    }
  }
  if (firstError !== undefined) throw firstError;
  return outcomes;
}

/** Process one S3 event record (see the module comment for outcomes and what is thrown). */
export async function processRecord(clients: IngestClients, env: IngestEnv, record: S3EventRecord, options: IngestOptions = {}): Promise<RecordOutcome> {
  const started = performance.now();
  const logger = options.logger ?? silent;
  const now = options.now ?? (() => new Date());
  const key = decodeS3Key(record.s3.object.key);
  const finish = (outcome: Omit<RecordOutcome, 'key' | 'ms'>): RecordOutcome => {
    const result = { key, ...outcome, ms: Math.round((performance.now() - started) * 10) / 10 };
    const log = outcome.action === 'written' && outcome.status === FEATURE_STATUS.ERROR ? logger.warn : logger.info;
    log.call(logger, `ingest ${outcome.action}`, { objectKey: key, eventName: record.eventName, ...result });
    return result;
  };

  const skip = skipReason(key);
  if (skip) return finish({ action: 'skipped', reason: skip, bytesRead: 0 });
  const action = eventAction(record.eventName);
  if (action === 'ignored') return finish({ action: 'skipped', reason: 'NOT_A_ROW_EVENT', bytesRead: 0 });

  const sequencer = normalizeSequencer(record.s3.object.sequencer);
  const { doc, s3 } = clients;
  const table = env.featuresTable;

  if (action === 'removed') {
    const outcome = await putTombstoneIfNewer(doc, table, {
      key,
      sequencer,
      ...(record.s3.object.versionId ? { versionId: record.s3.object.versionId } : {}),
      extractor: EXTRACTOR_VERSION,
      now: now(),
    });
    return finish({ action: outcome === 'written' ? 'deleted' : 'stale', bytesRead: 0 });
  }

  // Created. No read of the row first: the conditional put alone orders events, and skipping a GetItem per file
  // saves ~20% of the CPU of a local ingest (docs/ingest.md); a duplicate event costs one wasted extraction instead.
  const eventEtag = bareEtag(record.s3.object.eTag);
  const base = {
    key,
    sequencer,
    extractor: EXTRACTOR_VERSION,
    ...(eventEtag ? { etag: eventEtag } : {}),
    ...(record.s3.object.versionId ? { versionId: record.s3.object.versionId } : {}),
    ...(record.s3.object.size !== undefined ? { size: record.s3.object.size } : {}),
  };
  const writeError = async (error: SerError, bytesRead: number, extra: Partial<FeatureItem> = {}): Promise<RecordOutcome> => {
    const item: FeatureItem = {
      ...base,
      ...extra,
      status: FEATURE_STATUS.ERROR,
      errorCode: error.code,
      errorMessage: error.message,
      updatedAt: now().toISOString(),
    };
    return finish(written(await putFeatureItemIfNewer(doc, table, item), FEATURE_STATUS.ERROR, bytesRead, error.code));
  };

  let labels: RavdessLabels | undefined;
  try {
    labels = parseRavdessName(baseName(key));
  } catch (e) {
    if (e instanceof InvalidRavdessNameError) return writeError(e, 0);
    throw e;
  }

  if (record.s3.object.size !== undefined && record.s3.object.size > env.maxFileBytes) {
    return writeError(tooLarge(record.s3.object.size, env.maxFileBytes), 0);
  }
  const read = await readObject(s3, { bucket: record.s3.bucket.name, key, maxBytes: env.maxFileBytes });
  if (read.kind === 'missing') return finish({ action: 'missing', bytesRead: 0 });
  const objectMeta = { size: read.size, ...(read.etag ? { etag: read.etag } : {}), ...(read.versionId ? { versionId: read.versionId } : {}) };
  if (read.kind === 'too-large') return writeError(tooLarge(read.size, env.maxFileBytes), 0, objectMeta);

  const config: FeatureConfig = { ...DEFAULT_FEATURE_CONFIG, maxFileBytes: env.maxFileBytes };
  let clip;
  try {
    clip = extractFeatures(read.bytes, config);
  } catch (e) {
    if (e instanceof AudioError) return writeError(e, read.bytes.byteLength, objectMeta);
    throw e;
  }
  const item: FeatureItem = {
    ...base,
    ...objectMeta,
    status: FEATURE_STATUS.OK,
    ...(labels ? { labels } : {}),
    features: frameMeansAttribute(clip.means),
    frames: clip.frames,
    floorDb: clip.floorDb,
    updatedAt: now().toISOString(),
  };
  return finish(written(await putFeatureItemIfNewer(doc, table, item), FEATURE_STATUS.OK, read.bytes.byteLength));
}

function written(outcome: WriteOutcome, status: FeatureStatus, bytesRead: number, errorCode?: string): Omit<RecordOutcome, 'key' | 'ms'> {
  if (outcome === 'stale') return { action: 'stale', bytesRead };
  return { action: 'written', status, bytesRead, ...(errorCode ? { errorCode } : {}) };
}

function tooLarge(size: number, limit: number): AudioError {
  return new AudioError(ErrorCode.FILE_TOO_LARGE, `Object is ${size} bytes; the limit is ${limit} bytes`, {
    suggestion: `Upload a shorter clip, or raise SER_MAX_FILE_BYTES on the extractor.`,
  });
}
