/**
 * Reads every row of the features table: a parallel Scan (TotalSegments workers), each paginated, handing rows to a
 * callback page by page — memory holds at most one page (≤ 1 MB) per segment, whatever the table size.
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FEATURES_TABLE } from '../names';

/** Attributes assembly needs; the rest of an item (error messages, sizes, …) is not read. */
export const FEATURE_SCAN_ATTRIBUTES = [FEATURES_TABLE.partitionKey, 'status', 'labels', 'features', 'frames', 'floorDb', 'extractor', 'etag', 'sequencer', 'versionId'] as const;

export interface FeatureScanOptions {
  /** Parallel scan segments (workers). @default 4 */
  segments?: number;
  /** Items per page (DynamoDB Limit); also bounded by DynamoDB's 1 MB pages. @default undefined (1 MB pages) */
  pageSize?: number;
  /** Strongly consistent reads, so rows written just before the run are seen. @default true */
  consistentRead?: boolean;
}

export interface FeatureScanResult {
  /** When the scan started (ISO): the snapshot time of what was read. */
  snapshotTime: string;
  /** Items read. */
  items: number;
  /** Pages read over all segments. */
  pages: number;
}

/**
 * Scan the whole features table, calling `onItem` for each item (plain JS values; `features` is a Uint8Array).
 * `onItem` runs synchronously between pages; a throw stops the scan and rejects.
 */
export async function scanFeatureItems(
  doc: DynamoDBDocumentClient,
  tableName: string,
  onItem: (item: Record<string, unknown>) => void,
  options: FeatureScanOptions = {},
): Promise<FeatureScanResult> {
  const segments = Math.max(1, Math.floor(options.segments ?? 4));
  const snapshotTime = new Date().toISOString();
  const names = Object.fromEntries(FEATURE_SCAN_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));
  let items = 0;
  let pages = 0;
  // Once one segment fails the whole scan rejects; the other segments stop at their next page instead of reading on.
  let failed = false;
  const scanSegment = async (segment: number) => {
    let startKey: Record<string, unknown> | undefined;
    do {
      if (failed) return;
      const page = await doc.send(
        new ScanCommand({
          TableName: tableName,
          Segment: segment,
          TotalSegments: segments,
          ProjectionExpression: Object.keys(names).join(', '),
          ExpressionAttributeNames: names,
          ConsistentRead: options.consistentRead ?? true,
          ...(options.pageSize ? { Limit: options.pageSize } : {}),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      pages++;
      for (const item of page.Items ?? []) {
        items++;
        onItem(item);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  };
  await Promise.all(
    Array.from({ length: segments }, (_, s) =>
      scanSegment(s).catch((e: unknown) => {
        failed = true;
        throw e;
      }),
    ),
  );
  return { snapshotTime, items, pages };
}
