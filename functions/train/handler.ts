/**
 * Train step as a Lambda (LocalStack variant: no ECS there). The workflow passes the container's three trainer
 * variables as the payload, under the same names; SER_BUCKET comes from the function's environment. Same code as
 * the container: runTrainer.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { readEnv } from '../../shared/env';
import { defaultClients } from '../../shared/store/clients';
import { runTrainer } from '../../shared/training/trainer';

const logger = new Logger({ serviceName: 'ser-train' });

export const handler = async (event: Record<string, string | undefined>): Promise<{ artifactPrefix: string; candidate: string; accuracy: number }> => {
  const { bucket } = readEnv(['bucket']);
  const job = readEnv(['runId', 'datasetPrefix', 'trainParams'], event);
  const { s3 } = defaultClients();
  const { metrics, artifactPrefix } = await runTrainer({ runId: job.runId, datasetPrefix: job.datasetPrefix, params: job.trainParams }, { s3, bucket, logger });
  const best = metrics.models.find((m) => m.model === metrics.candidate)!;
  return { artifactPrefix, candidate: metrics.candidate, accuracy: best.accuracy };
};
