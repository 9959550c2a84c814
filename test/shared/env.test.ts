import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MODEL_POINTER_TTL_SECONDS, envName, readEnv } from '../../shared/env';
import { ENV, TRAINER_ENV } from '../../shared/names';

test('reads only the requested subset, typed, with defaults', () => {
  const env = readEnv(['bucket', 'runsTable', 'modelPointerTtlSeconds'], { [ENV.BUCKET]: 'b', [ENV.RUNS_TABLE]: 'runs' });
  assert.deepEqual(env, { bucket: 'b', runsTable: 'runs', modelPointerTtlSeconds: DEFAULT_MODEL_POINTER_TTL_SECONDS });
});

test('throws INVALID_CONFIG naming every missing or malformed variable at once', () => {
  assert.throws(
    () => readEnv(['bucket', 'featuresTable', 'stateMachineArn', 'modelPointerTtlSeconds'], { [ENV.BUCKET]: '', [ENV.STATE_MACHINE_ARN]: 'nope', [ENV.MODEL_POINTER_TTL_SECONDS]: 'x' }),
    (e: any) =>
      e.code === 'INVALID_CONFIG' &&
      e.message.includes('SER_BUCKET is not set') &&
      e.message.includes('SER_FEATURES_TABLE is not set') &&
      e.message.includes('SER_STATE_MACHINE_ARN') &&
      e.message.includes('SER_MODEL_POINTER_TTL_SECONDS') &&
      typeof e.suggestion === 'string',
  );
});

test('parses the trainer params JSON with the TrainingParams defaults', () => {
  const env = readEnv(['trainParams', 'runId'], { [TRAINER_ENV.PARAMS]: '{"epochs":3}', [TRAINER_ENV.RUN_ID]: 'run-20240101-000000-abcdef' });
  assert.deepEqual(env.trainParams, { epochs: 3, split: 'random', seed: 42 });
  assert.throws(() => readEnv(['trainParams'], { [TRAINER_ENV.PARAMS]: '{"epochs":0}' }), /SER_TRAIN_PARAMS epochs/);
  assert.throws(() => readEnv(['trainParams'], { [TRAINER_ENV.PARAMS]: 'not json' }), /SER_TRAIN_PARAMS is not JSON/);
});

test('names the variable behind each key', () => {
  assert.equal(envName('bucket'), 'SER_BUCKET');
  assert.equal(envName('datasetPrefix'), 'SER_DATASET_PREFIX');
});
