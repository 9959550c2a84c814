import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { MAX_PAYLOAD_BYTES, startHttpApi } from '../../../cli/local/http-api';

/** A handler that answers with the event it received, so the test sees exactly what API Gateway would pass. */
const echo = async () => async (event: APIGatewayProxyEvent) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });

test('turns requests into REST v1 proxy events and answers 404/405/413 like API Gateway', async () => {
  const api = await startHttpApi({ handlers: { predict: echo, control: echo } });
  try {
    const got = await fetch(`${api.url}/v1/training-runs/run-1?x=1&x=2`);
    const event = (await got.json()) as APIGatewayProxyEvent;
    assert.equal(event.resource, '/training-runs/{id}');
    assert.deepEqual(event.pathParameters, { id: 'run-1' });
    assert.deepEqual(event.multiValueQueryStringParameters, { x: ['1', '2'] });
    assert.equal(event.requestContext.stage, 'v1');
    assert.equal(event.body, null);

    const wav = new Uint8Array([82, 73, 70, 70, 0, 255]);
    const posted = (await (await fetch(`${api.url}/predict?sex=male`, { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: wav })).json()) as APIGatewayProxyEvent;
    assert.equal(posted.isBase64Encoded, true);
    assert.deepEqual([...Buffer.from(posted.body!, 'base64')], [...wav]);
    assert.deepEqual(posted.queryStringParameters, { sex: 'male' });

    const json = (await (await fetch(`${api.url}/training-runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"epochs":2}' })).json()) as APIGatewayProxyEvent;
    assert.equal(json.isBase64Encoded, false);
    assert.equal(json.body, '{"epochs":2}');

    const missing = await fetch(`${api.url}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { code: string }).code, 'NOT_FOUND');
    const wrongMethod = await fetch(`${api.url}/predict`);
    assert.equal(wrongMethod.status, 405);
    assert.equal(((await wrongMethod.json()) as { code: string }).code, 'METHOD_NOT_ALLOWED');
    const big = await fetch(`${api.url}/predict`, { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: new Uint8Array(MAX_PAYLOAD_BYTES + 1) });
    assert.equal(big.status, 413);
    assert.equal(((await big.json()) as { code: string }).code, 'PAYLOAD_TOO_LARGE');
  } finally {
    await api.close();
  }
});
