/**
 * One error base class with a stable `code`. Branch on `code`, never on message text.
 * Add new codes to ErrorCode (append only: codes are stored in DynamoDB rows and returned by the API).
 */
export const ErrorCode = {
  // audio input (user mistakes → 4xx, ERROR rows, no retry)
  NOT_RIFF_WAVE: 'NOT_RIFF_WAVE',
  TRUNCATED_HEADER: 'TRUNCATED_HEADER',
  TRUNCATED_DATA: 'TRUNCATED_DATA',
  DATA_SIZE_EXCEEDS_FILE: 'DATA_SIZE_EXCEEDS_FILE',
  MISSING_FMT_CHUNK: 'MISSING_FMT_CHUNK',
  MISSING_DATA_CHUNK: 'MISSING_DATA_CHUNK',
  UNSUPPORTED_ENCODING: 'UNSUPPORTED_ENCODING',
  INVALID_FORMAT: 'INVALID_FORMAT',
  INVALID_SAMPLE_RATE: 'INVALID_SAMPLE_RATE',
  NO_SAMPLES: 'NO_SAMPLES',
  TOO_SHORT: 'TOO_SHORT',
  NON_FINITE_SAMPLES: 'NON_FINITE_SAMPLES',
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  TOO_LONG: 'TOO_LONG',
  INVALID_RAVDESS_NAME: 'INVALID_RAVDESS_NAME',
  // ingest events (malformed queue message → retried, then dead-letter queue)
  INVALID_EVENT: 'INVALID_EVENT',
  // requests
  INVALID_REQUEST: 'INVALID_REQUEST',
  MISSING_METADATA: 'MISSING_METADATA',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  NO_MODEL: 'NO_MODEL',
  CONFLICT: 'CONFLICT',
  /** The training workflow could not be started (Step Functions refused or was unreachable). */
  WORKFLOW_START_FAILED: 'WORKFLOW_START_FAILED',
  // training / data
  NOT_ENOUGH_DATA: 'NOT_ENOUGH_DATA',
  INVALID_DATASET: 'INVALID_DATASET',
  TRAINING_FAILED: 'TRAINING_FAILED',
  // configuration
  INVALID_CONFIG: 'INVALID_CONFIG',
  INTERNAL: 'INTERNAL',
  // command line (usage mistakes → exit code 2)
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface SerErrorOptions {
  cause?: unknown;
  /** What the user can do about it. */
  suggestion?: string;
}

/** Base of every domain error: a stable code, a human message, an optional suggestion. */
export class SerError extends Error {
  readonly code: ErrorCode;
  readonly suggestion?: string;
  constructor(code: ErrorCode, message: string, options: SerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.suggestion = options.suggestion;
  }
  toJSON(): { code: ErrorCode; message: string; suggestion?: string } {
    return { code: this.code, message: this.message, ...(this.suggestion ? { suggestion: this.suggestion } : {}) };
  }
}

/** The upload is not audio we can analyse (bad/truncated/exotic WAV, out of limits). Never retried. */
export class AudioError extends SerError {}

/** A file name that looks like RAVDESS but has an impossible field. */
export class InvalidRavdessNameError extends SerError {
  constructor(message: string, options: SerErrorOptions = {}) {
    super(ErrorCode.INVALID_RAVDESS_NAME, message, options);
  }
}

/** A request that cannot be served as sent (bad body, missing metadata, …). */
export class RequestError extends SerError {}

/** There is no trained model to serve yet. */
export class NoModelError extends SerError {
  constructor(message = 'No model has been trained and promoted yet', options: SerErrorOptions = {}) {
    super(ErrorCode.NO_MODEL, message, { suggestion: 'Upload labelled WAVs and start a training run (POST /training-runs or `ser train`).', ...options });
  }
}

/** The data is not fit for training (too few rows, one class, …). */
export class DatasetError extends SerError {}

/** Configuration or environment is missing or wrong. */
export class ConfigError extends SerError {
  constructor(message: string, options: SerErrorOptions = {}) {
    super(ErrorCode.INVALID_CONFIG, message, options);
  }
}

export function isSerError(e: unknown): e is SerError {
  return e instanceof SerError;
}
