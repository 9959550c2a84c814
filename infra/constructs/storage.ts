/**
 * Storage: the one private bucket (audio uploads, assembled datasets, model artifacts under PREFIX) and the two
 * on-demand DynamoDB tables whose key schemas come from shared/store/tables.ts (the same ones the local stack creates).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FEATURES_TABLE_SCHEMA, RUNS_TABLE_SCHEMA, type KeyAttribute, type TableSchema } from '../../shared/store/tables';

export interface StorageProps {
  /**
   * Delete the bucket (emptying it) and the tables with the stack. Off by default: uploads, features and models
   * outlive `cdk destroy` unless you opt in.
   * @default false
   */
  readonly destroyData?: boolean;
  /**
   * Empty the bucket with CDK's Lambda-backed custom resource when it is destroyed (only with destroyData).
   * @default true when destroyData
   */
  readonly autoDeleteObjects?: boolean;
}

const ATTRIBUTE_TYPES: Record<KeyAttribute['type'], AttributeType> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
};

/** Maps a shared key attribute to CDK's. */
export function toCdkAttribute(attribute: KeyAttribute): Attribute {
  return { name: attribute.name, type: ATTRIBUTE_TYPES[attribute.type] };
}

export class Storage extends Construct {
  public readonly bucket: Bucket;
  public readonly featuresTable: Table;
  public readonly runsTable: Table;

  constructor(scope: Construct, id: string, props: StorageProps = {}) {
    super(scope, id);
    const removalPolicy = props.destroyData ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Versions give every upload an id the extractor records, so a re-delivered event is recognisably the same.
      versioned: true,
      lifecycleRules: [
        { id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(30) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy,
      autoDeleteObjects: Boolean(props.destroyData && (props.autoDeleteObjects ?? true)),
    });

    this.featuresTable = this.table('FeaturesTable', FEATURES_TABLE_SCHEMA, removalPolicy);
    this.runsTable = this.table('RunsTable', RUNS_TABLE_SCHEMA, removalPolicy);
  }

  /**
   * Lets `grantee` read objects (any version) under `prefix`, and list that prefix only — so a missing key is a
   * 404 (NoSuchKey) rather than a 403. Nothing else in the bucket.
   */
  public grantObjectRead(grantee: IGrantable, prefix: string): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [this.bucket.arnForObjects(`${prefix}*`)] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': `${prefix}*` } },
      }),
    );
  }

  /** Lets `grantee` put objects under `prefix` — no reads, no deletes, no ACLs. */
  public grantObjectWrite(grantee: IGrantable, prefix: string): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [this.bucket.arnForObjects(`${prefix}*`)] }),
    );
  }

  private table(id: string, schema: TableSchema, removalPolicy: RemovalPolicy): Table {
    const table = new Table(this, id, {
      partitionKey: toCdkAttribute(schema.partitionKey),
      ...(schema.sortKey ? { sortKey: toCdkAttribute(schema.sortKey) } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // AWS-owned key: encrypted at rest with no KMS request charges.
      encryption: TableEncryption.DEFAULT,
      removalPolicy,
    });
    for (const index of schema.globalSecondaryIndexes ?? []) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: toCdkAttribute(index.partitionKey),
        ...(index.sortKey ? { sortKey: toCdkAttribute(index.sortKey) } : {}),
        projectionType: ProjectionType.ALL,
      });
    }
    return table;
  }
}
