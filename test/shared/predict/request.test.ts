import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentDispositionFileName, parsePredictRequest } from '../../../shared/predict/request';
import type { HttpRequest } from '../../../shared/predict/http';
import { ErrorCode, RequestError } from '../../../shared/errors';

const LIMITS = { maxBodyBytes: 1000 };
const WAV = new Uint8Array([0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4]);
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

function req(over: Partial<HttpRequest>): HttpRequest {
  return { method: 'POST', path: '/predict', headers: { 'content-type': 'audio/wav' }, query: {}, body: WAV, ...over };
}

function rejects(r: HttpRequest, code: string, message?: RegExp) {
  assert.throws(
    () => parsePredictRequest(r, LIMITS),
    (e: unknown) => e instanceof RequestError && e.code === code && (!message || message.test(e.message)),
  );
}

test('parses a WAV body with query metadata and a filename', () => {
  const got = parsePredictRequest(req({ query: { intensity: 'strong', sex: 'female', filename: '03-01-05-02-01-01-02.wav' } }), LIMITS);
  assert.deepEqual(got, { audio: { kind: 'body', bytes: WAV }, intensity: 1, male: 0, fileName: '03-01-05-02-01-01-02.wav' });
});

test('parses JSON {s3Key} with JSON metadata and uses the key as the file name', () => {
  const got = parsePredictRequest(req({ headers: { 'content-type': 'application/json; charset=utf-8' }, body: json({ s3Key: 'audio/a/03-01-01-01-01-01-01.wav', sex: 'male' }) }), LIMITS);
  assert.deepEqual(got, { audio: { kind: 's3', key: 'audio/a/03-01-01-01-01-01-01.wav' }, male: 1, fileName: 'audio/a/03-01-01-01-01-01-01.wav' });
});

test('takes the file name from Content-Disposition', () => {
  const got = parsePredictRequest(req({ headers: { 'content-type': 'audio/x-wav', 'content-disposition': 'attachment; filename="03-01-02-01-01-01-03.wav"' } }), LIMITS);
  assert.equal(got.fileName, '03-01-02-01-01-01-03.wav');
  assert.equal(contentDispositionFileName("attachment; filename*=UTF-8''caf%C3%A9.wav"), 'café.wav');
  assert.equal(contentDispositionFileName('inline; filename=plain.wav'), 'plain.wav');
  assert.equal(contentDispositionFileName(undefined), undefined);
});

test('sniffs JSON and WAV bodies without a content type', () => {
  assert.equal(parsePredictRequest(req({ headers: {}, body: json({ s3Key: 'k.wav' }) }), LIMITS).audio.kind, 's3');
  assert.equal(parsePredictRequest(req({ headers: {} }), LIMITS).audio.kind, 'body');
});

test('answers NOT_FOUND for another path and METHOD_NOT_ALLOWED for another method', () => {
  rejects(req({ path: '/predictions' }), ErrorCode.NOT_FOUND);
  rejects(req({ method: 'GET' }), ErrorCode.METHOD_NOT_ALLOWED);
  assert.equal(parsePredictRequest(req({ path: '/predict/' }), LIMITS).audio.kind, 'body');
});

test('refuses a body over the limit with PAYLOAD_TOO_LARGE', () => {
  rejects(req({ body: new Uint8Array(LIMITS.maxBodyBytes + 1) }), ErrorCode.PAYLOAD_TOO_LARGE, /1001 bytes/);
});

test('refuses a non-WAV content type with UNSUPPORTED_MEDIA_TYPE', () => {
  rejects(req({ headers: { 'content-type': 'audio/mpeg' } }), ErrorCode.UNSUPPORTED_MEDIA_TYPE, /audio\/mpeg/);
  rejects(req({ headers: { 'content-type': 'text/plain' } }), ErrorCode.UNSUPPORTED_MEDIA_TYPE);
});

test('refuses empty bodies, bad JSON, unknown fields and bad values with INVALID_REQUEST', () => {
  rejects(req({ body: undefined }), ErrorCode.INVALID_REQUEST, /no body/);
  rejects(req({ body: new Uint8Array(0) }), ErrorCode.INVALID_REQUEST);
  rejects(req({ headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode('{nope') }), ErrorCode.INVALID_REQUEST, /not valid JSON/);
  rejects(req({ headers: { 'content-type': 'application/json' }, body: json({ key: 'x' }) }), ErrorCode.INVALID_REQUEST, /s3Key|"key"/);
  rejects(req({ query: { intensity: 'loud' } }), ErrorCode.INVALID_REQUEST, /intensity/);
  rejects(req({ query: { sexe: 'male' } }), ErrorCode.INVALID_REQUEST, /"sexe"/);
  rejects(
    req({ headers: { 'content-type': 'application/json' }, query: { sex: 'male' }, body: json({ s3Key: 'k', sex: 'female' }) }),
    ErrorCode.INVALID_REQUEST,
    /sex/,
  );
});
