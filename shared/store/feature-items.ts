/**
 * The features table, one item per decoded S3 object key (see docs/ingest.md for the schema).
 * Every write is conditional on the S3 event sequencer: an item is replaced only by an event that happened later
 * for the same key, so duplicate and out-of-order deliveries cannot roll a row back. Removals leave a DELETED
 * tombstone (with the remover's sequencer and a TTL) so a delayed older create cannot resurrect the row.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FEATURE_STATUS, FEATURES_TABLE } from '../names';
import type { FeatureItem } from '../types';
import { decodeFrameMeans, encodeFrameMeans } from './feature-codec';

/** How long a DELETED tombstone is kept before DynamoDB TTL may drop it, seconds (7 days). */
export const TOMBSTONE_TTL_SECONDS = 7 * 24 * 3600;

/** Outcome of a conditional write: `stale` = the row already holds this event or a later one (nothing written). */
export type WriteOutcome = 'written' | 'stale';

const NEWER_CONDITION = 'attribute_not_exists(#key) OR attribute_not_exists(#sequencer) OR #sequencer < :sequencer';

/**
 * Put the item when its `sequencer` is newer than the stored one (or there is no row).
 * `item.sequencer` must be the normalized form (normalizeSequencer): DynamoDB compares strings byte-wise.
 * Returns 'stale' when the condition fails — the same event twice, or an older one after a newer one.
 */
export async function putFeatureItemIfNewer(doc: DynamoDBDocumentClient, tableName: string, item: FeatureItem): Promise<WriteOutcome> {
  if (!item.sequencer) throw new TypeError('putFeatureItemIfNewer needs item.sequencer');
  return conditional(() =>
    doc.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: NEWER_CONDITION,
        ExpressionAttributeNames: { '#key': FEATURES_TABLE.partitionKey, '#sequencer': 'sequencer' },
        ExpressionAttributeValues: { ':sequencer': item.sequencer },
      }),
    ),
  );
}

/**
 * Replace the row by a DELETED tombstone {key, status, sequencer, updatedAt, expiresAt} when the removal is newer
 * than what the row holds. The tombstone keeps the sequencer so older creates arriving later stay stale.
 */
export async function putTombstoneIfNewer(
  doc: DynamoDBDocumentClient,
  tableName: string,
  tombstone: { key: string; sequencer: string; versionId?: string; extractor: string; now: Date },
): Promise<WriteOutcome> {
  const item: FeatureItem = {
    key: tombstone.key,
    status: FEATURE_STATUS.DELETED,
    sequencer: tombstone.sequencer,
    ...(tombstone.versionId ? { versionId: tombstone.versionId } : {}),
    extractor: tombstone.extractor,
    updatedAt: tombstone.now.toISOString(),
    expiresAt: Math.floor(tombstone.now.getTime() / 1000) + TOMBSTONE_TTL_SECONDS,
  };
  return putFeatureItemIfNewer(doc, tableName, item);
}

/** The row of one key, tombstones included (status DELETED); undefined when there is none. Strongly consistent. */
export async function getFeatureItem(doc: DynamoDBDocumentClient, tableName: string, key: string): Promise<FeatureItem | undefined> {
  const got = await doc.send(new GetCommand({ TableName: tableName, Key: { [FEATURES_TABLE.partitionKey]: key }, ConsistentRead: true }));
  return got.Item ? fromDynamoItem(got.Item) : undefined;
}

/** Every row of the table (tombstones and errors included), page by page. */
export async function* scanFeatureItems(doc: DynamoDBDocumentClient, tableName: string): AsyncGenerator<FeatureItem> {
  for await (const page of paginateScan({ client: doc }, { TableName: tableName, ConsistentRead: true })) {
    for (const raw of page.Items ?? []) yield fromDynamoItem(raw);
  }
}

/** A DynamoDB item (document client form) as a FeatureItem; Binary features come back as Uint8Array. */
export function fromDynamoItem(raw: Record<string, unknown>): FeatureItem {
  const item = { ...raw } as unknown as FeatureItem;
  if (raw.features !== undefined) item.features = new Uint8Array(raw.features as Uint8Array);
  return item;
}

/** The frame means (dB) of an OK row; undefined for rows without features. */
export function itemFrameMeans(item: FeatureItem): Float32Array | undefined {
  return item.features ? decodeFrameMeans(item.features) : undefined;
}

/** Frame means (dB) as the Binary attribute value of a row. */
export function frameMeansAttribute(means: ArrayLike<number>): Uint8Array {
  return encodeFrameMeans(means);
}

async function conditional(write: () => Promise<unknown>): Promise<WriteOutcome> {
  try {
    await write();
    return 'written';
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException || (e as { name?: string }).name === 'ConditionalCheckFailedException') return 'stale';
    throw e;
  }
}
