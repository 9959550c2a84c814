/** Feature-table items for dataset tests, built from the golden CSV or synthesised. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXTRACTOR_VERSION } from '../../../shared/config';
import { parseFeaturesCsv, type FeatureRow } from '../../../shared/dataset/features-csv';
import { encodeFrameMeans } from '../../../shared/store/feature-codec';

export const GOLDEN_CSV = resolve(import.meta.dirname, '../../../../shared/golden/librosa_features_actors01-20.csv');

let golden: FeatureRow[] | undefined;
/** The 1,200 golden rows (parsed once per process). */
export function goldenRows(): FeatureRow[] {
  golden ??= parseFeaturesCsv(readFileSync(GOLDEN_CSV, 'utf8'));
  return golden;
}

/** A features-table item (as the document client returns it) for a golden row. */
export function itemFromRow(row: FeatureRow, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    key: `audio/Actor_${String(row.labels?.actor ?? 0).padStart(2, '0')}/${row.file}`,
    status: 'OK',
    etag: `"etag-${row.file}"`,
    sequencer: '0055AED6DCD90281E5',
    ...(row.labels ? { labels: row.labels } : {}),
    features: encodeFrameMeans(row.means),
    frames: row.frames,
    floorDb: row.floorDb,
    extractor: EXTRACTOR_VERSION,
    updatedAt: '2024-01-01T00:00:00.000Z',
    ...extra,
  };
}

/** A synthetic labelled item: `frames` means of value `level` dB. */
export function syntheticItem(i: number, emotion: number, opts: { actor?: number; frames?: number; level?: number; floorDb?: number } = {}): Record<string, unknown> {
  const actor = opts.actor ?? (i % 24) + 1;
  const frames = opts.frames ?? 130;
  return {
    key: `audio/x/${String(i).padStart(6, '0')}.wav`,
    status: 'OK',
    etag: `"e${i}"`,
    labels: { emotion, intensity: (i % 2) as 0 | 1, male: (actor % 2) as 0 | 1, actor, statement: 1, repetition: 1 },
    features: encodeFrameMeans(new Float32Array(frames).fill(opts.level ?? 40 + emotion)),
    frames,
    floorDb: opts.floorDb ?? 20,
    extractor: EXTRACTOR_VERSION,
    updatedAt: '2024-01-01T00:00:00.000Z',
  };
}
