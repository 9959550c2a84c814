/**
 * `npm run localstack:smoke [-- a.wav b.wav …]` — exercises the stack deployed by `npm run localstack:deploy`:
 * uploads WAVs under audio/, waits for their feature rows, starts a training run through the API, waits for it, then
 * calls POST /predict with the first file through LocalStack's API Gateway URL and prints the answer.
 * Without arguments it uploads the RAVDESS sample WAVs in ../shared/ravdess/wav (a developer convenience only).
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { APIGatewayClient, GetApiKeyCommand } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { FEATURES_TABLE, PREFIX, RUN_STATUS } from '../shared/names';
import { createClients } from '../shared/store/clients';
import type { RunItem } from '../shared/types';
import { STACK_NAME } from '../infra/pipeline-app';
import { API_STAGE } from '../infra/constructs/api';

const endpoint = process.env.AWS_ENDPOINT_URL ?? 'http://localhost.localstack.cloud:4566';
const region = process.env.AWS_DEFAULT_REGION ?? process.env.AWS_REGION ?? 'us-east-1';
const credentials = { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test' };
const config = { endpoint, region, credentials };

/** Polls `probe` every `everyMs` until it returns a value, or throws after `timeoutMs`. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function stackOutputs(): Promise<Record<string, string>> {
  const cfn = new CloudFormationClient(config);
  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: STACK_NAME }));
  return Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
}

function wavFiles(): string[] {
  const args = process.argv.slice(2);
  if (args.length) return args.map((a) => resolve(a));
  const sample = resolve(import.meta.dirname, '../../shared/ravdess/wav');
  if (!existsSync(sample)) throw new Error('Pass WAV files: npm run localstack:smoke -- a.wav b.wav …');
  return readdirSync(sample).filter((f) => /\.wav$/i.test(f)).map((f) => join(sample, f));
}

async function main(): Promise<void> {
  const out = await stackOutputs();
  const { s3, doc } = createClients({ region, credentials, endpoints: { s3: endpoint, dynamodb: endpoint } });
  const files = wavFiles();
  const apiId = new URL(out.ApiUrl).hostname.split('.')[0];
  // LocalStack's path-style API Gateway URL works whatever host name the endpoint uses.
  const api = `${endpoint}/restapis/${apiId}/${API_STAGE}/_user_request_`;
  const { value: apiKey } = await new APIGatewayClient(config).send(new GetApiKeyCommand({ apiKey: out.ApiKeyId, includeValue: true }));
  const headers = { 'x-api-key': apiKey ?? '' };

  console.log(`Uploading ${files.length} WAV(s) to s3://${out.BucketName}/${PREFIX.AUDIO}smoke/`);
  const keys = [];
  for (const file of files) {
    const key = `${PREFIX.AUDIO}smoke/${basename(file)}`;
    await s3.send(new PutObjectCommand({ Bucket: out.BucketName, Key: key, Body: readFileSync(file), ContentType: 'audio/wav' }));
    keys.push(key);
  }
  for (const key of keys) {
    const row = await waitFor(`the features row of ${key}`, async () => {
      const { Item } = await doc.send(new GetCommand({ TableName: out.FeaturesTableName, Key: { [FEATURES_TABLE.partitionKey]: key } }));
      return Item;
    }, 180_000);
    console.log(`  ${key}: ${row.status}${row.errorCode ? ` ${row.errorCode}` : ''}`);
  }

  const started = await fetch(`${api}/training-runs`, { method: 'POST', headers, body: JSON.stringify({ epochs: 5, force: true }) });
  const run = (await started.json()) as RunItem;
  if (!started.ok) throw new Error(`POST /training-runs → ${started.status} ${JSON.stringify(run)}`);
  console.log(`Started ${run.runId}; waiting for the workflow (Lambda trainer, up to 15 min)…`);
  const done = await waitFor(`run ${run.runId}`, async () => {
    const current = (await (await fetch(`${api}/training-runs/${run.runId}`, { headers })).json()) as RunItem;
    return current.status === RUN_STATUS.SUCCEEDED || current.status === RUN_STATUS.FAILED ? current : undefined;
  }, 16 * 60_000, 5000);
  console.log(`Run ${done.runId}: ${done.status}`, done.error ?? done.metrics ?? '');
  if (done.status !== RUN_STATUS.SUCCEEDED) process.exit(1);

  const predicted = await fetch(`${api}/predict`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'audio/wav' },
    body: readFileSync(files[0]),
  });
  console.log(`POST /predict ${basename(files[0])} → ${predicted.status}`, await predicted.json());
  if (!predicted.ok) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
