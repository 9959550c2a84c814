/**
 * The course experiment: train the requested models one after the other on the same prepared data and collect
 * RunMetrics (the candidate is the best test accuracy). Shared by the trainer container and `ser experiment`.
 */
import { MODEL_NAMES, type ModelName } from '../names';
import type { RunMetrics } from '../types';
import { initBackend, type BackendPreference } from '../models/backend';
import { pickCandidate, trainModel, type EpochLog, type LabelledInputs, type TrainedModel } from './train';

export interface ExperimentOptions {
  runId: string;
  models?: readonly ModelName[];
  epochs?: number;
  batchSize?: number;
  seed?: number;
  backend?: BackendPreference;
  onModelStart?: (model: ModelName, index: number, total: number) => void;
  onEpoch?: (log: EpochLog) => void;
  /** Called with each trained model before the next one starts (save it, then it is disposed unless kept). */
  onModelDone?: (trained: TrainedModel) => Promise<void> | void;
  /** Keep the trained models in the result (default false: disposed after onModelDone). */
  keepModels?: boolean;
}

export interface ExperimentResult {
  metrics: RunMetrics;
  /** Present when keepModels. */
  trained: TrainedModel[];
}

/** Train and measure each model; models run sequentially (each already uses the backend's threads). */
export async function runExperiment(train: LabelledInputs, test: LabelledInputs, options: ExperimentOptions): Promise<ExperimentResult> {
  const backend = await initBackend(options.backend);
  const models = options.models?.length ? options.models : MODEL_NAMES;
  const trained: TrainedModel[] = [];
  const metrics = [];
  for (const [i, name] of models.entries()) {
    options.onModelStart?.(name, i, models.length);
    const t = await trainModel(name, train, test, { epochs: options.epochs, batchSize: options.batchSize, seed: options.seed, backend, onEpoch: options.onEpoch });
    await options.onModelDone?.(t);
    metrics.push(t.metrics);
    if (options.keepModels) trained.push(t);
    else t.model.dispose();
  }
  return {
    metrics: { runId: options.runId, models: metrics, candidate: pickCandidate(metrics), trainCount: train.count, testCount: test.count, backend },
    trained,
  };
}
