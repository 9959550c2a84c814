/**
 * The one typed reader of the process environment. Each entry point asks for the subset it needs
 * (`readEnv(['bucket', 'runsTable'])`) once at start-up; a missing or malformed variable fails loudly with a
 * ConfigError naming every bad variable, instead of a late `undefined` deep inside the logic.
 */
import { z } from 'zod';
import { DEFAULT_FEATURE_CONFIG } from './config';
import { ConfigError } from './errors';
import { ENV, TRAINER_ENV } from './names';
import { TrainingParamsSchema, describeZodError } from './registry/params';
import type { TrainingParams } from './types';

/** Default seconds the predict function caches the served-model pointer. */
export const DEFAULT_MODEL_POINTER_TTL_SECONDS = 5;

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Everything the functions and the trainer may read, with the variable that holds it. */
const FIELDS = {
  /** S3 bucket of audio, datasets and models (SER_BUCKET). */
  bucket: { name: ENV.BUCKET, schema: nonEmpty },
  /** Features table name (SER_FEATURES_TABLE). */
  featuresTable: { name: ENV.FEATURES_TABLE, schema: nonEmpty },
  /** Runs/models table name (SER_RUNS_TABLE). */
  runsTable: { name: ENV.RUNS_TABLE, schema: nonEmpty },
  /** Training state machine ARN (SER_STATE_MACHINE_ARN). */
  stateMachineArn: { name: ENV.STATE_MACHINE_ARN, schema: nonEmpty.regex(/^arn:[^:]+:states:/, 'must be a Step Functions state machine ARN') },
  /** Seconds the served-model pointer is cached (SER_MODEL_POINTER_TTL_SECONDS), default 5 (a promotion is served within seconds). */
  modelPointerTtlSeconds: { name: ENV.MODEL_POINTER_TTL_SECONDS, schema: z.coerce.number().int().min(0).default(DEFAULT_MODEL_POINTER_TTL_SECONDS) },
  /** Largest upload the extractor accepts, bytes (SER_MAX_FILE_BYTES), default the feature config's. */
  maxFileBytes: { name: ENV.MAX_FILE_BYTES, schema: positiveInt(DEFAULT_FEATURE_CONFIG.maxFileBytes) },
  /** Run id in the trainer (SER_RUN_ID). */
  runId: { name: TRAINER_ENV.RUN_ID, schema: nonEmpty },
  /** Dataset prefix in the trainer (SER_DATASET_PREFIX), e.g. datasets/<runId>/. */
  datasetPrefix: { name: TRAINER_ENV.DATASET_PREFIX, schema: nonEmpty },
  /** TrainingParams in the trainer (SER_TRAIN_PARAMS, JSON), defaults applied. */
  trainParams: { name: TRAINER_ENV.PARAMS, schema: z.string().transform(parseParamsJson) },
} as const;

function parseParamsJson(text: string, ctx: z.RefinementCtx): TrainingParams {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not JSON' });
    return z.NEVER;
  }
  const parsed = TrainingParamsSchema.safeParse(json);
  if (!parsed.success) {
    ctx.addIssue({ code: 'custom', message: describeZodError(parsed.error) });
    return z.NEVER;
  }
  return parsed.data as TrainingParams;
}

type Fields = typeof FIELDS;
/** The typed configuration: one property per known variable. */
export type SerEnv = { [K in keyof Fields]: z.output<Fields[K]['schema']> };
export type EnvKey = keyof SerEnv;

/** Every known key, for `readEnv(ENV_KEYS)`-style full reads and docs. */
export const ENV_KEYS = Object.keys(FIELDS) as EnvKey[];

/** The variable name behind a key (e.g. `envName('bucket')` = 'SER_BUCKET'), for messages and infra. */
export function envName(key: EnvKey): string {
  return FIELDS[key].name;
}

/**
 * Read and validate the given keys from `source` (default process.env).
 * Throws ConfigError listing every missing/invalid variable at once.
 */
export function readEnv<K extends EnvKey>(keys: readonly K[], source: Record<string, string | undefined> = process.env): Pick<SerEnv, K> {
  const out: Partial<SerEnv> = {};
  const problems: string[] = [];
  for (const key of keys) {
    const { name, schema } = FIELDS[key];
    // An empty variable counts as unset: CDK/shell templates often leave '' behind.
    const raw = source[name] === '' ? undefined : source[name];
    const result = (schema as z.ZodType).safeParse(raw);
    if (result.success) (out as Record<string, unknown>)[key] = result.data;
    else problems.push(raw === undefined ? `${name} is not set` : `${name} ${result.error.issues.map((i) => i.message).join(', ')}`);
  }
  if (problems.length) {
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`, {
      suggestion: 'Deploy with the CDK stack (it sets these variables) or export them before running locally (`ser local up` prints them).',
    });
  }
  return out as Pick<SerEnv, K>;
}
