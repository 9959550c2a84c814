/**
 * The REST API on http://127.0.0.1:PORT: the stack's routes (infra/constructs/api.ts ROUTES) turned into API Gateway
 * REST v1 proxy events for the real predict and control handlers. Like API Gateway: binary media types arrive
 * base64-encoded, bodies over 10 MB get 413, unknown routes 404 and known routes with another method 405 (JSON
 * bodies `{code, message}`). The stage prefix (/v1) is optional so deployed and local base URLs both work.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { API_STAGE, BINARY_MEDIA_TYPES, ROUTES } from '../../infra/constructs/api';
import { ErrorCode } from '../../shared/errors';
import { localLambdaContext, type LambdaHandler } from './lambda-context';

/** API Gateway's payload limit, bytes. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export type ProxyHandler = LambdaHandler<APIGatewayProxyEvent, APIGatewayProxyResult>;

interface Route {
  method: string;
  resource: string;
  pattern: RegExp;
  params: string[];
  target: keyof typeof ROUTES;
}

const ROUTE_TABLE: Route[] = (Object.entries(ROUTES) as [keyof typeof ROUTES, readonly (readonly [string, string])[]][]).flatMap(([target, routes]) =>
  routes.map(([method, resource]) => {
    const params = [...resource.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const pattern = new RegExp(`^${resource.replace(/\{\w+\}/g, '([^/]+)')}/?$`);
    return { method, resource, pattern, params, target };
  }),
);

export interface HttpApiOptions {
  port?: number;
  /** Handler per route target; loaded lazily so a missing function only breaks its own routes. */
  handlers: Record<keyof typeof ROUTES, () => Promise<ProxyHandler>>;
  log?: (line: string) => void;
}

export interface HttpApi {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startHttpApi(options: HttpApiOptions): Promise<HttpApi> {
  const server = createServer((req, res) => {
    handle(req, res, options).catch((e) => {
      options.log?.(`[api] ${req.method} ${req.url} crashed: ${(e as Error).stack ?? e}`);
      sendJson(res, 502, { code: ErrorCode.INTERNAL, message: 'Internal server error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: HttpApiOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname.replace(new RegExp(`^/${API_STAGE}(?=/)`), '');
  const method = (req.method ?? 'GET').toUpperCase();
  const matches = ROUTE_TABLE.map((route) => ({ route, m: route.pattern.exec(path) })).filter((x) => x.m);
  if (!matches.length) return sendJson(res, 404, { code: ErrorCode.NOT_FOUND, message: `No route ${method} ${path}` });
  const hit = matches.find((x) => x.route.method === method);
  if (!hit) {
    res.setHeader('allow', matches.map((x) => x.route.method).join(', '));
    return sendJson(res, 405, { code: ErrorCode.METHOD_NOT_ALLOWED, message: `${method} is not allowed on ${path}` });
  }
  const body = await readBody(req);
  if (body === undefined) return sendJson(res, 413, { code: ErrorCode.PAYLOAD_TOO_LARGE, message: `Request body exceeds ${MAX_PAYLOAD_BYTES} bytes (the API Gateway limit)` });

  const event = toProxyEvent(req, url, path, hit.route, hit.m!, body);
  const started = Date.now();
  const handler = await options.handlers[hit.route.target]();
  const result = await handler(event, localLambdaContext(`ser-local-${hit.route.target}`, 30_000));
  options.log?.(`[api] ${method} ${path} → ${result.statusCode} (${Date.now() - started} ms)`);
  for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, String(v));
  for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) res.setHeader(k, v.map(String));
  res.statusCode = result.statusCode;
  res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

/** Reads the body; undefined when it exceeds the payload limit. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_PAYLOAD_BYTES) {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) {
      req.resume();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** An API Gateway REST (v1) Lambda proxy event for one request. */
export function toProxyEvent(req: IncomingMessage, url: URL, path: string, route: Route, match: RegExpExecArray, body: Buffer): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const pathParameters = route.params.length ? Object.fromEntries(route.params.map((p, i) => [p, decodeURIComponent(match[i + 1]!)])) : null;
  const contentType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const binary = (BINARY_MEDIA_TYPES as readonly string[]).includes(contentType);
  const now = Date.now();
  return {
    resource: route.resource,
    path,
    httpMethod: route.method,
    headers,
    multiValueHeaders,
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
    pathParameters,
    stageVariables: null,
    body: body.length ? (binary ? body.toString('base64') : body.toString('utf8')) : null,
    isBase64Encoded: binary && body.length > 0,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      resourceId: 'local',
      resourcePath: route.resource,
      httpMethod: route.method,
      path: `/${API_STAGE}${path}`,
      stage: API_STAGE,
      requestId: randomUUID(),
      requestTimeEpoch: now,
      protocol: `HTTP/${req.httpVersion}`,
      authorizer: null,
      identity: {
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: String(req.headers['user-agent'] ?? ''),
        apiKey: String(req.headers['x-api-key'] ?? '') || null,
        accessKey: null, accountId: null, apiKeyId: null, caller: null, clientCert: null, cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null, cognitoIdentityId: null, cognitoIdentityPoolId: null, principalOrgId: null, user: null, userArn: null,
      },
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}
