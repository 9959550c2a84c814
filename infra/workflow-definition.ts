/**
 * The training workflow's Amazon States Language definition, taken from the synthesized CDK template — never a
 * hand-copied one — so the local runner (aws-local-stepfunctions) executes the very same states, retries, catches
 * and timeouts as AWS. CloudFormation tokens in the definition (function ARNs, cluster, subnets…) become readable
 * placeholder values; the local runner binds task handlers by state name, not by ARN.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTEXT, createPipelineApp, SKIP_BUNDLING_CONTEXT, STACK_NAME } from './pipeline-app';

/** Values the placeholders use for the pseudo parameters. */
export const PLACEHOLDER_ENV = { partition: 'aws', region: 'us-east-1', account: '000000000000', urlSuffix: 'amazonaws.com' } as const;

export interface WorkflowDefinition {
  /** The ASL document (StartAt, States, TimeoutSeconds, …). */
  definition: AslDefinition;
  /** Top-level state names, in definition order. */
  stateNames: string[];
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  Comment?: string;
  [key: string]: unknown;
}

export interface AslState {
  Type: string;
  [key: string]: unknown;
}

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

interface CfnTemplate {
  Resources: Record<string, CfnResource>;
}

/** A logical id without CDK's 8-hex-digit hash suffix: `TrainingAssembleFunctionE4C7B156` → `TrainingAssembleFunction`. */
function readableName(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '') || logicalId;
}

function placeholderForRef(template: CfnTemplate, logicalId: string): string {
  const { partition, region, account, urlSuffix } = PLACEHOLDER_ENV;
  switch (logicalId) {
    case 'AWS::Partition':
      return partition;
    case 'AWS::Region':
      return region;
    case 'AWS::AccountId':
      return account;
    case 'AWS::URLSuffix':
      return urlSuffix;
    case 'AWS::StackName':
      return STACK_NAME;
  }
  const type = template.Resources[logicalId]?.Type;
  const name = readableName(logicalId);
  switch (type) {
    case 'AWS::ECS::TaskDefinition':
      return `arn:${partition}:ecs:${region}:${account}:task-definition/${name}:1`;
    case 'AWS::EC2::Subnet':
      return `subnet-${name}`;
    case 'AWS::EC2::SecurityGroup':
      return `sg-${name}`;
    case 'AWS::Lambda::Function':
      return name;
    default:
      return name;
  }
}

function placeholderForGetAtt(template: CfnTemplate, logicalId: string, attribute: string): string {
  const { partition, region, account } = PLACEHOLDER_ENV;
  const type = template.Resources[logicalId]?.Type ?? 'AWS::Unknown::Resource';
  const name = readableName(logicalId);
  if (attribute === 'GroupId') return `sg-${name}`;
  if (attribute !== 'Arn') return `${name}.${attribute}`;
  switch (type) {
    case 'AWS::Lambda::Function':
      return `arn:${partition}:lambda:${region}:${account}:function:${name}`;
    case 'AWS::ECS::Cluster':
      return `arn:${partition}:ecs:${region}:${account}:cluster/${name}`;
    case 'AWS::SQS::Queue':
      return `arn:${partition}:sqs:${region}:${account}:${name}`;
    default: {
      const service = type.split('::')[1]?.toLowerCase() ?? 'unknown';
      return `arn:${partition}:${service}:${region}:${account}:${name}`;
    }
  }
}

/** Evaluates the intrinsic functions CDK puts in a DefinitionString, with placeholders for resource values. */
function evaluate(template: CfnTemplate, value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((v) => evaluate(template, v));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0];
      switch (fn) {
        case 'Ref':
          return placeholderForRef(template, arg as string);
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
          return placeholderForGetAtt(template, id, attribute);
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, unknown[]];
          return (parts.map((p) => evaluate(template, p)) as string[]).join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number | string, unknown];
          return (evaluate(template, list) as unknown[])[Number(index)];
        }
        case 'Fn::Split': {
          const [separator, source] = arg as [string, unknown];
          return String(evaluate(template, source)).split(separator);
        }
      }
    }
  }
  throw new Error(`Unsupported CloudFormation value in the state machine definition: ${JSON.stringify(value)}`);
}

/**
 * Extracts the (single) state machine's ASL from a synthesized CloudFormation template, replacing CloudFormation
 * tokens with placeholder ARNs. Throws when the template has no state machine or more than one.
 */
export function extractWorkflowDefinition(template: object): WorkflowDefinition {
  const cfn = template as CfnTemplate;
  const machines = Object.entries(cfn.Resources ?? {}).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) throw new Error(`Expected one AWS::StepFunctions::StateMachine in the template, found ${machines.length}`);
  const properties = machines[0][1].Properties ?? {};
  let text = evaluate(cfn, properties.DefinitionString) as string;
  const substitutions = (properties.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(substitutions)) text = text.split(`\${${key}}`).join(String(evaluate(cfn, value)));
  const definition = JSON.parse(text) as AslDefinition;
  return { definition, stateNames: Object.keys(definition.States) };
}

export interface SynthesizeWorkflowOptions {
  /** The LocalStack variant (Train is a Lambda invoke instead of ECS RunTask). @default false */
  localstack?: boolean;
}

/**
 * Synthesizes the pipeline stack (no bundling, no asset staging, no cdk-nag: a few seconds, no Docker, no AWS) and
 * returns its training workflow's ASL with placeholder ARNs.
 */
export function synthesizeWorkflowDefinition(options: SynthesizeWorkflowOptions = {}): WorkflowDefinition {
  const outdir = mkdtempSync(join(tmpdir(), 'ser-workflow-'));
  try {
    const { app } = createPipelineApp({
      outdir,
      nag: false,
      cfnValidation: false,
      context: {
        ...SKIP_BUNDLING_CONTEXT,
        'aws:cdk:disable-asset-staging': true,
        [CONTEXT.LOCALSTACK]: options.localstack ? 'true' : 'false',
      },
    });
    const template = app.synth().getStackByName(STACK_NAME).template as object;
    return extractWorkflowDefinition(template);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
