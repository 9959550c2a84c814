import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { AUDIO_SUFFIXES, ENV, PREFIX, RUNS_TABLE } from '../../shared/names';
import { FEATURES_TABLE_SCHEMA, RUNS_TABLE_SCHEMA } from '../../shared/store/tables';
import { BINARY_MEDIA_TYPES, ROUTES } from '../../infra/constructs/api';
import { MAX_RECEIVE_COUNT } from '../../infra/constructs/ingest';
import { readEnv, type EnvKey } from '../../shared/env';
import { REPO_ROOT } from '../../infra/paths';
import { synth } from './synth';

const s = synth();
const resourcesOf = (type: string) => Object.entries(s.json.Resources).filter(([, r]) => r.Type === type);
const ourFunctions = () =>
  resourcesOf('AWS::Lambda::Function').filter(([, r]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME);

describe('storage', () => {
  it('creates one private, encrypted, versioned, TLS-only bucket that is retained by default', () => {
    s.template.resourceCountIs('AWS::S3::Bucket', 1);
    s.template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
      },
    });
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    assert.equal(resourcesOf('Custom::S3AutoDeleteObjects').length, 0, 'auto-delete is off by default');
  });

  it('empties and deletes the bucket and tables only with -c destroyData=true', () => {
    const destroy = synth({ context: { destroyData: 'true' } });
    destroy.template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    destroy.template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    for (const [, table] of Object.entries(destroy.json.Resources).filter(([, r]) => r.Type === 'AWS::DynamoDB::Table')) {
      assert.equal((table as { DeletionPolicy?: string }).DeletionPolicy, 'Delete');
    }
  });

  it('creates both tables on demand with point-in-time recovery and the shared key schemas', () => {
    s.template.resourceCountIs('AWS::DynamoDB::Table', 2);
    s.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        KeySchema: [{ AttributeName: FEATURES_TABLE_SCHEMA.partitionKey.name, KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: FEATURES_TABLE_SCHEMA.partitionKey.name, AttributeType: FEATURES_TABLE_SCHEMA.partitionKey.type }],
      },
    });
    const gsi = RUNS_TABLE_SCHEMA.globalSecondaryIndexes![0];
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      KeySchema: [
        { AttributeName: RUNS_TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: RUNS_TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: RUNS_TABLE.typeIndex,
          KeySchema: [
            { AttributeName: gsi.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: gsi.sortKey!.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ],
    });
  });
});

