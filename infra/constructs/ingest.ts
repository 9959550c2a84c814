/**
 * Ingest: S3 object-created/removed events on audio/*.wav|*.WAV → SQS (with a dead-letter queue) → the feature
 * extractor Lambda in batches with partial batch failures. On LocalStack the bucket's notification configuration is
 * set directly on the L1 (no Lambda-backed Custom::S3BucketNotifications resource).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { CfnBucket, EventType, type Bucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AUDIO_SUFFIXES, ENV, PREFIX } from '../../shared/names';
import { SerFunction } from './node-function';
import type { Storage } from './storage';

/** The S3 events that (re)extract a file, and the one that removes its row. */
export const INGEST_EVENTS = [
  EventType.OBJECT_CREATED_PUT,
  EventType.OBJECT_CREATED_POST,
  EventType.OBJECT_CREATED_COPY,
  EventType.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD,
  EventType.OBJECT_REMOVED,
] as const;

/** Deliveries before a message goes to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

export interface IngestProps {
  readonly storage: Storage;
  /** Set the bucket notifications on the CfnBucket instead of CDK's custom resource (LocalStack). @default false */
  readonly directBucketNotifications?: boolean;
  /** Messages per extractor invocation. @default 10 */
  readonly batchSize?: number;
  /** How long SQS gathers a batch. @default 5 seconds */
  readonly maxBatchingWindow?: Duration;
}

export class Ingest extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly extractor: SerFunction;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    const { storage } = props;

    this.extractor = new SerFunction(this, 'Extract', {
      name: 'extract',
      // FFT of a 3 s clip at 22,050 Hz: CPU-bound, and Lambda CPU grows with memory.
      memorySize: 1024,
      timeout: Duration.seconds(60),
      environment: {
        [ENV.BUCKET]: storage.bucket.bucketName,
        [ENV.FEATURES_TABLE]: storage.featuresTable.tableName,
      },
    });
    storage.grantObjectRead(this.extractor.fn, PREFIX.AUDIO);
    storage.featuresTable.grantReadWriteData(this.extractor.fn);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS guidance for Lambda consumers: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(6 * 60),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    this.extractor.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize ?? 10,
        maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(5),
        reportBatchItemFailures: true,
      }),
    );

    if (props.directBucketNotifications) this.notifyDirectly(storage.bucket);
    else this.notifyWithCustomResource(storage.bucket);
  }

  private notifyWithCustomResource(bucket: Bucket): void {
    const destination = new SqsDestination(this.queue);
    for (const event of INGEST_EVENTS) {
      for (const suffix of AUDIO_SUFFIXES) bucket.addEventNotification(event, destination, { prefix: PREFIX.AUDIO, suffix });
    }
  }

  private notifyDirectly(bucket: Bucket): void {
    // The condition names the account, not the bucket ARN: a bucket → policy → bucket reference would be a cycle.
    const policy = this.queue.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        resources: [this.queue.queueArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    const cfnBucket = bucket.node.defaultChild as CfnBucket;
    cfnBucket.notificationConfiguration = {
      queueConfigurations: INGEST_EVENTS.flatMap((event) =>
        AUDIO_SUFFIXES.map((suffix) => ({
          event,
          queue: this.queue.queueArn,
          filter: {
            s3Key: {
              rules: [
                { name: 'prefix', value: PREFIX.AUDIO },
                { name: 'suffix', value: suffix },
              ],
            },
          },
        })),
      ),
    };
    if (policy.policyDependable) cfnBucket.node.addDependency(policy.policyDependable);
  }
}
