/**
 * Train one course model on prepared inputs (filled + scaled, 132 per row), validating on the test part after
 * every epoch as the reference does (`fit(..., validation_data=test)`), then measure it on the test part.
 */
import * as tf from '@tensorflow/tfjs';
import { EMOTIONS, NUM_CLASSES } from '../config';
import { ErrorCode, SerError } from '../errors';
import type { ModelName } from '../names';
import type { ModelMetrics } from '../types';
import { buildModel, needsChannelAxis } from '../models/architectures';
import { toStandardModel } from '../models/artifacts';
import { accuracy, argmaxRows, confusionMatrix, macroF1, perClassMetrics } from './metrics';

/** Rows of model inputs with their class ids. */
export interface LabelledInputs {
  /** count × inputLength values, row-major. */
  inputs: Float32Array;
  /** Class ids 0-7. */
  labels: Int32Array;
  count: number;
}

/** Reference training settings (the course notebook / Keras defaults). */
export const TRAINING_DEFAULTS = { epochs: 250, batchSize: 32 } as const;

export interface EpochLog {
  model: ModelName;
  /** 1-based. */
  epoch: number;
  epochs: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
  /** Seconds since training of this model began. */
  elapsedSeconds: number;
}

export interface TrainOptions {
  epochs?: number;
  batchSize?: number;
  /** Seed of the weight initializers (batch shuffling and dropout use tfjs's unseeded random). */
  seed?: number;
  /** Use FastConv1D for conv1d (default true; the result is saved as a standard Conv1D either way). */
  fastConv?: boolean;
  /** Backend name recorded in the metrics. */
  backend: string;
  onEpoch?: (log: EpochLog) => void;
}

export interface TrainedModel {
  name: ModelName;
  /** The model in its saved (standard-layer) form. */
  model: tf.LayersModel;
  metrics: ModelMetrics;
  /** Test-set probabilities, count × 8 row-major. */
  testProbabilities: Float32Array;
}

function toTensors(name: ModelName, data: LabelledInputs, inputLength: number): { x: tf.Tensor; y: tf.Tensor } {
  const shape = needsChannelAxis(name) ? [data.count, inputLength, 1] : [data.count, inputLength];
  return { x: tf.tensor(data.inputs, shape, 'float32'), y: tf.tensor2d(Float32Array.from(data.labels), [data.count, 1]) };
}

/** Number of inputs per row of a table (its values / rows). */
function inputLengthOf(data: LabelledInputs): number {
  const n = data.inputs.length / data.count;
  if (!Number.isInteger(n) || data.labels.length !== data.count) throw new SerError(ErrorCode.INVALID_DATASET, `inconsistent inputs: ${data.inputs.length} values, ${data.count} rows, ${data.labels.length} labels`);
  return n;
}

/** Rows per forward pass when validating (bounds memory on large test parts; the course's 240 rows take one pass). */
const VALIDATION_BATCH = 2048;

/** Loss and accuracy of `model` on (x, y) in inference mode (dropout off), as Keras's validation reports them. */
async function validate(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): Promise<[loss: number, acc: number]> {
  const out = model.evaluate(x, y, { batchSize: Math.min(VALIDATION_BATCH, x.shape[0]) });
  const scalars = Array.isArray(out) ? out : [out];
  try {
    const [loss, acc] = await Promise.all(scalars.map(async (s) => (await s.data())[0]!));
    return [loss!, acc!];
  } finally {
    tf.dispose(scalars);
  }
}

/**
 * Train `name` on `train` for `epochs` (batch 32, shuffled every epoch, validated on `test` every epoch) and
 * measure it on `test`: accuracy, confusion matrix, per-class precision/recall/F1, macro F1, history, seconds.
 */
