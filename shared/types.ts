/**
 * Data contracts between the pieces (see README "Data contracts"). Pure types, no runtime code.
 */
import type { FeatureConfig } from './config';
import type { FeatureStatus, ModelName, RunStatus } from './names';

/** Labels parsed from a RAVDESS file name (03-01-EE-II-SS-RR-AA.wav). */
export interface RavdessLabels {
  /** 0-7, index into EMOTIONS. */
  emotion: number;
  /** 0 normal, 1 strong. */
  intensity: 0 | 1;
  /** 1 male (odd actor), 0 female. */
  male: 0 | 1;
  /** 1-24. */
  actor: number;
  /** 1-2. */
  statement: number;
  /** 1-2. */
  repetition: number;
}

/** What the feature recipe yields for one clip. */
export interface ClipFeatures {
  /** Mean dB over frequency of each frame; length = frames (≤ 130). */
  means: Float32Array;
  /** Number of frames actually computed (≤ FRAME_COUNT). */
  frames: number;
  /** The clip's dB floor (max − top_db), used to fill missing frames. */
  floorDb: number;
  /** Samples after load (segment + resample), at config.sampleRate. */
  samples: number;
  /** Native sample rate of the file, Hz. */
  nativeSampleRate: number;
  /** Channels in the file (downmixed by averaging). */
  channels: number;
}

/** One item of the features table (DynamoDB), keyed by the decoded S3 object key. */
export interface FeatureItem {
  key: string;
  status: FeatureStatus;
  etag?: string;
  versionId?: string;
  sequencer?: string;
  size?: number;
  /** Absent when the name is not RAVDESS (unlabelled). */
  labels?: RavdessLabels;
  /** Frame means as little-endian float32 bytes (DynamoDB Binary). */
  features?: Uint8Array;
  frames?: number;
  floorDb?: number;
  extractor: string;
  errorCode?: string;
  errorMessage?: string;
  updatedAt: string;
  /** Epoch seconds for DynamoDB TTL; set on DELETED tombstones only. */
  expiresAt?: number;
}

/** Parameters of a training run (POST /training-runs body, `ser train` flags). */
export interface TrainingParams {
  epochs: number;
  split: 'random' | 'actor';
  seed: number;
  /** Actors held out when split = actor. */
  testActors?: number[];
  /** Promote the candidate even when it is worse than the served model. */
  force?: boolean;
  /** Which models to train (default: all four). */
  models?: ModelName[];
}

/** Input of the Step Functions execution. */
export interface WorkflowInput {
  runId: string;
  params: TrainingParams;
}

/** Min-max scaler fitted on the training part: x' = (x − min) / (max − min), 0 where max = min. */
export interface MinMaxScaler {
  min: number[];
  max: number[];
}

/** Travels with every model (s3://bucket/models/<runId>/preprocessing.json). */
export interface Preprocessing {
  extractorVersion: string;
  featureConfig: FeatureConfig;
  /** Input columns in order (f0..f129, intensity, male). */
  columns: string[];
  /** Missing frames of short clips are filled with the clip's floor dB. */
  fill: 'floor_db';
  scaler: MinMaxScaler;
  /** Emotion names, index = class id. */
  labels: string[];
  /** Metadata inputs the model needs besides the audio. */
  needs: { intensity: boolean; male: boolean };
}

/** Metrics of one model on the test part. */
export interface ModelMetrics {
  model: ModelName;
  params: number;
  accuracy: number;
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
  macroF1: number;
  trainSeconds: number;
  history: { loss: number[]; acc: number[]; valLoss: number[]; valAcc: number[] };
  backend: string;
}

/** s3://bucket/models/<runId>/metrics.json */
export interface RunMetrics {
  runId: string;
  models: ModelMetrics[];
  /** Best model by test accuracy: the run's candidate. */
  candidate: ModelName;
  trainCount: number;
  testCount: number;
  backend: string;
}

/** The served-model pointer (runs table, MODEL#served). Model version = modelVersion(runId, model) = `<runId>.<model>`. */
export interface ServedPointer {
  version: string;
  runId: string;
  model: ModelName;
  /** s3 prefix of the run's artifacts: models/<runId>/ */
  artifactPrefix: string;
  accuracy: number;
  promotedAt: string;
}

export interface RunItem {
  runId: string;
  status: RunStatus;
  params: TrainingParams;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  datasetPrefix?: string;
  /** Rows in the train/test parts of the assembled dataset. */
  trainCount?: number;
  testCount?: number;
  /** s3 prefix of the run's model artifacts: models/<runId>/ (set when registered). */
  artifactPrefix?: string;
  /** Step Functions execution of the run (set when started through the API). */
  executionArn?: string;
  metrics?: { model: ModelName; accuracy: number; macroF1: number; trainSeconds: number }[];
  candidate?: string;
  promoted?: boolean;
  error?: { code: string; message: string };
}