describe('ingest', () => {
  it('sends created (Put/Post/Copy/multipart) and removed events on audio/*.wav|.WAV to the queue', () => {
    s.template.resourceCountIs('Custom::S3BucketNotifications', 1);
    const [, notifications] = resourcesOf('Custom::S3BucketNotifications')[0];
    const configs = notifications.Properties.NotificationConfiguration.QueueConfigurations as {
      Events: string[];
      Filter: { Key: { FilterRules: { Name: string; Value: string }[] } };
      QueueArn: unknown;
    }[];
    const seen = new Set(configs.map((c) => `${c.Events.join(',')} ${c.Filter.Key.FilterRules.map((r) => `${r.Name}=${r.Value}`).sort().join(' ')}`));
    for (const event of ['Put', 'Post', 'Copy', 'CompleteMultipartUpload'].map((e) => `s3:ObjectCreated:${e}`).concat('s3:ObjectRemoved:*')) {
      for (const suffix of AUDIO_SUFFIXES) assert.ok(seen.has(`${event} prefix=${PREFIX.AUDIO} suffix=${suffix}`), `${event} ${suffix}`);
    }
    assert.equal(configs.length, 10);
    const queueId = s.logicalId(s.stack.ingest.queue);
    for (const c of configs) assert.deepEqual(c.QueueArn, { 'Fn::GetAtt': [queueId, 'Arn'] });
  });

  it('backs the encrypted, TLS-only queue with a dead-letter queue', () => {
    const dlqId = s.logicalId(s.stack.ingest.deadLetterQueue);
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    const tlsDenied = resourcesOf('AWS::SQS::QueuePolicy').filter(([, p]) =>
      JSON.stringify(p.Properties.PolicyDocument).includes('"aws:SecureTransport":"false"'),
    );
    assert.equal(tlsDenied.length, 2, 'both queues deny non-TLS access');
  });

  it('feeds the extractor in batches with partial batch failures', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: s.logicalId(s.stack.ingest.extractor.fn) },
      EventSourceArn: { 'Fn::GetAtt': [s.logicalId(s.stack.ingest.queue), 'Arn'] },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('functions', () => {
  it('runs the six functions on Node.js 22 / ARM64 with tracing, Powertools env and a log group with retention', () => {
    const fns = ourFunctions();
    assert.deepEqual(
      fns.map(([, r]) => r.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).sort(),
      ['ser-assemble', 'ser-control', 'ser-extract', 'ser-mark-failed', 'ser-predict', 'ser-register'],
    );
    for (const [id, fn] of fns) {
      assert.equal(fn.Properties.Runtime, 'nodejs22.x', id);
      assert.deepEqual(fn.Properties.Architectures, ['arm64'], id);
      assert.deepEqual(fn.Properties.TracingConfig, { Mode: 'Active' }, id);
      assert.equal(fn.Properties.Handler, 'index.handler', id);
      const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
      assert.equal(s.json.Resources[logGroupId].Properties.RetentionInDays, 30, id);
    }
  });

  it('gives each function the environment names from shared/names.ts it needs', () => {
    const env = (fn: { fn: object }) => {
      const id = s.logicalId(fn.fn as never);
      return s.json.Resources[id].Properties.Environment.Variables as Record<string, unknown>;
    };
    assert.ok(ENV.FEATURES_TABLE in env(s.stack.ingest.extractor) && ENV.BUCKET in env(s.stack.ingest.extractor));
    assert.ok(ENV.STATE_MACHINE_ARN in env(s.stack.api.control));
    assert.ok(!(ENV.FEATURES_TABLE in env(s.stack.api.predict)), 'predict is not told about the features table');
    assert.ok(ENV.MODEL_POINTER_TTL_SECONDS in env(s.stack.api.predict));
    assert.ok(ENV.FEATURES_TABLE in env(s.stack.training.assemble) && ENV.RUNS_TABLE in env(s.stack.training.assemble));
  });

  it('sizes memory and timeouts for the work', () => {
    const props = (fn: { fn: object }) => s.json.Resources[s.logicalId(fn.fn as never)].Properties;
    assert.equal(props(s.stack.ingest.extractor).MemorySize, 1024);
    assert.equal(props(s.stack.api.predict).MemorySize, 1769);
    assert.ok(props(s.stack.api.predict).Timeout <= 29, 'predict answers within API Gateway’s 29 s');
    assert.equal(props(s.stack.training.assemble).Timeout, 300);
  });
});

describe('training compute', () => {
  it('uses public subnets without NAT gateways, with a rejected-traffic flow log', () => {
    s.template.resourceCountIs('AWS::EC2::NatGateway', 0);
    s.template.resourceCountIs('AWS::EC2::Subnet', 2);
    s.template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true });
    s.template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
    s.template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: Match.absent() });
  });

  it('defines a Fargate task (x86_64 for tfjs-node) with CPU/memory from props and logs with retention', () => {
    s.template.hasResourceProperties('AWS::ECS::Cluster', {});
    s.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      Cpu: '2048',
      Memory: '8192',
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [
        Match.objectLike({
          Name: 'trainer',
          Environment: [{ Name: ENV.BUCKET, Value: { Ref: s.logicalId(s.stack.storage.bucket) } }],
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
        }),
      ],
    });
    const custom = synth({ context: { trainCpu: '4096', trainMemoryMiB: '16384' } });
    custom.template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '4096', Memory: '16384' });
  });

  it('logs every workflow event to a log group with retention and traces with X-Ray', () => {
    s.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true, Destinations: [Match.anyValue()] },
      TracingConfiguration: { Enabled: true },
    });
    const [, machine] = resourcesOf('AWS::StepFunctions::StateMachine')[0];
    const logGroupId = machine.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    assert.equal(s.json.Resources[logGroupId].Properties.RetentionInDays, 30);
  });
});

