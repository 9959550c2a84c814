/**
 * MarkFailed (every task's Catch): `{runId, …, error: {Error, Cause}}` → the run FAILED with `{code, message}`.
 * A run already finished is left alone (a late failure report never overwrites a result); the workflow then ends in
 * its Fail state either way.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { readEnv } from '../../shared/env';
import { RUN_ID_PATTERN } from '../../shared/registry/params';
import { describeTaskFailure, type RunFailure } from '../../shared/registry/task-failure';
import { once } from '../../shared/once';
import { parseTaskInput } from '../../shared/registry/workflow-task';
import { defaultClients } from '../../shared/store/clients';
import { RunsRepository } from '../../shared/store/runs';

export interface MarkFailedDeps {
  runs: RunsRepository;
  logger: Logger;
}

const MarkFailedInput = z.object({
  runId: z.string().regex(RUN_ID_PATTERN),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

export function markFailedDepsFromEnv(): MarkFailedDeps {
  const env = readEnv(['runsTable']);
  return { runs: new RunsRepository(defaultClients().doc, env.runsTable), logger: new Logger({ serviceName: 'ser-mark-failed' }) };
}

export function createMarkFailedHandler(deps: MarkFailedDeps | (() => MarkFailedDeps)) {
  const get = once(deps);
  return async (event: unknown, context?: Context): Promise<{ runId: string; marked: boolean; error: RunFailure }> => {
    const { runs, logger } = get();
    if (context) logger.addContext(context);
    const { runId, error } = parseTaskInput(MarkFailedInput, event, 'MarkFailed');
    const failure = describeTaskFailure(error);
    const marked = await runs.markFailed(runId, failure);
    if (marked) logger.info('run marked failed', { runId, ...failure });
    else logger.warn('run not marked failed: missing or already finished', { runId, ...failure });
    return { runId, marked, error: failure };
  };
}

export const handler = createMarkFailedHandler(markFailedDepsFromEnv);
