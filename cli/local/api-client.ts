/** The REST API as the CLI uses it: JSON in and out, errors `{code, message, suggestion}` → SerError. */
import { ConfigError, ErrorCode, SerError, type ErrorCode as Code } from '../../shared/errors';
import type { Target } from './target';

export interface ApiRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | undefined>;
  json?: unknown;
  body?: Uint8Array;
  contentType?: string;
}

export async function callApi<T>(target: Target, request: ApiRequest): Promise<T> {
  if (!target.apiUrl) throw new ConfigError('No API URL for this stack', { suggestion: 'Pass --api-url or --stack NAME.' });
  const url = new URL(`${target.apiUrl}${request.path}`);
  for (const [k, v] of Object.entries(request.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.apiKey) headers['x-api-key'] = target.apiKey;
  let body: string | Uint8Array | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.body) {
    headers['content-type'] = request.contentType ?? 'application/octet-stream';
    body = request.body;
  }
  let response: Response;
  try {
    response = await fetch(url, { method: request.method, headers, body });
  } catch (e) {
    throw new SerError(ErrorCode.INTERNAL, `Cannot reach ${url.origin}: ${(e as Error).message}`, {
      cause: e,
      suggestion: target.kind === 'local' ? 'Is the local stack still running? (`ser local up`)' : 'Check --api-url / --stack and your network.',
    });
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = { message: text };
  }
  if (!response.ok) {
    const e = (parsed ?? {}) as { code?: string; message?: string; suggestion?: string };
    const code = (e.code && e.code in ErrorCode ? e.code : ErrorCode.INTERNAL) as Code;
    throw new SerError(code, `${request.method} ${request.path} → HTTP ${response.status}: ${e.message ?? text}`, e.suggestion ? { suggestion: e.suggestion } : {});
  }
  return parsed as T;
}
