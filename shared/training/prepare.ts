/**
 * Prepare a features CSV (ours or librosa's golden file) for an offline experiment, with the assembly step's own
 * rules: missing frames filled with the clip's floor dB, 132 inputs, split (stratified random with a seed, held-out
 * actors, or an explicit list of test files), MinMax scaler fitted on the train part only.
 */
import { NUM_CLASSES } from '../config';
import { DatasetError, ErrorCode } from '../errors';
import type { FeatureRow } from '../dataset/features-csv';
import { buildInputs, INPUT_COUNT } from '../dataset/inputs';
import { applyMinMax, fitMinMax } from '../dataset/scaler';
import { actorSplit, stratifiedSplit, type SplitIndices } from '../dataset/split';
import type { MinMaxScaler } from '../types';
import type { LabelledInputs } from './train';

export type ExperimentSplit =
  | { mode: 'random'; seed: number }
  | { mode: 'actor'; testActors: number[] }
  /** Exactly these file names (basenames) form the test part, e.g. a reference split. */
  | { mode: 'files'; testFiles: string[] };

export interface PreparedData {
  train: LabelledInputs & { files: string[] };
  test: LabelledInputs & { files: string[] };
  scaler: MinMaxScaler;
  /** Unlabelled rows left out. */
  skippedUnlabelled: number;
}

const basename = (f: string) => f.slice(f.lastIndexOf('/') + 1);

/** Fill, split and scale labelled feature rows. Throws DatasetError when a part would be empty or test files are unknown. */
export function prepareExperimentData(rows: readonly FeatureRow[], split: ExperimentSplit): PreparedData {
  const labelled = rows.filter((r) => r.labels);
  const inputs = labelled.map((r) => buildInputs({ means: r.means, floorDb: r.floorDb, intensity: r.labels!.intensity, male: r.labels!.male }));
  let parts: SplitIndices;
  if (split.mode === 'random') {
    parts = stratifiedSplit(Int32Array.from(labelled, (r) => r.labels!.emotion), NUM_CLASSES, split.seed);
  } else if (split.mode === 'actor') {
    parts = actorSplit(Int32Array.from(labelled, (r) => r.labels!.actor), split.testActors);
  } else {
    const wanted = new Set(split.testFiles.map(basename));
    parts = { train: [], test: [] };
    labelled.forEach((r, i) => (wanted.has(basename(r.file)) ? parts.test : parts.train).push(i));
    if (parts.test.length !== wanted.size) {
      throw new DatasetError(ErrorCode.INVALID_DATASET, `${wanted.size - parts.test.length} of the ${wanted.size} test files are not labelled rows of the features CSV`);
    }
  }
  if (!parts.train.length || !parts.test.length) {
    throw new DatasetError(ErrorCode.NOT_ENOUGH_DATA, `the split leaves ${parts.train.length} training and ${parts.test.length} test rows`, { suggestion: 'Use more rows or another split.' });
  }
  const scaler = fitMinMax(parts.train.map((i) => inputs[i]!), INPUT_COUNT);
  const pack = (idx: number[]) => {
    const out = new Float32Array(idx.length * INPUT_COUNT);
    idx.forEach((i, r) => out.set(applyMinMax(inputs[i]!, scaler), r * INPUT_COUNT));
    return { inputs: out, labels: Int32Array.from(idx, (i) => labelled[i]!.labels!.emotion), count: idx.length, files: idx.map((i) => labelled[i]!.file) };
  };
  return { train: pack(parts.train), test: pack(parts.test), scaler, skippedUnlabelled: rows.length - labelled.length };
}
