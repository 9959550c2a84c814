/**
 * Control API (API Gateway REST v1 proxy): routes → operations in shared/registry/control → JSON responses.
 *   POST /training-runs                 202 run (PENDING, executionArn)
 *   GET  /training-runs                 200 {runs, next?}
 *   GET  /training-runs/{id}            200 run | 404 NOT_FOUND
 *   GET  /models                        200 {served, models, next?}
 *   POST /models/{version}/promote      200 {promoted, served, previous?} | 404 NOT_FOUND
 * Every error is `{code, message, suggestion?}`: 400 bad input, 404 unknown, 405 wrong method, 409 conflict,
 * 502 when Step Functions refuses to start, 500 only for our own faults.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { readEnv } from '../../shared/env';
import { ErrorCode, RequestError, SerError, isSerError } from '../../shared/errors';
import { fromApiGatewayEvent, jsonResponse, statusForCode, toApiGatewayResult, type HttpRequest, type HttpResponse } from '../../shared/predict/http';
import { getRun, listModels, listRuns, promoteVersion, startRunFromBody, type ControlDeps } from '../../shared/registry/control';
import { sfnStarter } from '../../shared/registry/start-run';
import { once } from '../../shared/once';
import { defaultClients } from '../../shared/store/clients';
import { RunsRepository } from '../../shared/store/runs';

export interface ControlHandlerDeps extends ControlDeps {
  logger: Logger;
}

export function controlDepsFromEnv(): ControlHandlerDeps {
  const env = readEnv(['runsTable', 'stateMachineArn']);
  const { doc, sfn } = defaultClients();
  return { runs: new RunsRepository(doc, env.runsTable), starter: sfnStarter(sfn, env.stateMachineArn), logger: new Logger({ serviceName: 'ser-control' }) };
}

type Route = {
  /** Matches the request path (any base path before it is ignored); groups are URL-decoded parameters. */
  pattern: RegExp;
  methods: Record<string, (deps: ControlDeps, request: HttpRequest, params: string[]) => Promise<HttpResponse>>;
};

const ROUTES: Route[] = [
  {
    pattern: /\/training-runs$/,
    methods: {
      POST: async (deps, req) => jsonResponse(202, await startRunFromBody(deps, req.body && Buffer.from(req.body).toString('utf8'))),
      GET: async (deps, req) => jsonResponse(200, await listRuns(deps, req.query)),
    },
  },
  { pattern: /\/training-runs\/([^/]+)$/, methods: { GET: async (deps, _req, [id]) => jsonResponse(200, await getRun(deps, id!)) } },
  { pattern: /\/models$/, methods: { GET: async (deps, req) => jsonResponse(200, await listModels(deps, req.query)) } },
  { pattern: /\/models\/([^/]+)\/promote$/, methods: { POST: async (deps, _req, [version]) => jsonResponse(200, await promoteVersion(deps, version!)) } },
];

/** Status for control-API errors: the shared mapping plus the codes only this API answers. */
const CONTROL_STATUS: Partial<Record<string, number>> = { [ErrorCode.CONFLICT]: 409, [ErrorCode.WORKFLOW_START_FAILED]: 502 };

function errorResponse(error: unknown): HttpResponse {
  if (isSerError(error)) {
    const headers: Record<string, string> = error instanceof MethodNotAllowed ? { allow: error.allow.join(', ') } : {};
    return jsonResponse(CONTROL_STATUS[error.code] ?? statusForCode(error.code), error.toJSON(), headers);
  }
  return jsonResponse(500, new SerError(ErrorCode.INTERNAL, 'The request failed because of an internal error', { suggestion: 'Retry; if it persists, check the function logs.' }).toJSON());
}

class MethodNotAllowed extends RequestError {
  constructor(
    method: string,
    readonly allow: string[],
  ) {
    super(ErrorCode.METHOD_NOT_ALLOWED, `${method} is not allowed here`, { suggestion: `Use ${allow.join(' or ')}.` });
  }
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RequestError(ErrorCode.INVALID_REQUEST, 'The path is not valid URL encoding', { suggestion: 'Percent-encode path segments.' });
  }
}

/** Route one request (exported for tests and the embedded HTTP API). */
export async function routeControlRequest(deps: ControlDeps, request: HttpRequest): Promise<HttpResponse> {
  const path = request.path.length > 1 ? request.path.replace(/\/+$/, '') : request.path;
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const run = route.methods[request.method];
    if (!run) throw new MethodNotAllowed(request.method, Object.keys(route.methods));
    return run(deps, request, match.slice(1).map(decode));
  }
  throw new RequestError(ErrorCode.NOT_FOUND, `No route ${request.method} ${request.path}`, {
    suggestion: 'Routes: POST/GET /training-runs, GET /training-runs/{id}, GET /models, POST /models/{version}/promote.',
  });
}

export function createControlHandler(deps: ControlHandlerDeps | (() => ControlHandlerDeps)) {
  const get = once(deps);
  return async (event: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult> => {
    let current: ControlHandlerDeps;
    try {
      current = get();
    } catch (error) {
      console.error('control function is misconfigured', error);
      return toApiGatewayResult(errorResponse(error));
    }
    const { logger } = current;
    if (context) logger.addContext(context);
    try {
      const response = await routeControlRequest(current, fromApiGatewayEvent(event));
      logger.info('request served', { method: event.httpMethod, path: event.path, status: response.status });
      return toApiGatewayResult(response);
    } catch (error) {
      const response = errorResponse(error);
      if (response.status >= 500) logger.error('request failed', { method: event.httpMethod, path: event.path, error: error as Error });
      else logger.info('request refused', { method: event.httpMethod, path: event.path, status: response.status, code: isSerError(error) ? error.code : undefined });
      return toApiGatewayResult(response);
    }
  };
}

export const handler = createControlHandler(controlDepsFromEnv);
