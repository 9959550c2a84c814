/**
 * Parse a POST /predict request into what the predictor needs: where the audio is (the body or an S3 key), the
 * optional metadata the caller gave, and a file name that may carry RAVDESS labels. Validation with zod at the
 * boundary; every rejection is a RequestError with a stable code.
 */
import { z } from 'zod';
import { ErrorCode, RequestError } from '../errors';
import type { HttpRequest } from './http';

/** Route served by the predict function. */
export const PREDICT_PATH = '/predict';

/** Content types accepted as a raw WAV body. */
export const WAV_CONTENT_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave', 'application/octet-stream'] as const;

export type AudioSource = { kind: 'body'; bytes: Uint8Array } | { kind: 's3'; key: string };

export interface PredictRequest {
  audio: AudioSource;
  /** 0 normal, 1 strong — when the caller gave it. */
  intensity?: 0 | 1;
  /** 1 male, 0 female — when the caller gave it. */
  male?: 0 | 1;
  /** A file name that may be RAVDESS-shaped (s3Key, `filename` query parameter or Content-Disposition). */
  fileName?: string;
}

export interface RequestLimits {
  /** Largest accepted request body, bytes. */
  maxBodyBytes: number;
}

const intensity = z.enum(['normal', 'strong']);
const sex = z.enum(['male', 'female']);
const metadataFields = { intensity: intensity.optional(), sex: sex.optional(), filename: z.string().min(1).max(1024).optional() };

const querySchema = z.strictObject(metadataFields);
const jsonBodySchema = z.strictObject({ s3Key: z.string().min(1).max(1024), ...metadataFields });

type Metadata = z.infer<typeof querySchema>;

function invalid(message: string, suggestion?: string): RequestError {
  return new RequestError(ErrorCode.INVALID_REQUEST, message, suggestion ? { suggestion } : {});
}

function issuesMessage(where: string, error: z.ZodError): string {
  const parts = error.issues.map((i) => {
    const at = i.path.length ? i.path.join('.') : where;
    if (i.code === 'unrecognized_keys') return `unknown ${where} field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${at}: ${i.message}`;
  });
  return `Invalid ${where}: ${parts.join('; ')}`;
}

const USAGE =
  'Send the WAV as the body with Content-Type audio/wav, or JSON {"s3Key": "audio/…wav"}; optional intensity=normal|strong, sex=male|female, filename=<RAVDESS name>.';

/** Media type without parameters, lower-cased ('' when absent). */
function mediaType(headers: Record<string, string>): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** File name from a Content-Disposition header (filename*=UTF-8''… or filename="…"). */
export function contentDispositionFileName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:[\w-]+)?'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      /* fall through to the plain parameter */
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
  return plain ? (plain[1] ?? plain[2])!.replace(/\\(.)/g, '$1') : undefined;
}

function mergeMetadata(fromQuery: Metadata, fromBody: Metadata): Metadata {
  const merged: Metadata = { ...fromQuery };
  for (const key of ['intensity', 'sex', 'filename'] as const) {
    const b = fromBody[key];
    if (b === undefined) continue;
    if (merged[key] !== undefined && merged[key] !== b) throw invalid(`"${key}" is "${merged[key]}" in the query but "${b}" in the body`);
    (merged as Record<string, string>)[key] = b;
  }
  return merged;
}

function looksLikeJson(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x7b; // '{'
  }
  return false;
}

/**
 * Validate a request to POST /predict.
 * @throws RequestError NOT_FOUND (other path), METHOD_NOT_ALLOWED, PAYLOAD_TOO_LARGE (body > limits.maxBodyBytes),
 *   UNSUPPORTED_MEDIA_TYPE, INVALID_REQUEST (empty body, bad JSON, bad parameters).
 */
export function parsePredictRequest(request: HttpRequest, limits: RequestLimits): PredictRequest {
  const path = request.path.replace(/\/+$/, '') || '/';
  if (path !== PREDICT_PATH) {
    throw new RequestError(ErrorCode.NOT_FOUND, `No route ${request.method} ${request.path}`, { suggestion: `POST ${PREDICT_PATH} with a WAV body.` });
  }
  if (request.method !== 'POST') {
    throw new RequestError(ErrorCode.METHOD_NOT_ALLOWED, `${request.method} is not allowed on ${PREDICT_PATH}`, { suggestion: `Use POST ${PREDICT_PATH}.` });
  }
  const query = querySchema.safeParse(request.query);
  if (!query.success) throw invalid(issuesMessage('query', query.error), USAGE);

  const body = request.body;
  if (!body || body.byteLength === 0) throw invalid('The request has no body', USAGE);
  if (body.byteLength > limits.maxBodyBytes) {
    throw new RequestError(ErrorCode.PAYLOAD_TOO_LARGE, `The body is ${body.byteLength} bytes; the limit is ${limits.maxBodyBytes} bytes`, {
      suggestion: 'Upload the file to the bucket and send JSON {"s3Key": "…"} instead.',
    });
  }

  const type = mediaType(request.headers);
  const isJson = type === 'application/json' || type.endsWith('+json') || (type === '' && looksLikeJson(body));
  let metadata: Metadata;
  let audio: AudioSource;
  if (isJson) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    } catch {
      throw invalid('The body is not valid JSON', USAGE);
    }
    const fields = jsonBodySchema.safeParse(parsed);
    if (!fields.success) throw invalid(issuesMessage('body', fields.error), USAGE);
    const { s3Key, ...rest } = fields.data;
    metadata = mergeMetadata(query.data, rest);
    audio = { kind: 's3', key: s3Key };
  } else if (type === '' || (WAV_CONTENT_TYPES as readonly string[]).includes(type)) {
    metadata = query.data;
    audio = { kind: 'body', bytes: body };
  } else {
    throw new RequestError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `Content-Type ${type} is not supported`, {
      suggestion: `Send a WAV (${WAV_CONTENT_TYPES.join(', ')}) or application/json {"s3Key": "…"}.`,
    });
  }

  const fileName = metadata.filename ?? contentDispositionFileName(request.headers['content-disposition']) ?? (audio.kind === 's3' ? audio.key : undefined);
  return {
    audio,
    ...(metadata.intensity ? { intensity: metadata.intensity === 'strong' ? 1 : 0 } : {}),
    ...(metadata.sex ? { male: metadata.sex === 'male' ? 1 : 0 } : {}),
    ...(fileName ? { fileName } : {}),
  };
}
