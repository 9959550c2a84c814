/**
 * Names shared by the CDK stack, the Lambda handlers, the trainer, the embedded local stack and the CLI:
 * environment variables, S3 prefixes, DynamoDB key schema. Change them here and everything follows.
 */

/** Environment variables the functions and the trainer read (set by the stack, the local stack or the user). */
export const ENV = {
  BUCKET: 'SER_BUCKET',
  FEATURES_TABLE: 'SER_FEATURES_TABLE',
  RUNS_TABLE: 'SER_RUNS_TABLE',
  STATE_MACHINE_ARN: 'SER_STATE_MACHINE_ARN',
  /** Set in the trainer container by the workflow. */
  RUN_ID: 'SER_RUN_ID',
  /** Seconds the predict function caches the served-model pointer. */
  MODEL_POINTER_TTL_SECONDS: 'SER_MODEL_POINTER_TTL_SECONDS',
  /** Max upload the feature extractor accepts, bytes. */
  MAX_FILE_BYTES: 'SER_MAX_FILE_BYTES',
} as const;

/** Key prefixes in the one bucket. */
export const PREFIX = {
  /** Uploads: s3://bucket/audio/…/*.wav triggers extraction. */
  AUDIO: 'audio/',
  /** s3://bucket/datasets/<runId>/{train.csv,test.csv,manifest.json} */
  DATASETS: 'datasets/',
  /** s3://bucket/models/<runId>/<model>/{model.json,weights.bin}, preprocessing.json, metrics.json, report.html */
  MODELS: 'models/',
} as const;

/** Suffixes of uploads that trigger extraction (S3 suffix filters are case-sensitive). */
export const AUDIO_SUFFIXES = ['.wav', '.WAV'] as const;

/** Features table: one item per S3 object key. */
export const FEATURES_TABLE = {
  partitionKey: 'key',
  /** Epoch seconds after which DynamoDB TTL may drop the item (set on DELETED tombstones only). */
  ttlAttribute: 'expiresAt',
} as const;

/** Runs/models table: single-table design, pk + sk. */
export const RUNS_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** pk of a training run item: RUN#<runId>, sk = RUN */
  runPk: (runId: string) => `RUN#${runId}`,
  runSk: 'RUN',
  /** pk of a model version item: MODEL#<version>, sk = MODEL. Version = runId/modelName. */
  modelPk: (version: string) => `MODEL#${version}`,
  modelSk: 'MODEL',
  /** The served-model pointer. */
  servedPk: 'MODEL#served',
  servedSk: 'POINTER',
  /** GSI listing items by type (RUN | MODEL), newest first by createdAt. */
  typeIndex: 'byType',
  typeAttribute: 'type',
  createdAtAttribute: 'createdAt',
} as const;

/** Row status values in the features table. DELETED = tombstone of a removed object (keeps its sequencer; never training data). */
export const FEATURE_STATUS = { OK: 'OK', ERROR: 'ERROR', DELETED: 'DELETED' } as const;
export type FeatureStatus = (typeof FEATURE_STATUS)[keyof typeof FEATURE_STATUS];

/** Training run status values. */
export const RUN_STATUS = { PENDING: 'PENDING', RUNNING: 'RUNNING', SUCCEEDED: 'SUCCEEDED', FAILED: 'FAILED' } as const;
export type RunStatus = (typeof RUN_STATUS)[keyof typeof RUN_STATUS];

/** The four course models (artifact folder names). */
export const MODEL_NAMES = ['perceptron', 'mlp', 'mlp_tanh_adam', 'conv1d'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** A model version names one model of one run: `<runId>.<model>` (URL-safe; run ids contain no dot). */
export function modelVersion(runId: string, model: ModelName): string {
  return `${runId}.${model}`;
}

/** Inverse of modelVersion; undefined when the string is not a version. */
export function parseModelVersion(version: string): { runId: string; model: ModelName } | undefined {
  const dot = version.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const model = version.slice(dot + 1) as ModelName;
  return MODEL_NAMES.includes(model) ? { runId: version.slice(0, dot), model } : undefined;
}

/** State names of the training workflow; the local runner binds its task handlers by these names. */
export const WORKFLOW_STATE = {
  ASSEMBLE: 'Assemble',
  TRAIN: 'Train',
  REGISTER: 'Register',
  MARK_FAILED: 'MarkFailed',
} as const;

/** Environment the trainer (container entry point / Lambda variant) receives from the workflow. */
export const TRAINER_ENV = {
  RUN_ID: 'SER_RUN_ID',
  DATASET_PREFIX: 'SER_DATASET_PREFIX',
  /** JSON of TrainingParams. */
  PARAMS: 'SER_TRAIN_PARAMS',
} as const;
