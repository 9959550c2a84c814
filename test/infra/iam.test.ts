import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { PREFIX } from '../../shared/names';
import { actionsOf, grants, roleStatements, synth, type Statement } from './synth';

const s = synth();
const bucket = s.logicalId(s.stack.storage.bucket);
const features = s.logicalId(s.stack.storage.featuresTable);
const runs = s.logicalId(s.stack.storage.runsTable);
const machine = s.logicalId(s.stack.training.stateMachine);

function statementsOf(fn: IFunction): Statement[] {
  return roleStatements(s, s.logicalId(fn.role!));
}

const DDB_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const DDB_READ = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'];
const S3_READ = ['s3:GetObject'];
const S3_WRITE = ['s3:PutObject', 's3:DeleteObject'];

/** Object-level S3 statements on one prefix of the pipeline bucket. */
const onPrefix = (prefix: string) => `/${prefix}*`;

function assertNoWildcardServiceActions(statements: Statement[], label: string) {
  for (const st of statements) for (const a of actionsOf(st)) assert.ok(!/^(s3|dynamodb|states|lambda|sqs):\*$/.test(a) && a !== '*', `${label}: ${a}`);
}

describe('least privilege per function', () => {
  it('extractor: reads audio/ and writes the features table — no models, datasets or runs table', () => {
    const st = statementsOf(s.stack.ingest.extractor.fn);
    assert.ok(grants(st, S3_READ, onPrefix(PREFIX.AUDIO)).length > 0);
    assert.ok(grants(st, DDB_WRITE, features).length > 0);
    assert.equal(grants(st, [...S3_READ, ...S3_WRITE], onPrefix(PREFIX.MODELS)).length, 0, 'cannot touch models');
    assert.equal(grants(st, [...S3_READ, ...S3_WRITE], onPrefix(PREFIX.DATASETS)).length, 0);
    assert.equal(grants(st, S3_WRITE, bucket).length, 0, 'never writes the bucket');
    assert.equal(grants(st, [...DDB_READ, ...DDB_WRITE], runs).length, 0);
    assert.ok(grants(st, ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], s.logicalId(s.stack.ingest.queue)).length > 0);
    assertNoWildcardServiceActions(st, 'extract');
  });

  it('predict: reads the served pointer, models/ and audio/ — cannot write anything nor see features', () => {
    const st = statementsOf(s.stack.api.predict.fn);
    assert.ok(grants(st, ['dynamodb:GetItem'], runs).length > 0);
    assert.ok(grants(st, S3_READ, onPrefix(PREFIX.MODELS)).length > 0);
    assert.equal(grants(st, [...DDB_READ, ...DDB_WRITE], features).length, 0, 'cannot read or write features');
    assert.equal(grants(st, DDB_WRITE, runs).length, 0, 'cannot change runs or the served pointer');
    assert.equal(grants(st, S3_WRITE, bucket).length, 0, 'cannot write the bucket');
    assert.equal(grants(st, ['states:StartExecution'], machine).length, 0);
    assertNoWildcardServiceActions(st, 'predict');
  });

  it('assemble: reads features, writes datasets/ and the run — never models/', () => {
    const st = statementsOf(s.stack.training.assemble.fn);
    assert.ok(grants(st, ['dynamodb:Scan', 'dynamodb:Query'], features).length > 0);
    assert.equal(grants(st, DDB_WRITE, features).length, 0, 'does not change features');
    assert.ok(grants(st, ['s3:PutObject'], onPrefix(PREFIX.DATASETS)).length > 0);
    assert.equal(grants(st, [...S3_READ, ...S3_WRITE], onPrefix(PREFIX.MODELS)).length, 0);
    assert.equal(grants(st, S3_READ, onPrefix(PREFIX.AUDIO)).length, 0, 'works from the table, not the audio');
  });

  it('register and mark-failed: update runs; only register reads models/; neither touches features', () => {
    const register = statementsOf(s.stack.training.register.fn);
    const markFailed = statementsOf(s.stack.training.markFailed.fn);
    assert.ok(grants(register, ['dynamodb:UpdateItem'], runs).length > 0);
    assert.ok(grants(register, S3_READ, onPrefix(PREFIX.MODELS)).length > 0);
    assert.equal(grants(register, S3_WRITE, bucket).length, 0);
    assert.ok(grants(markFailed, ['dynamodb:UpdateItem'], runs).length > 0);
    assert.equal(grants(markFailed, [...S3_READ, ...S3_WRITE], bucket).length, 0, 'mark-failed needs no S3');
    for (const st of [register, markFailed]) assert.equal(grants(st, [...DDB_READ, ...DDB_WRITE], features).length, 0);
  });

  it('control: starts and describes executions of this state machine only, manages runs, no S3', () => {
    const st = statementsOf(s.stack.api.control.fn);
    const start = grants(st, ['states:StartExecution'], machine);
    assert.equal(start.length, 1);
    assert.deepEqual(start[0].Resource, { Ref: machine });
    assert.ok(grants(st, ['states:DescribeExecution'], machine).length > 0);
    assert.ok(grants(st, ['dynamodb:UpdateItem'], runs).length > 0);
    assert.equal(grants(st, [...S3_READ, ...S3_WRITE], bucket).length, 0, 'no S3 at all');
    assert.equal(grants(st, [...DDB_READ, ...DDB_WRITE], features).length, 0);
  });

  it('trainer task role: reads datasets/ and writes models/ — nothing else', () => {
    const st = roleStatements(s, s.logicalId(s.stack.training.taskDefinition!.taskRole));
    assert.ok(grants(st, S3_READ, onPrefix(PREFIX.DATASETS)).length > 0);
    assert.ok(grants(st, ['s3:PutObject'], onPrefix(PREFIX.MODELS)).length > 0);
    assert.equal(grants(st, S3_READ, onPrefix(PREFIX.AUDIO)).length, 0);
    assert.equal(grants(st, ['s3:PutObject'], onPrefix(PREFIX.DATASETS)).length, 0);
    assert.equal(grants(st, [...DDB_READ, ...DDB_WRITE], features).length + grants(st, [...DDB_READ, ...DDB_WRITE], runs).length, 0);
  });

  it('state machine role: invokes its three functions and runs the trainer task — not the API functions', () => {
    const st = roleStatements(s, s.logicalId(s.stack.training.stateMachine.role));
    for (const fn of [s.stack.training.assemble, s.stack.training.register, s.stack.training.markFailed]) {
      assert.ok(grants(st, ['lambda:InvokeFunction'], s.logicalId(fn.fn)).length > 0);
    }
    for (const fn of [s.stack.api.predict, s.stack.api.control, s.stack.ingest.extractor]) {
      assert.equal(grants(st, ['lambda:InvokeFunction'], s.logicalId(fn.fn)).length, 0);
    }
    assert.ok(grants(st, ['ecs:RunTask'], s.logicalId(s.stack.training.taskDefinition!)).length > 0);
    const passRole = grants(st, ['iam:PassRole'], '');
    assert.ok(passRole.length > 0);
    for (const p of passRole) assert.ok(!JSON.stringify(p.Resource).includes('"*"'), 'PassRole is scoped to the task roles');
  });

  it('grants no function a bucket-wide object permission', () => {
    for (const fn of [s.stack.ingest.extractor, s.stack.api.predict, s.stack.training.assemble, s.stack.training.register]) {
      const st = statementsOf(fn.fn);
      const bucketWide = grants(st, ['s3:GetObject', 's3:PutObject'], bucket).filter((x) => JSON.stringify(x.Resource).includes('"/*"'));
      assert.equal(bucketWide.length, 0, fn.node.path);
    }
  });
});
