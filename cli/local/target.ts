/**
 * Which stack a CLI command talks to: the local one (its <state>/endpoints.json) or a deployed one (flags
 * --api-url/--api-key/--bucket, or the CloudFormation outputs of --stack NAME). Commands call the REST API for
 * training/models/predictions, as a user of a deployed stack would, and S3 for uploads.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { S3Client } from '@aws-sdk/client-s3';
import { Option, type Command } from 'commander';
import { ConfigError } from '../../shared/errors';
import { createClients } from '../../shared/store/clients';
import { DEFAULT_STATE_DIR, isRunning, readEndpointsFile, type LocalEndpoints } from './endpoints';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './servers';

export interface TargetFlags {
  state?: string;
  apiUrl?: string;
  apiKey?: string;
  bucket?: string;
  stack?: string;
  region?: string;
}

export interface Target {
  kind: 'local' | 'deployed';
  /** Base URL of the REST API, without a trailing slash (deployed: stage included). */
  apiUrl?: string;
  apiKey?: string;
  bucket?: string;
  s3: S3Client;
  /** The local stack's endpoints (kind = local). */
  local?: LocalEndpoints;
  /** Human description for messages. */
  description: string;
}

/** Adds the target flags to a command. */
export function withTargetOptions(command: Command): Command {
  return command
    .option('--state <dir>', 'state folder of the local stack (`ser local up`)', DEFAULT_STATE_DIR)
    .option('--stack <name>', 'a deployed stack: read ApiUrl and BucketName from its CloudFormation outputs')
    .option('--api-url <url>', 'REST API base URL of a deployed stack (stage included)')
    .addOption(new Option('--api-key <key>', 'API key of a deployed stack').env('SER_API_KEY'))
    .option('--bucket <name>', 'bucket of a deployed stack')
    .option('--region <region>', 'AWS region of a deployed stack');
}

export async function resolveTarget(flags: TargetFlags): Promise<Target> {
  if (flags.stack || flags.apiUrl || flags.bucket) {
    let { apiUrl, bucket } = flags;
    if (flags.stack) {
      const cfn = new CloudFormationClient(flags.region ? { region: flags.region } : {});
      const out = await cfn.send(new DescribeStacksCommand({ StackName: flags.stack }));
      const outputs = Object.fromEntries((out.Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
      apiUrl ??= outputs.ApiUrl;
      bucket ??= outputs.BucketName;
      cfn.destroy();
    }
    return {
      kind: 'deployed',
      apiUrl: apiUrl?.replace(/\/+$/, ''),
      apiKey: flags.apiKey,
      bucket,
      s3: createClients(flags.region ? { region: flags.region } : {}).s3,
      description: flags.stack ? `stack ${flags.stack}` : (apiUrl ?? `bucket ${bucket}`),
    };
  }
  const stateDir = flags.state ?? DEFAULT_STATE_DIR;
  const local = readEndpointsFile(stateDir);
  if (!isRunning(local)) {
    throw new ConfigError(`No local stack is running for state folder ${stateDir}`, {
      suggestion: 'Start one with `ser local up` (or pass --stack NAME / --api-url and --bucket for a deployed stack).',
    });
  }
  return { ...localTarget(local), description: `local stack at ${local.apiUrl} (state ${stateDir})` };
}

/** A target for the in-process stack of `ser demo` / tests. */
export function localTarget(local: LocalEndpoints): Target {
  return {
    kind: 'local',
    apiUrl: local.apiUrl,
    bucket: local.bucket,
    s3: createClients({ region: LOCAL_REGION, endpoints: { s3: local.s3 }, credentials: LOCAL_CREDENTIALS }).s3,
    local,
    description: `local stack at ${local.apiUrl}`,
  };
}
