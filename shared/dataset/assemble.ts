/**
 * The Assemble step: features table → s3://bucket/datasets/<runId>/{train.csv,test.csv,manifest.json}.
 * Streams the table into a DatasetBuilder (compact rows only), builds the split and scaler, writes the three objects.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EMOTIONS, EXTRACTOR_VERSION, INPUT_COLUMNS } from '../config';
import { PREFIX } from '../names';
import { scanFeatureItems, type FeatureScanOptions } from '../store/feature-scan';
import type { TrainingParams } from '../types';
import { DatasetBuilder } from './builder';
import { DATASET_CSV_COLUMNS, formatDatasetCsvChunks, type DatasetCsvRow } from './dataset-csv';
import { FILL_RULE, FILL_RULE_DESCRIPTION } from './inputs';
import { DATASET_FILES, SKIP_REASONS, type DatasetManifest, type SkipCounts } from './manifest';

/** s3 prefix of a run's dataset: datasets/<runId>/ */
export function datasetPrefix(runId: string): string {
  return `${PREFIX.DATASETS}${runId}/`;
}

export interface AssembleDatasetInput {
  s3: S3Client;
  doc: DynamoDBDocumentClient;
  bucket: string;
  featuresTable: string;
  runId: string;
  params: Pick<TrainingParams, 'split' | 'seed' | 'testActors'>;
  scan?: FeatureScanOptions;
  /** Feature-recipe version to train on. @default EXTRACTOR_VERSION */
  extractorVersion?: string;
  now?: () => Date;
}

/** What the Assemble state returns (ResultPath $.dataset). */
export interface AssembleResult {
  prefix: string;
  trainCount: number;
  testCount: number;
  skipped: SkipCounts;
}

/** Scan, build and write one run's dataset. Throws DatasetError NOT_ENOUGH_DATA when the table cannot make one. */
export async function assembleDataset(input: AssembleDatasetInput): Promise<{ result: AssembleResult; manifest: DatasetManifest }> {
  const extractorVersion = input.extractorVersion ?? EXTRACTOR_VERSION;
  const builder = new DatasetBuilder(extractorVersion);
  const scan = await scanFeatureItems(input.doc, input.featuresTable, (item) => builder.add(item), input.scan);
  const built = builder.build({ split: input.params.split, seed: input.params.seed, testActors: input.params.testActors });
  const prefix = datasetPrefix(input.runId);
  const skippedTotal = SKIP_REASONS.reduce((n, r) => n + built.skipped[r], 0);
  const manifest: DatasetManifest = {
    formatVersion: 1,
    runId: input.runId,
    createdAt: (input.now?.() ?? new Date()).toISOString(),
    snapshotTime: scan.snapshotTime,
    extractorVersion,
    files: { train: DATASET_FILES.train, test: DATASET_FILES.test },
    csvColumns: [...DATASET_CSV_COLUMNS],
    columns: [...INPUT_COLUMNS],
    labels: [...EMOTIONS],
    fill: FILL_RULE,
    fillRule: FILL_RULE_DESCRIPTION,
    scaler: { ...built.scaler, fittedOn: 'train' },
    split: built.split,
    counts: built.counts,
    skipped: { ...built.skipped, total: skippedTotal },
    sources: built.sources,
  };
  await putCsv(input.s3, input.bucket, prefix + DATASET_FILES.train, built.train);
  await putCsv(input.s3, input.bucket, prefix + DATASET_FILES.test, built.test);
  // The manifest last: its presence means the CSVs beside it are complete.
  await input.s3.send(
    new PutObjectCommand({ Bucket: input.bucket, Key: prefix + DATASET_FILES.manifest, Body: JSON.stringify(manifest, null, 1), ContentType: 'application/json' }),
  );
  return { result: { prefix, trainCount: built.train.length, testCount: built.test.length, skipped: built.skipped }, manifest };
}

async function putCsv(s3: S3Client, bucket: string, key: string, rows: DatasetCsvRow[]): Promise<void> {
  const body = Buffer.concat([...formatDatasetCsvChunks(rows)].map((c) => Buffer.from(c, 'utf8')));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/csv' }));
}
