/**
 * train.csv / test.csv: what the assembly step hands the trainer. Header `file,emotion,f0..f129,intensity,male`;
 * one row per clip; `file` is the S3 object key of the clip; `emotion` the class id 0-7; then the 132 inputs
 * (INPUT_COLUMNS) with missing frames filled and min-max scaled (scaler in manifest.json). Numbers are written as
 * short decimals that read back to the same float32, so the trainer sees exactly what assembly computed.
 */
import { INPUT_COLUMNS, NUM_CLASSES } from '../config';
import { DatasetError, ErrorCode } from '../errors';
import { csvField, splitCsvLine } from './features-csv';
import { INPUT_COUNT } from './inputs';

export const DATASET_CSV_COLUMNS: readonly string[] = ['file', 'emotion', ...INPUT_COLUMNS];
export const DATASET_CSV_HEADER = DATASET_CSV_COLUMNS.join(',');

/** One row of train.csv/test.csv: 132 scaled inputs. */
export interface DatasetCsvRow {
  file: string;
  emotion: number;
  inputs: ArrayLike<number>;
}

/** A parsed train.csv/test.csv, inputs packed row-major (count × 132) for tensor creation. */
export interface DatasetTable {
  files: string[];
  /** Class ids 0-7. */
  labels: Int32Array;
  /** count × INPUT_COUNT values, row-major. */
  inputs: Float32Array;
  count: number;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/**
 * Short decimal text that parses back to the same float32 value. Scaled inputs are mostly in (0, 1): those are
 * printed from an integer with 7-9 decimals (about 6× faster than toPrecision, which dominated writing 100k rows);
 * anything else, or a value those decimals cannot hold exactly, falls back to 9 significant digits.
 */
export function formatFloat32(value: number): string {
  const v = Math.fround(value);
  if (v === 0) return '0';
  if (v > 0 && v < 1) {
    for (let d = 7; d <= 9; d++) {
      const m = Math.round(v * POW10[d]!);
      // m / 10^d is the correctly rounded double of the decimal 0.<m>, i.e. what Number() will read.
      if (Math.fround(m / POW10[d]!) === v) {
        const digits = String(m).padStart(d, '0');
        let end = digits.length;
        while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
        return `0.${digits.slice(0, end)}`;
      }
    }
  }
  return String(Number(v.toPrecision(9)));
}

/** Format one data line (no newline). */
export function formatDatasetCsvRow(row: DatasetCsvRow): string {
  const cells = new Array<string>(INPUT_COUNT + 2);
  cells[0] = csvField(row.file);
  cells[1] = String(row.emotion);
  for (let c = 0; c < INPUT_COUNT; c++) cells[c + 2] = formatFloat32(row.inputs[c]!);
  return cells.join(',');
}

/**
 * Format rows as CSV text chunks (header first), each about `chunkBytes` long, so large tables are built without
 * one giant string concatenation. Join or upload the chunks as they are.
 */
export function* formatDatasetCsvChunks(rows: Iterable<DatasetCsvRow>, chunkBytes = 1 << 20): Generator<string> {
  let chunk = DATASET_CSV_HEADER + '\n';
  for (const row of rows) {
    chunk += formatDatasetCsvRow(row) + '\n';
    if (chunk.length >= chunkBytes) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** The whole CSV text of some rows. */
export function formatDatasetCsv(rows: Iterable<DatasetCsvRow>): string {
  return [...formatDatasetCsvChunks(rows)].join('');
}

/** Parse train.csv/test.csv. Throws DatasetError INVALID_DATASET naming the line of anything malformed. */
export function parseDatasetCsv(text: string): DatasetTable {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines[0] !== DATASET_CSV_HEADER) {
    throw new DatasetError(ErrorCode.INVALID_DATASET, `dataset CSV header must be ${DATASET_CSV_COLUMNS.slice(0, 4).join(',')},…,intensity,male (${DATASET_CSV_COLUMNS.length} columns)`, {
      suggestion: 'Use train.csv/test.csv written by the assembly step (datasets/<runId>/).',
    });
  }
  const count = lines.length - 1;
  const files = new Array<string>(count);
  const labels = new Int32Array(count);
  const inputs = new Float32Array(count * INPUT_COUNT);
  for (let r = 0; r < count; r++) {
    const cells = splitCsvLine(lines[r + 1]!);
    const bad = (what: string) => new DatasetError(ErrorCode.INVALID_DATASET, `dataset CSV line ${r + 2}: ${what}`);
    if (cells.length !== DATASET_CSV_COLUMNS.length) throw bad(`expected ${DATASET_CSV_COLUMNS.length} cells, found ${cells.length}`);
    files[r] = cells[0]!;
    const emotion = Number(cells[1]);
    if (!Number.isInteger(emotion) || emotion < 0 || emotion >= NUM_CLASSES) throw bad(`emotion must be 0-${NUM_CLASSES - 1}`);
    labels[r] = emotion;
    for (let c = 0; c < INPUT_COUNT; c++) {
      const cell = cells[c + 2]!;
      const v = Number(cell);
      if (cell === '' || !Number.isFinite(v)) throw bad(`${INPUT_COLUMNS[c]} is empty or not a number`);
      inputs[r * INPUT_COUNT + c] = v;
    }
  }
  return { files, labels, inputs, count };
}
