/**
 * Builds a training dataset from features-table rows, one row at a time: each accepted row is reduced at once to a
 * compact record (its key, class, actor and a Float32Array of 132 inputs), so the raw items never pile up.
 * `build()` then splits, fits the scaler on train, scales in place and describes the result.
 */
import { EMOTIONS, EXTRACTOR_VERSION, FRAME_COUNT, NUM_CLASSES } from '../config';
import { DatasetError, ErrorCode } from '../errors';
import { FEATURE_STATUS } from '../names';
import { decodeFrameMeans } from '../store/feature-codec';
import type { MinMaxScaler } from '../types';
import type { DatasetCsvRow } from './dataset-csv';
import { buildInputs, INPUT_COUNT } from './inputs';
import { countPerClass, SKIP_REASONS, type PartCounts, type SkipCounts, type SkipReason, type SourceVersion, type SplitDescription } from './manifest';
import { applyMinMax, fitMinMax } from './scaler';
import { actorSplit, defaultTestActors, stratifiedSplit, TEST_FRACTION } from './split';

/** Fewest usable rows a dataset may have. */
export const MIN_ROWS = 16;
/** Fewest training rows each emotion present in the data must have. */
export const MIN_TRAIN_ROWS_PER_CLASS = 2;

/** A compact accepted row. */
interface ClipRecord {
  key: string;
  emotion: number;
  actor: number;
  /** Unscaled until build(), scaled in place after. */
  inputs: Float32Array;
}

export interface SplitOptions {
  split: 'random' | 'actor';
  seed: number;
  testActors?: number[];
}

export interface BuiltDataset {
  train: DatasetCsvRow[];
  test: DatasetCsvRow[];
  scaler: MinMaxScaler;
  split: SplitDescription;
  counts: { train: PartCounts; test: PartCounts };
  skipped: SkipCounts;
  sources: Record<string, SourceVersion>;
}

type Item = Record<string, unknown>;

const isBit = (v: unknown) => v === 0 || v === 1;

export class DatasetBuilder {
  private readonly rows: ClipRecord[] = [];
  private readonly sources = new Map<string, SourceVersion>();
  private readonly skips: SkipCounts = Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as SkipCounts;
  private built = false;

  /** @param extractorVersion rows of any other feature-recipe version are skipped (default: the current one). */
  constructor(private readonly extractorVersion: string = EXTRACTOR_VERSION) {}

  /** Rows accepted so far. */
  get size(): number {
    return this.rows.length;
  }

  /** Skipped rows so far, by reason. */
  get skipped(): SkipCounts {
    return { ...this.skips };
  }

  /** Offer one features-table item (as the DynamoDB document client returns it); returns why it was skipped, if it was. */
  add(item: Item): SkipReason | undefined {
    const reason = this.accept(item);
    if (reason) this.skips[reason]++;
    return reason;
  }

  private accept(item: Item): SkipReason | undefined {
    if (item.status === FEATURE_STATUS.ERROR) return 'error';
    if (item.status === FEATURE_STATUS.DELETED) return 'deleted';
    if (item.extractor !== this.extractorVersion) return 'otherExtractor';
    if (item.labels === undefined || item.labels === null) return 'unlabelled';
    const key = item.key;
    const labels = item.labels as Record<string, unknown>;
    const emotion = labels.emotion;
    const actor = labels.actor;
    if (typeof key !== 'string' || item.status !== FEATURE_STATUS.OK) return 'malformed';
    if (!Number.isInteger(emotion) || (emotion as number) < 0 || (emotion as number) >= NUM_CLASSES) return 'malformed';
    if (!Number.isInteger(actor) || !isBit(labels.intensity) || !isBit(labels.male)) return 'malformed';
    const floorDb = item.floorDb;
    if (typeof floorDb !== 'number' || !Number.isFinite(floorDb) || !(item.features instanceof Uint8Array)) return 'malformed';
    let means: Float32Array;
    try {
      means = decodeFrameMeans(item.features);
    } catch {
      return 'malformed';
    }
    if (means.length < 1 || means.length > FRAME_COUNT || (item.frames !== undefined && item.frames !== means.length)) return 'malformed';
    if (!means.every(Number.isFinite)) return 'malformed';
    this.rows.push({
      key,
      emotion: emotion as number,
      actor: actor as number,
      inputs: buildInputs({ means, floorDb, intensity: labels.intensity as number, male: labels.male as number }),
    });
    this.sources.set(key, {
      ...(typeof item.etag === 'string' ? { etag: item.etag } : {}),
      ...(typeof item.sequencer === 'string' ? { sequencer: item.sequencer } : {}),
      ...(typeof item.versionId === 'string' ? { versionId: item.versionId } : {}),
    });
    return undefined;
  }

