/**
 * Extractor Lambda: SQS batch of S3 event notifications → one features row per object key.
 * Thin adapter: validate each SQS record (zod) → shared/ingest processMessage → Powertools partial batch response.
 * Bad uploads become ERROR rows (the record succeeds); transient failures fail only their record (SQS retries it,
 * then the dead-letter queue takes it).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { readEnv } from '../../shared/env';
import { isSerError } from '../../shared/errors';
import { processMessage, type IngestClients, type IngestEnv, type RecordOutcome } from '../../shared/ingest/process-record';
import { defaultClients } from '../../shared/store/clients';
import { once } from '../../shared/once';

const SqsRecordSchema = z.object({ messageId: z.string().min(1), body: z.string() });

export interface ExtractDeps {
  clients: IngestClients;
  env: IngestEnv;
  logger: Logger;
}

/** A handler bound to its clients/config/logger (tests and the embedded local stack build their own). */
export function createExtractHandler(deps: ExtractDeps | (() => ExtractDeps)) {
  const get = once(deps);
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const { clients, env, logger } = get();
    if (context) logger.addContext(context);
    const processor = new BatchProcessor(EventType.SQS);
    const recordHandler = async (record: SQSRecord): Promise<RecordOutcome[]> => {
      const { messageId, body } = SqsRecordSchema.parse(record);
      try {
        return await processMessage(clients, env, body, { logger });
      } catch (error) {
        logger.error('ingest record failed; SQS will retry it', {
          messageId,
          code: isSerError(error) ? error.code : (error as { name?: string }).name,
          error: error as Error,
        });
        throw error;
      }
    };
    // A batch where every record failed is reported as such (not thrown): SQS retries exactly those records.
    return processPartialResponse(event, recordHandler, processor, { ...(context ? { context } : {}), throwOnFullBatchFailure: false });
  };
}

/** The Lambda entry point: clients and config are created once per container, on the first event. */
export const handler = createExtractHandler(() => ({
  clients: defaultClients(),
  env: readEnv(['featuresTable', 'maxFileBytes']),
  logger: new Logger({ serviceName: 'ser-extract' }),
}));
