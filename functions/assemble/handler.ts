/**
 * Assemble (first state of the training workflow): WorkflowInput → mark the run RUNNING → features table →
 * s3://bucket/datasets/<runId>/{train.csv,test.csv,manifest.json} → `{prefix, trainCount, testCount, skipped}`
 * (ResultPath $.dataset). Domain errors leave as errors named by their code (e.g. NOT_ENOUGH_DATA) for MarkFailed.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { assembleDataset, type AssembleResult } from '../../shared/dataset/assemble';
import { readEnv } from '../../shared/env';
import { WorkflowInputSchema } from '../../shared/registry/params';
import { toTaskError } from '../../shared/registry/task-failure';
import { once } from '../../shared/once';
import { parseTaskInput } from '../../shared/registry/workflow-task';
import { defaultClients } from '../../shared/store/clients';
import type { FeatureScanOptions } from '../../shared/store/feature-scan';
import { RunsRepository } from '../../shared/store/runs';

export interface AssembleDeps {
  s3: S3Client;
  doc: DynamoDBDocumentClient;
  runs: RunsRepository;
  bucket: string;
  featuresTable: string;
  logger: Logger;
  scan?: FeatureScanOptions;
}

export function assembleDepsFromEnv(): AssembleDeps {
  const env = readEnv(['bucket', 'featuresTable', 'runsTable']);
  const { s3, doc } = defaultClients();
  return { s3, doc, runs: new RunsRepository(doc, env.runsTable), bucket: env.bucket, featuresTable: env.featuresTable, logger: new Logger({ serviceName: 'ser-assemble' }) };
}

export function createAssembleHandler(deps: AssembleDeps | (() => AssembleDeps)) {
  const get = once(deps);
  return async (event: unknown, context?: Context): Promise<AssembleResult> => {
    const { s3, doc, runs, bucket, featuresTable, logger, scan } = get();
    if (context) logger.addContext(context);
    try {
      const { runId, params } = parseTaskInput(WorkflowInputSchema, event, 'Assemble');
      logger.appendKeys({ runId });
      await runs.markRunning(runId);
      const { result, manifest } = await assembleDataset({ s3, doc, bucket, featuresTable, runId, params, scan });
      await runs.recordDataset(runId, result);
      logger.info('dataset assembled', { ...result, split: manifest.split, snapshotTime: manifest.snapshotTime });
      return result;
    } catch (error) {
      logger.error('assembly failed', { error: error as Error });
      throw toTaskError(error);
    }
  };
}

export const handler = createAssembleHandler(assembleDepsFromEnv);