export async function trainModel(name: ModelName, train: LabelledInputs, test: LabelledInputs, options: TrainOptions): Promise<TrainedModel> {
  const epochs = options.epochs ?? TRAINING_DEFAULTS.epochs;
  const batchSize = options.batchSize ?? TRAINING_DEFAULTS.batchSize;
  if (!Number.isInteger(epochs) || epochs < 1) throw new SerError(ErrorCode.INVALID_REQUEST, `epochs must be a positive integer, got ${epochs}`);
  if (train.count < 1 || test.count < 1) throw new SerError(ErrorCode.NOT_ENOUGH_DATA, `need at least one training and one test row (got ${train.count} / ${test.count})`);
  const inputLength = inputLengthOf(train);
  if (inputLengthOf(test) !== inputLength) throw new SerError(ErrorCode.INVALID_DATASET, `train rows have ${inputLength} inputs, test rows ${inputLengthOf(test)}`);

  const model = buildModel(name, { inputLength, seed: options.seed, fastConv: options.fastConv ?? true });
  const tr = toTensors(name, train, inputLength);
  const te = toTensors(name, test, inputLength);
  const history: ModelMetrics['history'] = { loss: [], acc: [], valLoss: [], valAcc: [] };
  try {
    const started = performance.now();
    await model.fit(tr.x, tr.y, {
      epochs,
      batchSize,
      shuffle: true,
      verbose: 0,
      // One yield to the event loop per epoch (timers, I/O) instead of a debounced check after every batch.
      yieldEvery: 'epoch',
      callbacks: {
        onEpochEnd: async (epoch, logs = {}) => {
          // Validation after every epoch as Keras's fit(validation_data=…) does, but as one forward pass over the
          // test part instead of fit's 32-row batches (same loss and metric, a fraction of the kernel calls).
          const [valLoss, valAcc] = await validate(model, te.x, te.y);
          const log: EpochLog = {
            model: name,
            epoch: epoch + 1,
            epochs,
            loss: Number(logs.loss),
            acc: Number(logs.acc),
            valLoss,
            valAcc,
            elapsedSeconds: (performance.now() - started) / 1000,
          };
          history.loss.push(log.loss);
          history.acc.push(log.acc);
          history.valLoss.push(log.valLoss);
          history.valAcc.push(log.valAcc);
          options.onEpoch?.(log);
        },
      },
    });
    const trainSeconds = (performance.now() - started) / 1000;
    if (!history.loss.every(Number.isFinite)) throw new SerError(ErrorCode.TRAINING_FAILED, `${name}: the loss became ${history.loss.find((l) => !Number.isFinite(l))} during training`);

    const saved = toStandardModel(name, model);
    const probs = tf.tidy(() => saved.predict(te.x) as tf.Tensor);
    const testProbabilities = (await probs.data()) as Float32Array;
    probs.dispose();
    const predicted = argmaxRows(testProbabilities, NUM_CLASSES);
    const confusion = confusionMatrix(test.labels, predicted, NUM_CLASSES);
    const perClass = perClassMetrics(confusion, EMOTIONS);
    const metrics: ModelMetrics = {
      model: name,
      params: model.countParams(),
      accuracy: accuracy(test.labels, predicted),
      confusion,
      perClass,
      macroF1: macroF1(perClass),
      trainSeconds,
      history,
      backend: options.backend,
    };
    if (saved !== model) model.dispose();
    return { name, model: saved, metrics, testProbabilities };
  } catch (e) {
    model.dispose();
    throw e instanceof SerError ? e : new SerError(ErrorCode.TRAINING_FAILED, `${name}: training failed: ${(e as Error).message}`, { cause: e });
  } finally {
    tf.dispose([tr.x, tr.y, te.x, te.y]);
  }
}

/** The candidate of a run: the best test accuracy (ties → the earlier model in the list). */
export function pickCandidate(models: readonly ModelMetrics[]): ModelName {
  if (!models.length) throw new SerError(ErrorCode.TRAINING_FAILED, 'no model was trained');
  return models.reduce((best, m) => (m.accuracy > best.accuracy ? m : best)).model;
}
