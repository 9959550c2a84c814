/**
 * Register (after Train): `{runId, params, dataset}` → read models/<runId>/metrics.json → one version item per model
 * → promote the candidate when its accuracy ≥ the served one's (or params.force) → run SUCCEEDED →
 * `{candidate, accuracy, promoted, served}` (ResultPath $.result).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { readEnv } from '../../shared/env';
import { WorkflowInputSchema } from '../../shared/registry/params';
import { registerRun, type RegisterResult } from '../../shared/registry/register';
import { toTaskError } from '../../shared/registry/task-failure';
import { once } from '../../shared/once';
import { parseTaskInput } from '../../shared/registry/workflow-task';
import { defaultClients } from '../../shared/store/clients';
import { RunsRepository } from '../../shared/store/runs';

export interface RegisterDeps {
  s3: S3Client;
  runs: RunsRepository;
  bucket: string;
  logger: Logger;
}

export function registerDepsFromEnv(): RegisterDeps {
  const env = readEnv(['bucket', 'runsTable']);
  const { s3, doc } = defaultClients();
  return { s3, runs: new RunsRepository(doc, env.runsTable), bucket: env.bucket, logger: new Logger({ serviceName: 'ser-register' }) };
}

export function createRegisterHandler(deps: RegisterDeps | (() => RegisterDeps)) {
  const get = once(deps);
  return async (event: unknown, context?: Context): Promise<RegisterResult> => {
    const { s3, runs, bucket, logger } = get();
    if (context) logger.addContext(context);
    try {
      const { runId, params } = parseTaskInput(WorkflowInputSchema, event, 'Register');
      logger.appendKeys({ runId });
      const result = await registerRun({ s3, runs, bucket, runId, params });
      logger.info('run registered', { ...result });
      return result;
    } catch (error) {
      logger.error('registration failed', { error: error as Error });
      throw toTaskError(error);
    }
  };
}

export const handler = createRegisterHandler(registerDepsFromEnv);