describe('api', () => {
  /** "METHOD /path" for every method, rebuilt from the resource tree. */
  function routes(): string[] {
    const restApiId = s.logicalId(s.stack.api.restApi);
    const pathOf = (ref: unknown): string => {
      const json = JSON.stringify(ref);
      if (json.includes('RootResourceId')) return '';
      const id = (ref as { Ref: string }).Ref;
      const resource = s.json.Resources[id].Properties;
      return `${pathOf(resource.ParentId)}/${resource.PathPart}`;
    };
    return resourcesOf('AWS::ApiGateway::Method')
      .filter(([, m]) => JSON.stringify(m.Properties.RestApiId).includes(restApiId))
      .map(([, m]) => `${m.Properties.HttpMethod} ${pathOf(m.Properties.ResourceId) || '/'}`)
      .sort();
  }

  it('serves exactly the routes of the contract', () => {
    const expected = [...ROUTES.predict, ...ROUTES.control].map(([m, p]) => `${m} ${p}`).sort();
    assert.deepEqual(routes(), expected);
  });

  it('requires the API key on every method and routes predict and control to their functions', () => {
    s.template.allResourcesProperties('AWS::ApiGateway::Method', { ApiKeyRequired: true });
    const methods = resourcesOf('AWS::ApiGateway::Method').map(([, m]) => JSON.stringify(m.Properties.Integration));
    const predictId = s.logicalId(s.stack.api.predict.fn);
    const controlId = s.logicalId(s.stack.api.control.fn);
    assert.equal(methods.filter((m) => m.includes(predictId)).length, 1);
    assert.equal(methods.filter((m) => m.includes(controlId)).length, 5);
    for (const m of methods) assert.ok(m.includes('"Type":"AWS_PROXY"'));
  });

  it('accepts binary WAV bodies and throttles by stage and usage plan', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: [...BINARY_MEDIA_TYPES], ApiKeySourceType: 'HEADER' });
    s.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40, LoggingLevel: 'INFO', DataTraceEnabled: false })],
    });
    s.template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 20, BurstLimit: 40 },
      Quota: { Limit: 10000, Period: 'DAY' },
    });
    s.template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    s.template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
  });
});

describe('outputs', () => {
  it('exports the bucket, API URL and key id, state machine ARN and table names', () => {
    assert.deepEqual(Object.keys(s.json.Outputs ?? {}).sort(), [
      'ApiKeyId',
      'ApiUrl',
      'BucketName',
      'FeaturesTableName',
      'RunsTableName',
      'StateMachineArn',
    ]);
    s.template.hasOutput('StateMachineArn', { Value: { Ref: s.logicalId(s.stack.training.stateMachine) } });
  });
});

describe('infra ↔ handlers', () => {
  /** Keys each handler reads from its environment with readEnv([...]) (not from the event). */
  function envKeysReadBy(name: string): EnvKey[] {
    const source = readFileSync(join(REPO_ROOT, 'functions', name, 'handler.ts'), 'utf8');
    return [...source.matchAll(/readEnv\(\[([^\]]*)\]\)/g)].flatMap((m) => [...m[1].matchAll(/'(\w+)'/g)].map((k) => k[1] as EnvKey));
  }

  /** The function's environment as readEnv sees it (CloudFormation tokens stand in as plausible strings). */
  function deployedEnv(synthesized: typeof s, fn: { fn: object }): Record<string, string> {
    const vars = synthesized.json.Resources[synthesized.logicalId(fn.fn as never)].Properties.Environment.Variables as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' ? v : k === ENV.STATE_MACHINE_ARN ? 'arn:aws:states:us-east-1:000000000000:stateMachine:x' : 'token']),
    );
  }

  it('gives every handler the variables it reads (shared/env.ts readEnv succeeds on the deployed environment)', () => {
    const ls = synth({ localstack: true });
    const cases: [string, { fn: object }, typeof s][] = [
      ['extract', s.stack.ingest.extractor, s],
      ['assemble', s.stack.training.assemble, s],
      ['register', s.stack.training.register, s],
      ['mark-failed', s.stack.training.markFailed, s],
      ['predict', s.stack.api.predict, s],
      ['control', s.stack.api.control, s],
      ['train', ls.stack.training.trainFunction!, ls],
    ];
    for (const [name, fn, synthesized] of cases) {
      const keys = envKeysReadBy(name);
      assert.ok(keys.length > 0, `${name} reads its configuration with readEnv`);
      assert.doesNotThrow(() => readEnv(keys, deployedEnv(synthesized, fn)), `${name}: ${keys.join(', ')}`);
    }
  });
});
