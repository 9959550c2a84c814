/**
 * The HTTP shape the predict function speaks, independent of API Gateway: a request with lower-cased headers and
 * raw body bytes, a response with a JSON body. Also the one mapping from domain errors to HTTP status codes.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ErrorCode, SerError, isSerError } from '../errors';

export interface HttpRequest {
  method: string;
  path: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  query: Record<string, string>;
  /** Raw body bytes (base64 already decoded); undefined when there is no body. */
  body?: Uint8Array;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Status of every error code the predict API can answer; anything unknown is a 500. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.INVALID_REQUEST]: 400,
  [ErrorCode.MISSING_METADATA]: 400,
  [ErrorCode.INVALID_RAVDESS_NAME]: 400,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.FILE_TOO_LARGE]: 413,
  [ErrorCode.TOO_LONG]: 413,
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 415,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.METHOD_NOT_ALLOWED]: 405,
  [ErrorCode.NO_MODEL]: 503,
  // The rest of the audio codes: the upload is not audio we can analyse.
  [ErrorCode.NOT_RIFF_WAVE]: 400,
  [ErrorCode.TRUNCATED_HEADER]: 400,
  [ErrorCode.TRUNCATED_DATA]: 400,
  [ErrorCode.DATA_SIZE_EXCEEDS_FILE]: 400,
  [ErrorCode.MISSING_FMT_CHUNK]: 400,
  [ErrorCode.MISSING_DATA_CHUNK]: 400,
  [ErrorCode.UNSUPPORTED_ENCODING]: 400,
  [ErrorCode.INVALID_FORMAT]: 400,
  [ErrorCode.INVALID_SAMPLE_RATE]: 400,
  [ErrorCode.NO_SAMPLES]: 400,
  [ErrorCode.TOO_SHORT]: 400,
  [ErrorCode.NON_FINITE_SAMPLES]: 400,
};

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

/** HTTP status for an error code (500 for codes that are not the caller's doing). */
export function statusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code] ?? 500;
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/**
 * Turn any thrown value into a JSON error response `{code, message, suggestion?}`. Domain errors keep their code and
 * message; anything else becomes a 500 INTERNAL whose message does not leak internals.
 */
export function errorResponse(error: unknown): HttpResponse {
  if (isSerError(error)) {
    const headers: Record<string, string> = error.code === ErrorCode.METHOD_NOT_ALLOWED ? { allow: 'POST' } : {};
    return jsonResponse(statusForCode(error.code), error.toJSON(), headers);
  }
  const internal = new SerError(ErrorCode.INTERNAL, 'The prediction failed because of an internal error', {
    suggestion: 'Retry; if it persists, check the function logs.',
  });
  return jsonResponse(500, internal.toJSON());
}

/** API Gateway (REST v1 proxy) event → HttpRequest; binary bodies arrive base64-encoded (isBase64Encoded). */
export function fromApiGatewayEvent(event: APIGatewayProxyEvent): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) query[k] = v;
  let body: Uint8Array | undefined;
  if (event.body !== null && event.body !== undefined) {
    // A view on the decoded Buffer, not a copy (a 3.5 s WAV is ~330 KB); small Buffers share Node's pool, hence the offset.
    const decoded = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
    body = new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength);
  }
  return { method: event.httpMethod.toUpperCase(), path: event.path, headers, query, body };
}

export function toApiGatewayResult(response: HttpResponse): APIGatewayProxyResult {
  return { statusCode: response.status, headers: response.headers, body: response.body };
}
