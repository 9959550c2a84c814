/**
 * Key schemas of the two DynamoDB tables — one definition read by the CDK constructs and by the embedded
 * local stack, so both create identical tables.
 */
import { FEATURES_TABLE, RUNS_TABLE } from '../names';

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N' | 'B';
}

export interface TableSchema {
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  globalSecondaryIndexes?: { indexName: string; partitionKey: KeyAttribute; sortKey?: KeyAttribute }[];
}

export const FEATURES_TABLE_SCHEMA: TableSchema = {
  partitionKey: { name: FEATURES_TABLE.partitionKey, type: 'S' },
};

export const RUNS_TABLE_SCHEMA: TableSchema = {
  partitionKey: { name: RUNS_TABLE.partitionKey, type: 'S' },
  sortKey: { name: RUNS_TABLE.sortKey, type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: RUNS_TABLE.typeIndex,
      partitionKey: { name: RUNS_TABLE.typeAttribute, type: 'S' },
      sortKey: { name: RUNS_TABLE.createdAtAttribute, type: 'S' },
    },
  ],
};

/** CreateTable input (on-demand) for a schema — used by the local stack and tests. */
export function createTableInput(tableName: string, schema: TableSchema) {
  const attributes = new Map<string, KeyAttribute>();
  for (const a of [schema.partitionKey, schema.sortKey, ...(schema.globalSecondaryIndexes ?? []).flatMap((g) => [g.partitionKey, g.sortKey])]) {
    if (a) attributes.set(a.name, a);
  }
  const keySchema = (pk: KeyAttribute, sk?: KeyAttribute) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes.values()].map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: keySchema(schema.partitionKey, schema.sortKey),
    ...(schema.globalSecondaryIndexes?.length
      ? {
          GlobalSecondaryIndexes: schema.globalSecondaryIndexes.map((g) => ({
            IndexName: g.indexName,
            KeySchema: keySchema(g.partitionKey, g.sortKey),
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}
