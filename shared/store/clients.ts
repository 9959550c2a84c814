/**
 * AWS SDK v3 clients, created in one place. They honour AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>
 * (the SDK reads them itself), so the same code talks to AWS, the embedded local stack and LocalStack.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';

export interface ClientOptions {
  region?: string;
  /** One endpoint for every service (the embedded stack serves S3 and DynamoDB on different ports: use the per-service ones). */
  endpoints?: { s3?: string; dynamodb?: string; sfn?: string };
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface AwsClients {
  s3: S3Client;
  ddb: DynamoDBClient;
  /** Document client: plain JS values in and out; Uint8Array stays Binary. */
  doc: DynamoDBDocumentClient;
  sfn: SFNClient;
}

/** True when S3 is not AWS itself (local servers need path-style URLs). */
function customS3Endpoint(options: ClientOptions): boolean {
  return Boolean(options.endpoints?.s3 ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
}

export function createClients(options: ClientOptions = {}): AwsClients {
  const common = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const s3 = new S3Client({
    ...common,
    ...(options.endpoints?.s3 ? { endpoint: options.endpoints.s3 } : {}),
    forcePathStyle: customS3Endpoint(options),
    // Checksums only where S3 requires them: local S3 servers (s3rver) reject the newer default trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const ddb = new DynamoDBClient({ ...common, ...(options.endpoints?.dynamodb ? { endpoint: options.endpoints.dynamodb } : {}) });
  const doc = DynamoDBDocumentClient.from(ddb, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  // Created on first use: most functions never start executions, and each client costs start-up time.
  let sfn: SFNClient | undefined;
  return {
    s3,
    ddb,
    doc,
    get sfn() {
      sfn ??= new SFNClient({ ...common, ...(options.endpoints?.sfn ? { endpoint: options.endpoints.sfn } : {}) });
      return sfn;
    },
  };
}

let cached: AwsClients | undefined;

/** Clients for a Lambda/container process: created once per process from the environment. */
export function defaultClients(): AwsClients {
  cached ??= createClients();
  return cached;
}
