/**
 * The Register step: read the trainer's metrics.json, record one version per model, promote the candidate (when it
 * is at least as accurate as the served model, or when forced), then mark the run SUCCEEDED. Marking comes last so a
 * failure anywhere before leaves the run RUNNING for MarkFailed, and a retry repeats only idempotent writes.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { readObjectText } from '../store/objects';
import { z } from 'zod';
import { ErrorCode, SerError } from '../errors';
import { MODEL_NAMES, modelVersion, PREFIX } from '../names';
import type { RunMetrics, TrainingParams } from '../types';
import type { RunsRepository } from '../store/runs';

/** s3 prefix of a run's model artifacts: models/<runId>/ */
export function artifactPrefix(runId: string): string {
  return `${PREFIX.MODELS}${runId}/`;
}

export const METRICS_FILE = 'metrics.json';

const unit = z.number().min(0).max(1);

/** The fields of RunMetrics the registry relies on (the rest passes through untouched). */
export const RunMetricsSchema = z
  .looseObject({
    runId: z.string(),
    candidate: z.enum(MODEL_NAMES),
    models: z
      .array(z.looseObject({ model: z.enum(MODEL_NAMES), accuracy: unit, macroF1: unit, trainSeconds: z.number().min(0) }))
      .min(1),
  })
  .refine((m) => m.models.some((x) => x.model === m.candidate), { message: 'candidate must be one of the models', path: ['candidate'] });

export interface RegisterResult {
  /** Version of the run's candidate: <runId>.<model>. */
  candidate: string;
  /** Candidate's test accuracy, 0-1. */
  accuracy: number;
  promoted: boolean;
  /** Version served after this step (the candidate, or the better one already served). */
  served: string;
}

async function readMetrics(s3: S3Client, bucket: string, runId: string): Promise<RunMetrics> {
  const key = artifactPrefix(runId) + METRICS_FILE;
  const text = await readObjectText(s3, bucket, key);
  if (text === undefined) {
    throw new SerError(ErrorCode.TRAINING_FAILED, `The trainer wrote no s3://${bucket}/${key}`, { suggestion: "Check the Train step's logs." });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new SerError(ErrorCode.TRAINING_FAILED, `s3://${bucket}/${key} is not JSON`, { cause });
  }
  const parsed = RunMetricsSchema.safeParse(json);
  if (!parsed.success) {
    throw new SerError(ErrorCode.TRAINING_FAILED, `s3://${bucket}/${key} is not valid run metrics: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  if (parsed.data.runId !== runId) throw new SerError(ErrorCode.TRAINING_FAILED, `s3://${bucket}/${key} belongs to run ${parsed.data.runId}, not ${runId}`);
  return parsed.data as unknown as RunMetrics;
}

/** Register a trained run (see module doc). */
export async function registerRun(input: {
  s3: S3Client;
  runs: RunsRepository;
  bucket: string;
  runId: string;
  params: Pick<TrainingParams, 'force'>;
  now?: Date;
}): Promise<RegisterResult> {
  const { runs, runId } = input;
  const now = input.now ?? new Date();
  const metrics = await readMetrics(input.s3, input.bucket, runId);
  const prefix = artifactPrefix(runId);
  const versions = await runs.putModelVersions(runId, metrics.models, prefix, now);
  const candidate = versions.find((v) => v.version === modelVersion(runId, metrics.candidate))!;
  const promotion = await runs.promote(candidate, { force: input.params.force ?? false, now });
  await runs.markSucceeded(
    runId,
    {
      metrics: metrics.models.map((m) => ({ model: m.model, accuracy: m.accuracy, macroF1: m.macroF1, trainSeconds: m.trainSeconds })),
      candidate: candidate.version,
      promoted: promotion.promoted,
      artifactPrefix: prefix,
    },
    now,
  );
  return { candidate: candidate.version, accuracy: candidate.accuracy, promoted: promotion.promoted, served: promotion.served.version };
}