  /**
   * Split, fit the scaler on train, scale both parts (in place: the builder is spent afterwards).
   * Rows are ordered by key first, so the same rows and seed always give the same split whatever the scan order.
   * Throws DatasetError NOT_ENOUGH_DATA when the rows cannot make a meaningful train/test pair.
   */
  build(options: SplitOptions): BuiltDataset {
    if (this.built) throw new Error('DatasetBuilder.build() may be called once');
    this.built = true;
    const rows = this.rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const skippedText = () => SKIP_REASONS.filter((r) => this.skips[r]).map((r) => `${this.skips[r]} ${r}`).join(', ') || 'none';
    const notEnough = (message: string) =>
      new DatasetError(ErrorCode.NOT_ENOUGH_DATA, message, {
        suggestion: 'Upload more labelled RAVDESS-named WAVs under audio/ (every emotion you want to learn, several actors), wait for extraction, then start the run again.',
      });
    if (rows.length < MIN_ROWS) {
      throw notEnough(`Only ${rows.length} usable feature rows (skipped: ${skippedText()}); training needs at least ${MIN_ROWS}.`);
    }

    let indices: { train: number[]; test: number[] };
    let split: SplitDescription;
    if (options.split === 'actor') {
      const testActors = options.testActors ?? defaultTestActors(rows.map((r) => r.actor));
      indices = actorSplit(rows.map((r) => r.actor), testActors);
      split = { mode: 'actor', seed: options.seed, testActors: [...testActors].sort((a, b) => a - b) };
      if (indices.test.length === 0) throw notEnough(`No rows of the test actors ${testActors.join(', ')}: the test part would be empty.`);
      if (indices.train.length === 0) throw notEnough(`Every row belongs to the test actors ${testActors.join(', ')}: the train part would be empty.`);
    } else {
      indices = stratifiedSplit(rows.map((r) => r.emotion), NUM_CLASSES, options.seed, TEST_FRACTION);
      split = { mode: 'random', seed: options.seed, testFraction: TEST_FRACTION };
    }

    const present = countPerClass(rows.map((r) => r.emotion));
    const trainCounts = countPerClass(indices.train.map((i) => rows[i]!.emotion));
    const testCounts = countPerClass(indices.test.map((i) => rows[i]!.emotion));
    const short = EMOTIONS.filter((e) => present.perClass[e] > 0 && trainCounts.perClass[e] < MIN_TRAIN_ROWS_PER_CLASS);
    if (short.length) {
      throw notEnough(
        `Too few training rows for ${short.map((e) => `${e} (${trainCounts.perClass[e]} of ${present.perClass[e]})`).join(', ')}: each emotion present needs at least ${MIN_TRAIN_ROWS_PER_CLASS} in the train part.`,
      );
    }
    if (EMOTIONS.filter((e) => present.perClass[e] > 0).length < 2) {
      throw notEnough(`All ${rows.length} usable rows have the same emotion: a classifier needs at least two.`);
    }

    const scaler = fitMinMax(
      indices.train.map((i) => rows[i]!.inputs),
      INPUT_COUNT,
    );
    for (const r of rows) applyMinMax(r.inputs, scaler, r.inputs);
    const toCsv = (i: number): DatasetCsvRow => ({ file: rows[i]!.key, emotion: rows[i]!.emotion, inputs: rows[i]!.inputs });
    return {
      train: indices.train.map(toCsv),
      test: indices.test.map(toCsv),
      scaler,
      split,
      counts: { train: trainCounts, test: testCounts },
      skipped: this.skipped,
      sources: Object.fromEntries([...this.sources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    };
  }
}
