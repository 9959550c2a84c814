/**
 * manifest.json beside train.csv/test.csv: everything needed to know what a dataset is and to rebuild it —
 * columns, fill rule, scaler, split, counts, skipped rows and the exact source row versions.
 */
import { z } from 'zod';
import { EMOTIONS, type Emotion } from '../config';
import { DatasetError, ErrorCode } from '../errors';
import type { MinMaxScaler } from '../types';

export const DATASET_FILES = { train: 'train.csv', test: 'test.csv', manifest: 'manifest.json' } as const;

/** Why a features-table row was left out of a dataset (`deleted` = tombstone of a removed object). */
export const SKIP_REASONS = ['error', 'deleted', 'otherExtractor', 'unlabelled', 'malformed'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
export type SkipCounts = Record<SkipReason, number>;

export interface PartCounts {
  total: number;
  /** Rows per emotion name. */
  perClass: Record<Emotion, number>;
}

export interface SplitDescription {
  mode: 'random' | 'actor';
  /** Seed of the random split (recorded for actor splits too, unused there). */
  seed: number;
  /** Share of rows in test (random split). */
  testFraction?: number;
  /** Actors held out (actor split). */
  testActors?: number[];
}

/** Which version of a features-table row went into the dataset. */
export interface SourceVersion {
  etag?: string;
  sequencer?: string;
  versionId?: string;
}

export interface DatasetManifest {
  formatVersion: 1;
  runId: string;
  /** When the manifest was written (ISO). */
  createdAt: string;
  /** When the features-table scan began (ISO): rows written later may be missing. */
  snapshotTime: string;
  extractorVersion: string;
  files: { train: string; test: string };
  /** Header of train.csv/test.csv: file, emotion, then `columns`. */
  csvColumns: string[];
  /** Model inputs in order (f0..f129, intensity, male). */
  columns: string[];
  /** Emotion names, index = class id. */
  labels: string[];
  fill: 'floor_db';
  fillRule: string;
  /** Per-column min/max of the unscaled inputs, fitted on the train part only. */
  scaler: MinMaxScaler & { fittedOn: 'train' };
  split: SplitDescription;
  counts: { train: PartCounts; test: PartCounts };
  skipped: SkipCounts & { total: number };
  /** S3 object key → row version used. */
  sources: Record<string, SourceVersion>;
}

/** Per-emotion counts of some class ids. */
export function countPerClass(labels: Iterable<number>): PartCounts {
  const perClass = Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Record<Emotion, number>;
  let total = 0;
  for (const l of labels) perClass[EMOTIONS[l]!]++, total++;
  return { total, perClass };
}

const counts = z.object({ total: z.number().int().min(0), perClass: z.record(z.string(), z.number().int().min(0)) });

/** Checks the fields a reader relies on; unknown extra fields pass through. */
export const DatasetManifestSchema = z.looseObject({
  formatVersion: z.literal(1),
  runId: z.string(),
  snapshotTime: z.string(),
  extractorVersion: z.string(),
  files: z.object({ train: z.string(), test: z.string() }),
  csvColumns: z.array(z.string()),
  columns: z.array(z.string()),
  labels: z.array(z.string()),
  fill: z.literal('floor_db'),
  scaler: z.object({ min: z.array(z.number()), max: z.array(z.number()) }),
  split: z.object({ mode: z.enum(['random', 'actor']), seed: z.number(), testFraction: z.number().optional(), testActors: z.array(z.number()).optional() }),
  counts: z.object({ train: counts, test: counts }),
});

/** Parse manifest.json text. Throws DatasetError INVALID_DATASET when it is not a dataset manifest. */
export function parseManifest(text: string): DatasetManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new DatasetError(ErrorCode.INVALID_DATASET, 'manifest.json is not JSON', { cause });
  }
  const parsed = DatasetManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new DatasetError(ErrorCode.INVALID_DATASET, `manifest.json is not a dataset manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data as unknown as DatasetManifest;
}
