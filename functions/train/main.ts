/**
 * Trainer container entry point (ECS Fargate task; locally a child process of the workflow runner).
 * Env: SER_BUCKET, SER_RUN_ID, SER_DATASET_PREFIX, SER_TRAIN_PARAMS (JSON TrainingParams). Logs JSON lines
 * (Powertools logger) with one line per epoch; exits 1 with the error's code and message on failure.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { readEnv } from '../../shared/env';
import { isSerError } from '../../shared/errors';
import { defaultClients } from '../../shared/store/clients';
import { runTrainer } from '../../shared/training/trainer';

const logger = new Logger({ serviceName: 'ser-train' });

async function main(): Promise<void> {
  const env = readEnv(['bucket', 'runId', 'datasetPrefix', 'trainParams']);
  const { s3 } = defaultClients();
  const result = await runTrainer({ runId: env.runId, datasetPrefix: env.datasetPrefix, params: env.trainParams }, { s3, bucket: env.bucket, logger });
  logger.info('trainer done', { runId: env.runId, artifactPrefix: result.artifactPrefix, candidate: result.metrics.candidate });
  s3.destroy();
}

main().catch((error: unknown) => {
  const code = isSerError(error) ? error.code : 'TRAINING_FAILED';
  logger.error('trainer failed', { code, error: error as Error, ...(isSerError(error) && error.suggestion ? { suggestion: error.suggestion } : {}) });
  process.stderr.write(`ser-train: ${code}: ${(error as Error).message ?? String(error)}\n`);
  process.exit(1);
});
