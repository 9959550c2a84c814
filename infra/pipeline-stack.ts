/**
 * The whole pipeline as one stack: storage, ingest, training workflow and API. Composition only — every resource
 * lives in a construct under infra/constructs/.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Api } from './constructs/api';
import { Ingest } from './constructs/ingest';
import { Storage } from './constructs/storage';
import { Training } from './constructs/training';

export interface PipelineStackProps extends StackProps {
  /**
   * LocalStack variant: bucket notifications set directly on the bucket (no Lambda-backed custom resource) and
   * Train as a Lambda (the free tier has no ECS). Everything else is identical.
   * @default false
   */
  readonly localstack?: boolean;
  /** Delete bucket contents and tables on `cdk destroy`. @default false (they are retained) */
  readonly destroyData?: boolean;
  /** Fargate vCPU units for training. @default 2048 */
  readonly trainCpu?: number;
  /** Fargate memory for training, MiB. @default 8192 */
  readonly trainMemoryMiB?: number;
  /** Retention of every log group. @default one month */
  readonly logRetention?: RetentionDays;
}

export class PipelineStack extends Stack {
  public readonly storage: Storage;
  public readonly ingest: Ingest;
  public readonly training: Training;
  public readonly api: Api;

  constructor(scope: Construct, id: string, props: PipelineStackProps = {}) {
    super(scope, id, props);
    const localstack = Boolean(props.localstack);

    this.storage = new Storage(this, 'Storage', {
      destroyData: props.destroyData,
      // CDK's auto-delete is a Lambda-backed custom resource too; LocalStack deletes non-empty buckets itself.
      autoDeleteObjects: !localstack,
    });
    this.ingest = new Ingest(this, 'Ingest', { storage: this.storage, directBucketNotifications: localstack });
    this.training = new Training(this, 'Training', {
      storage: this.storage,
      trainInLambda: localstack,
      trainCpu: props.trainCpu,
      trainMemoryMiB: props.trainMemoryMiB,
      logRetention: props.logRetention,
    });
    this.api = new Api(this, 'Api', {
      storage: this.storage,
      stateMachine: this.training.stateMachine,
      logRetention: props.logRetention,
    });

    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('BucketName', this.storage.bucket.bucketName, 'Upload WAVs under audio/');
    output('ApiUrl', this.api.restApi.url, 'Base URL of the REST API (stage included)');
    output('ApiKeyId', this.api.apiKey.keyId, 'aws apigateway get-api-key --include-value --api-key <id>');
    output('StateMachineArn', this.training.stateMachine.stateMachineArn, 'Training workflow');
    output('FeaturesTableName', this.storage.featuresTable.tableName, 'One row per uploaded WAV');
    output('RunsTableName', this.storage.runsTable.tableName, 'Training runs, model versions, served pointer');
  }
}
