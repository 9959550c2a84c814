/**
 * Predict Lambda (POST /predict behind API Gateway REST v1): API Gateway event → HttpRequest → parsePredictRequest
 * → predictor (shared/predict) → JSON response; every error → its status and `{code, message, suggestion?}`.
 * The predictor (pointer cache, model cache) lives across invocations of a warm container.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { readEnv } from '../../shared/env';
import { isSerError } from '../../shared/errors';
import {
  createBucketPredictor,
  errorResponse,
  fromApiGatewayEvent,
  jsonResponse,
  LAMBDA_PAYLOAD_LIMIT_BYTES,
  parsePredictRequest,
  toApiGatewayResult,
  type Predictor,
  type WarmOptions,
} from '../../shared/predict';
import { defaultClients } from '../../shared/store/clients';
import { once } from '../../shared/once';

export interface PredictDeps {
  predictor: Predictor;
  logger: Logger;
  /** Largest request body, bytes. */
  maxBodyBytes: number;
}

/** A handler bound to its predictor (tests and the embedded local stack build their own). */
export function createPredictHandler(deps: PredictDeps | (() => PredictDeps)) {
  const get = once(deps);
  const handle = async (event: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult> => {
    let current: PredictDeps;
    try {
      current = get();
    } catch (error) {
      // Configuration problems: logged to stderr (no logger yet) and answered 500 INVALID_CONFIG.
      console.error('predict function is misconfigured', error);
      return toApiGatewayResult(errorResponse(error));
    }
    const { predictor, logger, maxBodyBytes } = current;
    if (context) logger.addContext(context);
    try {
      const request = parsePredictRequest(fromApiGatewayEvent(event), { maxBodyBytes });
      return toApiGatewayResult(jsonResponse(200, await predictor.predict(request)));
    } catch (error) {
      const response = errorResponse(error);
      if (response.status >= 500 && !(isSerError(error) && response.status === 503)) logger.error('prediction failed', { error: error as Error });
      else logger.info('request refused', { status: response.status, code: isSerError(error) ? error.code : undefined });
      return toApiGatewayResult(response);
    }
  };
  /** Load the served model now and warm the extractor (resolves to the version, or undefined when none is served). */
  const warm = async (options?: WarmOptions): Promise<string | undefined> => get().predictor.warm(options);
  return Object.assign(handle, { warm });
}

/** Config, clients and predictor from the environment; the served model starts loading during init. */
export function predictDepsFromEnv(): PredictDeps {
  const env = readEnv(['bucket', 'runsTable', 'modelPointerTtlSeconds', 'maxFileBytes']);
  const logger = new Logger({ serviceName: 'ser-predict' });
  const { s3, doc } = defaultClients();
  const predictor = createBucketPredictor({
    s3,
    doc,
    bucket: env.bucket,
    runsTable: env.runsTable,
    pointerTtlSeconds: env.modelPointerTtlSeconds,
    maxAudioBytes: env.maxFileBytes,
    onStalePointer: (error) => logger.warn('served pointer refresh failed; keeping the previous one', { error: error as Error }),
  });
  return { predictor, logger, maxBodyBytes: Math.min(env.maxFileBytes, LAMBDA_PAYLOAD_LIMIT_BYTES) };
}

/** The Lambda entry point: config, clients and predictor are created once per container. */
export const handler = createPredictHandler(predictDepsFromEnv);

// Inside Lambda, load the served model (and warm the extractor) during the init phase, awaited at the top level of
// this ES module: the first request finds everything ready, and with provisioned concurrency no request pays for it.
// Elsewhere (tests, local stack) nothing happens at import. A failure here (no model yet, S3 down) is retried by the
// first request, which then answers it.
if (process.env.AWS_LAMBDA_FUNCTION_NAME) await handler.warm().catch(() => undefined);
