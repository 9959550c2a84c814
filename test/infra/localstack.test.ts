import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { AUDIO_SUFFIXES, PREFIX, TRAINER_ENV, WORKFLOW_STATE } from '../../shared/names';
import { synthesizeWorkflowDefinition } from '../../infra/workflow-definition';
import { grants, roleStatements, synth } from './synth';

const ls = synth({ localstack: true });
const aws = synth();
const typesOf = (s: typeof ls) => new Set(Object.values(s.json.Resources).map((r) => r.Type));

describe('LocalStack variant (-c localstack=true)', () => {
  it('sets the bucket notifications directly: no Lambda-backed Custom::S3BucketNotifications', () => {
    assert.ok(!typesOf(ls).has('Custom::S3BucketNotifications'));
    const [, bucket] = Object.entries(ls.json.Resources).find(([, r]) => r.Type === 'AWS::S3::Bucket')!;
    const configs = bucket.Properties.NotificationConfiguration.QueueConfigurations as {
      Event: string;
      Queue: unknown;
      Filter: { S3Key: { Rules: { Name: string; Value: string }[] } };
    }[];
    assert.equal(configs.length, 10);
    for (const c of configs) {
      assert.deepEqual(c.Queue, { 'Fn::GetAtt': [ls.logicalId(ls.stack.ingest.queue), 'Arn'] });
      const rules = Object.fromEntries(c.Filter.S3Key.Rules.map((r) => [r.Name, r.Value]));
      assert.equal(rules.prefix, PREFIX.AUDIO);
      assert.ok((AUDIO_SUFFIXES as readonly string[]).includes(rules.suffix));
    }
    assert.deepEqual(
      [...new Set(configs.map((c) => c.Event))].sort(),
      ['s3:ObjectCreated:CompleteMultipartUpload', 's3:ObjectCreated:Copy', 's3:ObjectCreated:Post', 's3:ObjectCreated:Put', 's3:ObjectRemoved:*'],
    );
  });

  it('lets S3 of this account send to the queue, and creates the bucket after that policy', () => {
    const queueId = ls.logicalId(ls.stack.ingest.queue);
    const [policyId] = Object.entries(ls.json.Resources).find(
      ([, r]) => r.Type === 'AWS::SQS::QueuePolicy' && JSON.stringify(r.Properties.Queues).includes(queueId),
    )!;
    const statements = ls.json.Resources[policyId].Properties.PolicyDocument.Statement as any[];
    const s3Send = statements.find((st) => st.Principal?.Service === 's3.amazonaws.com');
    assert.ok(s3Send && [s3Send.Action].flat().includes('sqs:SendMessage'));
    assert.deepEqual(s3Send.Condition, { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
    const [, bucket] = Object.entries(ls.json.Resources).find(([, r]) => r.Type === 'AWS::S3::Bucket')!;
    assert.ok(bucket.DependsOn?.includes(policyId), 'bucket waits for the queue policy');
  });

  it('trains in a 15-minute, large-memory Lambda instead of ECS', () => {
    assert.ok(!typesOf(ls).has('AWS::ECS::Cluster') && !typesOf(ls).has('AWS::ECS::TaskDefinition') && !typesOf(ls).has('AWS::EC2::VPC'));
    const train = ls.stack.training.trainFunction!;
    const props = ls.json.Resources[ls.logicalId(train.fn)].Properties;
    assert.equal(props.Timeout, 900);
    assert.ok(props.MemorySize >= 3008);
    assert.equal(props.Runtime, 'nodejs22.x');
    const st = roleStatements(ls, ls.logicalId(train.fn.role!));
    assert.ok(grants(st, ['s3:GetObject'], `/${PREFIX.DATASETS}*`).length > 0);
    assert.ok(grants(st, ['s3:PutObject'], `/${PREFIX.MODELS}*`).length > 0);
    assert.equal(grants(st, ['s3:GetObject', 's3:PutObject'], `/${PREFIX.AUDIO}*`).length, 0);
  });

  it('keeps the same state machine shape; only Train’s resource differs', () => {
    const local = synthesizeWorkflowDefinition({ localstack: true });
    const cloud = synthesizeWorkflowDefinition();
    assert.deepEqual(local.stateNames, cloud.stateNames);
    for (const name of local.stateNames) {
      const { Resource: _a, Parameters: _b, Retry: _c, TimeoutSeconds: _d, ...localRest } = local.definition.States[name];
      const { Resource: _e, Parameters: _f, Retry: _g, TimeoutSeconds: _h, ...cloudRest } = cloud.definition.States[name];
      assert.deepEqual(localRest, cloudRest, name);
    }
    const train = local.definition.States[WORKFLOW_STATE.TRAIN] as any;
    assert.match(train.Resource, /:function:TrainingTrainFunction$/);
    assert.ok(train.TimeoutSeconds > 900 && train.TimeoutSeconds <= 960);
    assert.deepEqual(train.Parameters, {
      [`${TRAINER_ENV.RUN_ID}.$`]: '$.runId',
      [`${TRAINER_ENV.DATASET_PREFIX}.$`]: '$.dataset.prefix',
      [`${TRAINER_ENV.PARAMS}.$`]: 'States.JsonToString($.params)',
    });
  });

  it('forks nothing else: the same resources apart from notifications and the trainer', () => {
    const trainerOnly = new Set([
      'AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::RouteTable', 'AWS::EC2::SubnetRouteTableAssociation', 'AWS::EC2::Route',
      'AWS::EC2::InternetGateway', 'AWS::EC2::VPCGatewayAttachment', 'AWS::EC2::SecurityGroup', 'AWS::EC2::FlowLog',
      'AWS::ECS::Cluster', 'AWS::ECS::TaskDefinition', 'Custom::S3BucketNotifications', 'Custom::VpcRestrictDefaultSG',
    ]);
    const count = (s: typeof ls) => {
      const counts = new Map<string, number>();
      for (const r of Object.values(s.json.Resources)) if (!trainerOnly.has(r.Type)) counts.set(r.Type, (counts.get(r.Type) ?? 0) + 1);
      return counts;
    };
    const a = count(aws);
    const l = count(ls);
    // LocalStack adds the trainer Lambda (+ role, policy, log group); AWS adds the notifications handler, the task's
    // roles, container/flow log groups and the flow-log role.
    for (const type of ['AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::StepFunctions::StateMachine', 'AWS::ApiGateway::Method', 'AWS::ApiGateway::RestApi', 'AWS::Lambda::EventSourceMapping']) {
      assert.equal(l.get(type), a.get(type), type);
    }
    assert.equal(ls.stack.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834'), undefined);
  });
});

describe('LocalStack tooling', () => {
  const root = resolve(import.meta.dirname, '../..');
  const read = (path: string) => readFileSync(join(root, path), 'utf8');

  it('wires npm scripts to the deploy and smoke scripts', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts['localstack:deploy'], /scripts\/localstack-deploy\.sh/);
    assert.match(scripts['localstack:smoke'], /scripts\/localstack-smoke\.ts/);
    const deploy = read('scripts/localstack-deploy.sh');
    assert.match(deploy, /cdklocal bootstrap[^\n]*-c localstack=true/);
    assert.match(deploy, /cdklocal deploy[^\n]*-c localstack=true/);
  });

  it('passes the auth token through from the environment and mounts the Docker socket', () => {
    const compose = read('docker-compose.localstack.yml');
    assert.match(compose, /LOCALSTACK_AUTH_TOKEN=\$\{LOCALSTACK_AUTH_TOKEN/);
    assert.match(compose, /\/var\/run\/docker\.sock:\/var\/run\/docker\.sock/);
    assert.doesNotMatch(compose, /LOCALSTACK_AUTH_TOKEN=[A-Za-z0-9-]{8,}/, 'no token committed');
  });
});
