/**
 * `ser train [--wait] [--epochs N] [--split random|actor] [--test-actors 1,2] [--seed N] [--force]` — start a training
 * run through the REST API (POST /training-runs); with --wait, poll GET /training-runs/{id} until it ends.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { SerError, ErrorCode } from '../../shared/errors';
import { RUN_STATUS } from '../../shared/names';
import type { RunItem, TrainingParams } from '../../shared/types';
import { handleError } from '../handle-error';
import { callApi } from '../local/api-client';
import { formatRun } from '../local/format';
import { resolveTarget, withTargetOptions, type Target, type TargetFlags } from '../local/target';

export const trainOptionsSchema = z.object({
  epochs: z.coerce.number().int().min(1).max(10_000).optional(),
  split: z.enum(['random', 'actor']).optional(),
  testActors: z.array(z.coerce.number().int().min(1).max(24)).optional(),
  seed: z.coerce.number().int().optional(),
  force: z.boolean().optional(),
  models: z.array(z.string()).optional(),
});
export type TrainOptions = z.input<typeof trainOptionsSchema>;

/** Starts a run; resolves to the run as the API returned it (at least runId and status). */
export async function startTraining(target: Target, options: TrainOptions): Promise<RunItem> {
  const params = trainOptionsSchema.parse(options) as Partial<TrainingParams>;
  const body = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
  return callApi<RunItem>(target, { method: 'POST', path: '/training-runs', json: body });
}

export async function getRun(target: Target, runId: string): Promise<RunItem> {
  return callApi<RunItem>(target, { method: 'GET', path: `/training-runs/${encodeURIComponent(runId)}` });
}

/** Polls until the run is SUCCEEDED or FAILED. @param intervalMs poll interval, ms */
export async function waitForRun(target: Target, runId: string, onChange?: (run: RunItem) => void, intervalMs = 1000, timeoutMs = 6 * 3600_000): Promise<RunItem> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const run = await getRun(target, runId);
    if (run.status !== last) {
      last = run.status;
      onChange?.(run);
    }
    if (run.status === RUN_STATUS.SUCCEEDED || run.status === RUN_STATUS.FAILED) return run;
    if (Date.now() > deadline) throw new SerError(ErrorCode.TRAINING_FAILED, `Run ${runId} did not finish within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

export function trainCommand(): Command {
  return withTargetOptions(
    new Command('train')
      .description('start a training run (Assemble → Train → Register) through the API')
      .option('--epochs <n>', 'epochs per model (default: the API default, 250)')
      .option('--split <mode>', 'random | actor')
      .option('--test-actors <list>', 'actors held out when --split actor, e.g. 19,20', list)
      .option('--seed <n>', 'split/initialisation seed')
      .option('--models <list>', 'subset of perceptron,mlp,mlp_tanh_adam,conv1d', list)
      .option('--force', 'promote the candidate even if it is worse than the served model')
      .option('--wait', 'wait until the run ends and print its metrics', false),
  ).action(async (flags: TargetFlags & { epochs?: string; split?: string; testActors?: string[]; seed?: string; models?: string[]; force?: boolean; wait: boolean }) => {
    try {
      const target = await resolveTarget(flags);
      const run = await startTraining(target, { epochs: flags.epochs, split: flags.split as 'random', testActors: flags.testActors, seed: flags.seed, force: flags.force, models: flags.models });
      process.stdout.write(`started run ${run.runId} (${run.status}) on ${target.description}\n`);
      if (!flags.wait) return;
      const done = await waitForRun(target, run.runId, (r) => process.stderr.write(`  ${r.runId}: ${r.status}\n`));
      process.stdout.write(formatRun(done));
      if (done.status !== RUN_STATUS.SUCCEEDED) process.exitCode = 1;
    } catch (e) {
      handleError(e);
    }
  });
}
