/**
 * The features CSV: exactly the columns of librosa's golden file (file, labels, frames, floor_db, f0..f129), one row
 * per clip, empty cells for the frames a short clip does not have. Written by `ser features`, read by
 * `ser experiment` (the golden CSV itself is a valid input).
 */
import { FRAME_COLUMNS, FRAME_COUNT } from '../config';
import { DatasetError, ErrorCode } from '../errors';
import type { RavdessLabels } from '../types';

export const LABEL_COLUMNS = ['emotion', 'intensity', 'male', 'actor', 'statement', 'repetition'] as const;
export const FEATURES_CSV_HEADER: readonly string[] = ['file', ...LABEL_COLUMNS, 'frames', 'floor_db', ...FRAME_COLUMNS];

/** One clip's features as stored in the CSV. */
export interface FeatureRow {
  file: string;
  /** Undefined for a clip whose name is not RAVDESS (label cells empty). */
  labels?: RavdessLabels;
  frames: number;
  /** dB floor of the clip. */
  floorDb: number;
  /** Frame means in dB, length = frames. */
  means: Float32Array;
}

const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(6));

/** Quote a CSV field when it holds a comma, quote or line break. */
export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatFeaturesCsvRow(row: FeatureRow): string {
  const labels = LABEL_COLUMNS.map((c) => (row.labels ? String(row.labels[c]) : ''));
  const frames = Array.from({ length: FRAME_COUNT }, (_, i) => (i < row.means.length ? num(row.means[i]!) : ''));
  return [csvField(row.file), ...labels, String(row.frames), num(row.floorDb), ...frames].join(',');
}

export function formatFeaturesCsv(rows: Iterable<FeatureRow>): string {
  let out = FEATURES_CSV_HEADER.join(',') + '\n';
  for (const r of rows) out += formatFeaturesCsvRow(r) + '\n';
  return out;
}

/** Split one CSV line, honouring double quotes. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(cur), (cur = '');
    else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Parse a features CSV (ours or librosa's golden file). Throws DatasetError naming the line of a malformed row. */
export function parseFeaturesCsv(text: string): FeatureRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = splitCsvLine(lines[0] ?? '');
  const missing = FEATURES_CSV_HEADER.filter((c) => !header.includes(c));
  if (missing.length) throw new DatasetError(ErrorCode.INVALID_DATASET, `features CSV lacks columns: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
  const col = new Map(header.map((h, i) => [h, i]));
  const at = (cells: string[], name: string) => cells[col.get(name)!] ?? '';
  return lines.slice(1).map((line, n) => {
    const cells = splitCsvLine(line);
    const bad = (what: string) => new DatasetError(ErrorCode.INVALID_DATASET, `features CSV line ${n + 2}: ${what}`);
    const frames = Number(at(cells, 'frames'));
    const floorDb = Number(at(cells, 'floor_db'));
    if (!Number.isInteger(frames) || frames < 1 || frames > FRAME_COUNT) throw bad(`frames must be 1-${FRAME_COUNT}`);
    if (!Number.isFinite(floorDb)) throw bad('floor_db is not a number');
    const means = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      const v = Number(at(cells, FRAME_COLUMNS[i]!));
      if (at(cells, FRAME_COLUMNS[i]!) === '' || !Number.isFinite(v)) throw bad(`${FRAME_COLUMNS[i]} is empty or not a number`);
      means[i] = v;
    }
    const emotion = at(cells, 'emotion');
    let labels: RavdessLabels | undefined;
    if (emotion !== '') {
      const v = Object.fromEntries(LABEL_COLUMNS.map((c) => [c, Number(at(cells, c))])) as unknown as RavdessLabels;
      if (LABEL_COLUMNS.some((c) => !Number.isInteger(v[c]))) throw bad('label cells must be integers');
      labels = v;
    }
    return { file: at(cells, 'file'), labels, frames, floorDb, means };
  });
}
