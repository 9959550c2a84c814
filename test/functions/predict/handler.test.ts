import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import * as tf from '@tensorflow/tfjs';
import { startLocalServers, type LocalServers } from '../../../cli/local/servers';
import { createPredictHandler } from '../../../functions/predict/handler';
import { EMOTIONS } from '../../../shared/config';
import { buildInputs } from '../../../shared/dataset/inputs';
import { applyMinMax } from '../../../shared/dataset/scaler';
import { ErrorCode } from '../../../shared/errors';
import { createBucketPredictor, LAMBDA_PAYLOAD_LIMIT_BYTES } from '../../../shared/predict';
import { loadClips, predictEvent, preprocessingFor, publishModel, type Clip, type Published } from './fixtures';

const silent = new Logger({ logLevel: 'SILENT' });

function handlerFor(servers: LocalServers, options: { ttlSeconds?: number; maxAudioBytes?: number; now?: () => number } = {}) {
  const predictor = createBucketPredictor({
    ...(options.now ? { now: options.now } : {}),
    s3: servers.clients.s3,
    doc: servers.clients.doc,
    bucket: servers.names.bucket,
    runsTable: servers.names.runsTable,
    pointerTtlSeconds: options.ttlSeconds ?? 60,
    maxAudioBytes: options.maxAudioBytes ?? 100 * 1024 * 1024,
  });
  return { predictor, handler: createPredictHandler({ predictor, logger: silent, maxBodyBytes: LAMBDA_PAYLOAD_LIMIT_BYTES }) };
}

/** The trainer's model's probabilities for a clip, on the row built by the assembly's own fill + scale. */
function trainerProbabilities(published: Published, clip: Clip): Float32Array {
  const { preprocessing, model } = published;
  const raw = buildInputs({ ...clip.features, intensity: clip.labels.intensity, male: clip.labels.male }).subarray(0, preprocessing.columns.length);
  const row = applyMinMax(raw, preprocessing.scaler);
  const shape = model.inputs[0]!.shape.slice(1) as number[];
  return tf.tidy(() => (model.predict(tf.tensor(row, [1, ...shape])) as tf.Tensor).dataSync() as Float32Array).slice();
}

const parse = (r: { statusCode: number; body: string }) => ({ status: r.statusCode, body: JSON.parse(r.body) });

let servers: LocalServers;
let clips: Clip[];

before(async () => {
  servers = await startLocalServers();
  clips = loadClips();
});
after(async () => servers.close());

