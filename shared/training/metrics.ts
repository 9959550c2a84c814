/**
 * Classification metrics of a model on the test part: accuracy, confusion matrix, per-class precision / recall /
 * F1 and their macro average. Pure functions on class ids (0 … classes−1).
 */

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** True examples of the class. */
  support: number;
}

/** Share of predictions equal to the truth (0-1); 0 for no examples. */
export function accuracy(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (truth.length !== predicted.length) throw new RangeError(`truth has ${truth.length} labels, predictions ${predicted.length}`);
  let hits = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) hits++;
  return truth.length ? hits / truth.length : 0;
}

/** confusion[true][predicted] counts, classes × classes. */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  if (truth.length !== predicted.length) throw new RangeError(`truth has ${truth.length} labels, predictions ${predicted.length}`);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    if (t < 0 || t >= classes || p < 0 || p >= classes) throw new RangeError(`class id out of range 0-${classes - 1}: true ${t}, predicted ${p}`);
    m[t]![p]!++;
  }
  return m;
}

/**
 * Precision, recall and F1 of every class from a confusion matrix. A ratio whose denominator is 0 (no prediction
 * of the class, or no example of it) is 0, as scikit-learn reports with zero_division=0.
 */
export function perClassMetrics(confusion: number[][], labels: readonly string[]): ClassMetrics[] {
  return confusion.map((row, c) => {
    const tp = row[c]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predictedAsC = confusion.reduce((a, r) => a + r[c]!, 0);
    const precision = predictedAsC ? tp / predictedAsC : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label: labels[c] ?? String(c), precision, recall, f1, support };
  });
}

/** Unweighted mean of the per-class F1 scores. */
export function macroF1(perClass: readonly ClassMetrics[]): number {
  return perClass.length ? perClass.reduce((a, c) => a + c.f1, 0) / perClass.length : 0;
}

/** Index of the largest value of each row of a row-major [rows × columns] array. */
export function argmaxRows(values: ArrayLike<number>, columns: number): Int32Array {
  const rows = Math.floor(values.length / columns);
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < columns; c++) if (values[r * columns + c]! > values[r * columns + best]!) best = c;
    out[r] = best;
  }
  return out;
}
