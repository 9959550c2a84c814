/**
 * Train/test splits. `random`: stratified by emotion, 20 % test, seeded — scikit-learn's
 * train_test_split(stratify=y) in spirit (same per-class proportions, not the same draw). `actor`: every clip of the
 * held-out actors goes to test, so the score measures unseen speakers.
 */
import { seededRandom, shuffleInPlace } from './rng';

/** Share of rows in the test part of a random split. */
export const TEST_FRACTION = 0.2;
/** Actors held out by default in an actor split when any of them is present (RAVDESS has 24). */
export const DEFAULT_TEST_ACTORS = [21, 22, 23, 24] as const;

/** Row indices of each part, each ascending. */
export interface SplitIndices {
  train: number[];
  test: number[];
}

/**
 * Per-class test counts for a stratified split: n_test = ceil(fraction · n) overall, shared out in proportion to
 * class sizes (largest remainders first, ties to the larger then lower class), never the whole of a class.
 */
export function stratifiedTestCounts(classCounts: readonly number[], fraction = TEST_FRACTION): number[] {
  const n = classCounts.reduce((a, b) => a + b, 0);
  const nTest = Math.ceil(fraction * n);
  const exact = classCounts.map((c) => (n ? (c * nTest) / n : 0));
  const counts = exact.map((x, c) => Math.min(Math.floor(x), Math.max(classCounts[c]! - 1, 0)));
  let left = nTest - counts.reduce((a, b) => a + b, 0);
  const order = classCounts
    .map((_, c) => c)
    .sort((a, b) => exact[b]! - Math.floor(exact[b]!) - (exact[a]! - Math.floor(exact[a]!)) || classCounts[b]! - classCounts[a]! || a - b);
  // Hand out what rounding left over; a class never gives its last row to the test part.
  while (left > 0) {
    let gave = false;
    for (const c of order) {
      if (left === 0) break;
      if (counts[c]! < classCounts[c]! - 1) counts[c]!++, left--, (gave = true);
    }
    if (!gave) break;
  }
  return counts;
}

/**
 * Stratified random split of rows labelled `labels` (class ids 0..classes−1), reproducible from `seed`.
 * Rows must be in a stable order (e.g. sorted by key) for the same seed to give the same split.
 */
export function stratifiedSplit(labels: ArrayLike<number>, classes: number, seed: number, fraction = TEST_FRACTION): SplitIndices {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]!]!.push(i);
  const testCounts = stratifiedTestCounts(byClass.map((r) => r.length), fraction);
  const random = seededRandom(seed);
  const isTest = new Uint8Array(labels.length);
  byClass.forEach((rows, c) => {
    for (const i of shuffleInPlace(rows, random).slice(0, testCounts[c])) isTest[i] = 1;
  });
  return partition(isTest);
}

/** Test actors when none are given: 21-24 if any of them is present, else the last ~20 % of present actors. */
export function defaultTestActors(presentActors: Iterable<number>, fraction = TEST_FRACTION): number[] {
  const present = [...new Set(presentActors)].sort((a, b) => a - b);
  const standard = DEFAULT_TEST_ACTORS.filter((a) => present.includes(a));
  if (standard.length > 0 && standard.length < present.length) return standard;
  return present.slice(present.length - Math.max(1, Math.ceil(fraction * present.length)));
}

/** Split rows by actor: rows of `testActors` go to test, all others to train. */
export function actorSplit(actors: ArrayLike<number>, testActors: readonly number[]): SplitIndices {
  const held = new Set(testActors);
  const isTest = new Uint8Array(actors.length);
  for (let i = 0; i < actors.length; i++) if (held.has(actors[i]!)) isTest[i] = 1;
  return partition(isTest);
}

function partition(isTest: Uint8Array): SplitIndices {
  const out: SplitIndices = { train: [], test: [] };
  isTest.forEach((t, i) => (t ? out.test : out.train).push(i));
  return out;
}