describe('predict handler against the local S3 and DynamoDB', () => {
  test('answers 503 NO_MODEL before any model is promoted', async () => {
    const { handler } = handlerFor(servers);
    const res = parse(await handler(predictEvent({ body: clips[0]!.bytes, contentType: 'audio/wav' })));
    assert.equal(res.status, 503);
    assert.equal(res.body.code, ErrorCode.NO_MODEL);
    assert.ok(res.body.suggestion);
  });

  for (const name of ['mlp', 'conv1d'] as const) {
    test(`predicts like the trainer's ${name} for every real clip (same argmax, probabilities within 1e-5)`, async () => {
      const published = await publishModel(servers, `run-20240101-00000${name === 'mlp' ? 1 : 2}-aaaaaa`, name, preprocessingFor(clips), { seed: 11 });
      const { handler, predictor } = handlerFor(servers);
      for (const clip of clips) {
        const res = parse(await handler(predictEvent({ body: clip.bytes, contentType: 'audio/wav', headers: { 'Content-Disposition': `attachment; filename="${clip.name}"` } })));
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const expected = trainerProbabilities(published, clip);
        const got = EMOTIONS.map((e) => res.body.probabilities[e] as number);
        let argmax = 0;
        expected.forEach((p, i) => (p > expected[argmax]! ? (argmax = i) : undefined));
        assert.equal(res.body.label, argmax, clip.name);
        assert.equal(res.body.emotion, EMOTIONS[argmax]);
        for (let i = 0; i < EMOTIONS.length; i++) assert.ok(Math.abs(got[i]! - expected[i]!) <= 1e-5, `${clip.name} ${EMOTIONS[i]}: ${got[i]} vs ${expected[i]}`);
        assert.equal(res.body.modelVersion, published.version);
        assert.deepEqual(res.body.inputs, { intensity: clip.labels.intensity, male: clip.labels.male, source: { intensity: 'filename', male: 'filename' }, audio: 'body' });
      }
      assert.equal(predictor.models.loads, 1);
    });
  }

  test('reads audio by s3Key, taking metadata from the key and the request', async () => {
    await publishModel(servers, 'run-20240101-000003-aaaaaa', 'mlp', preprocessingFor(clips), { seed: 3 });
    const { handler } = handlerFor(servers);
    const clip = clips[3]!;
    const key = `audio/actor/${clip.name}`;
    await servers.clients.s3.send(new PutObjectCommand({ Bucket: servers.names.bucket, Key: key, Body: clip.bytes }));
    const res = parse(await handler(predictEvent({ body: JSON.stringify({ s3Key: key, sex: clip.labels.male ? 'female' : 'male' }), contentType: 'application/json' })));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.inputs, { intensity: clip.labels.intensity, male: clip.labels.male ? 0 : 1, source: { intensity: 'filename', male: 'request' }, audio: 's3' });
    assert.equal(Object.keys(res.body.probabilities).length, 8);
    assert.ok(Math.abs(Object.values(res.body.probabilities as Record<string, number>).reduce((a, b) => a + b, 0) - 1) < 1e-5);
  });

  test('serves a model that needs no metadata and says so', async () => {
    const published = await publishModel(servers, 'run-20240101-000004-aaaaaa', 'perceptron', preprocessingFor(clips, false), { seed: 4 });
    const { handler } = handlerFor(servers);
    const clip = clips[5]!;
    const res = parse(await handler(predictEvent({ body: clip.bytes, contentType: 'audio/wav' })));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.inputs, { intensity: null, male: null, source: { intensity: 'not-needed', male: 'not-needed' }, audio: 'body' });
    const expected = trainerProbabilities(published, clip);
    EMOTIONS.forEach((e, i) => assert.ok(Math.abs(res.body.probabilities[e] - expected[i]!) <= 1e-5));
  });

  test('answers every user mistake with its status and code, never 500', async () => {
    await publishModel(servers, 'run-20240101-000005-aaaaaa', 'mlp', preprocessingFor(clips), { seed: 5 });
    const { handler } = handlerFor(servers, { maxAudioBytes: 1000 });
    const wav = clips[0]!.bytes;
    await servers.clients.s3.send(new PutObjectCommand({ Bucket: servers.names.bucket, Key: 'audio/big/03-01-01-01-01-01-01.wav', Body: wav }));
    const cases: [string, Parameters<typeof predictEvent>[0], number, string][] = [
      ['not a WAV', { body: new TextEncoder().encode('ID3 this is an mp3'), contentType: 'audio/wav', query: { intensity: 'normal', sex: 'male' } }, 400, ErrorCode.NOT_RIFF_WAVE],
      ['truncated WAV', { body: wav.subarray(0, 30), contentType: 'audio/wav', query: { intensity: 'normal', sex: 'male' } }, 400, ErrorCode.TRUNCATED_HEADER],
      ['truncated WAV without metadata: the audio error comes first', { body: wav.subarray(0, 30), contentType: 'audio/wav', query: { filename: 'my-voice.wav' } }, 400, ErrorCode.TRUNCATED_HEADER],
      ['non-WAV content type', { body: wav, contentType: 'audio/mpeg' }, 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE],
      ['body over the Lambda payload limit', { body: new Uint8Array(LAMBDA_PAYLOAD_LIMIT_BYTES + 1), contentType: 'audio/wav' }, 413, ErrorCode.PAYLOAD_TOO_LARGE],
      ['s3Key over the size limit', { body: JSON.stringify({ s3Key: 'audio/big/03-01-01-01-01-01-01.wav' }), contentType: 'application/json' }, 413, ErrorCode.FILE_TOO_LARGE],
      ['wrong route', { body: wav, contentType: 'audio/wav', path: '/predictions' }, 404, ErrorCode.NOT_FOUND],
      ['wrong method', { method: 'GET' }, 405, ErrorCode.METHOD_NOT_ALLOWED],
      ['missing metadata, no RAVDESS name', { body: wav, contentType: 'audio/wav', query: { filename: 'my-voice.wav' } }, 400, ErrorCode.MISSING_METADATA],
      ['impossible RAVDESS name', { body: wav, contentType: 'audio/wav', query: { filename: '03-01-09-01-01-01-01.wav' } }, 400, ErrorCode.INVALID_RAVDESS_NAME],
      ['unknown s3Key', { body: JSON.stringify({ s3Key: 'audio/nope/03-01-01-01-01-01-01.wav' }), contentType: 'application/json' }, 404, ErrorCode.NOT_FOUND],
      ['bad JSON', { body: '{"s3Key": ', contentType: 'application/json' }, 400, ErrorCode.INVALID_REQUEST],
      ['bad parameter', { body: wav, contentType: 'audio/wav', query: { sex: 'other' } }, 400, ErrorCode.INVALID_REQUEST],
      ['empty body', { contentType: 'audio/wav' }, 400, ErrorCode.INVALID_REQUEST],
    ];
    for (const [what, event, status, code] of cases) {
      const res = await handler(predictEvent(event));
      const body = JSON.parse(res.body);
      assert.equal(res.statusCode, status, `${what}: ${res.body}`);
      assert.equal(body.code, code, what);
      assert.equal(typeof body.message, 'string', what);
      assert.match(String(res.headers!['content-type']), /application\/json/);
    }
    const missing = JSON.parse((await handler(predictEvent({ body: wav, contentType: 'audio/wav', query: { sex: 'male' } }))).body);
    assert.match(missing.message, /needs intensity/);
    assert.doesNotMatch(missing.message, /sex/);
  });

  test('sees a promotion after the pointer TTL, not before', async () => {
    const first = await publishModel(servers, 'run-20240101-000006-aaaaaa', 'mlp', preprocessingFor(clips), { seed: 6 });
    // A fake clock: the machine's load must not decide whether the TTL has passed.
    let clock = 1_000_000;
    const { handler } = handlerFor(servers, { ttlSeconds: 5, now: () => clock });
    const event = predictEvent({ body: clips[1]!.bytes, contentType: 'audio/wav', query: { intensity: 'normal', sex: 'female' } });
    assert.equal(parse(await handler(event)).body.modelVersion, first.version);
    const second = await publishModel(servers, 'run-20240101-000007-aaaaaa', 'perceptron', preprocessingFor(clips), { seed: 7 });
    assert.equal(parse(await handler(event)).body.modelVersion, first.version, 'still cached within the TTL');
    clock += 4_900;
    assert.equal(parse(await handler(event)).body.modelVersion, first.version, 'still cached just before the TTL');
    clock += 200;
    assert.equal(parse(await handler(event)).body.modelVersion, second.version, 'served after the TTL');
  });

  test('loads a model once for concurrent cold requests', async () => {
    await publishModel(servers, 'run-20240101-000008-aaaaaa', 'conv1d', preprocessingFor(clips), { seed: 8 });
    const { handler, predictor } = handlerFor(servers);
    const event = predictEvent({ body: clips[2]!.bytes, contentType: 'audio/wav', query: { intensity: 'strong', sex: 'male' } });
    const results = await Promise.all(Array.from({ length: 10 }, () => handler(event)));
    assert.deepEqual(new Set(results.map((r) => r.statusCode)), new Set([200]));
    assert.equal(new Set(results.map((r) => r.body)).size, 1);
    assert.equal(predictor.models.loads, 1);
  });
});
