/**
 * TrainingParams at the boundary: the body of POST /training-runs, the trainer's SER_TRAIN_PARAMS, `ser train` flags.
 * One zod schema so every entry point applies the same defaults and limits.
 */
import { z } from 'zod';
import { MODEL_NAMES } from '../names';
import type { TrainingParams, WorkflowInput } from '../types';

/** Defaults of a training run (the course: 250 epochs, seed 42, stratified random 80/20 split). */
export const DEFAULT_TRAINING_PARAMS = { epochs: 250, split: 'random', seed: 42 } as const;
export const MAX_EPOCHS = 1000;

const actor = z.number().int().min(1).max(24);

export const TrainingParamsSchema = z
  .strictObject({
    epochs: z.number().int().min(1).max(MAX_EPOCHS).default(DEFAULT_TRAINING_PARAMS.epochs),
    split: z.enum(['random', 'actor']).default(DEFAULT_TRAINING_PARAMS.split),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(DEFAULT_TRAINING_PARAMS.seed),
    testActors: z
      .array(actor)
      .min(1)
      .refine((a) => new Set(a).size === a.length, 'testActors must not repeat an actor')
      .optional(),
    force: z.boolean().optional(),
    models: z
      .array(z.enum(MODEL_NAMES))
      .min(1)
      .refine((m) => new Set(m).size === m.length, 'models must not repeat a model')
      .optional(),
  })
  .refine((p) => p.testActors === undefined || p.split === 'actor', {
    message: 'testActors only applies to split "actor"',
    path: ['testActors'],
  });

/** Run ids: run-YYYYMMDD-HHMMSS-xxxxxx (also the Step Functions execution name; no dots). */
export const RUN_ID_PATTERN = /^run-\d{8}-\d{6}-[0-9a-z]{6}$/;

export const WorkflowInputSchema = z.object({
  runId: z.string().regex(RUN_ID_PATTERN, 'runId must look like run-YYYYMMDD-HHMMSS-xxxxxx'),
  params: TrainingParamsSchema,
});

/** Parse TrainingParams (defaults applied). Throws the zod error; callers map it to their error type. */
export function parseTrainingParams(input: unknown): TrainingParams {
  return TrainingParamsSchema.parse(input ?? {}) as TrainingParams;
}

/** Parse a workflow input (a state's input may carry more fields: they are ignored). */
export function parseWorkflowInput(input: unknown): WorkflowInput {
  return WorkflowInputSchema.parse(input) as WorkflowInput;
}

/** One line per zod issue: `path: message` — for error messages users read. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`).join('; ');
}
