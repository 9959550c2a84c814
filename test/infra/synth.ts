/**
 * Test helper: synthesizes the pipeline stack once per variant (no bundling, no asset staging, no nag, no built-in
 * CloudFormation validation — the app test covers those) and offers IAM look-ups on the template.
 */
import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createPipelineApp, SKIP_BUNDLING_CONTEXT } from '../../infra/pipeline-app';
import type { PipelineStack } from '../../infra/pipeline-stack';

export interface Synthesized {
  stack: PipelineStack;
  template: Template;
  json: { Resources: Record<string, { Type: string; Properties?: any; DependsOn?: string[] }>; Outputs?: Record<string, any> };
  /** Logical id of a construct's CloudFormation resource. */
  logicalId(construct: IConstruct): string;
}

const cache = new Map<string, Synthesized>();

export function synth(options: { localstack?: boolean; context?: Record<string, unknown> } = {}): Synthesized {
  const key = JSON.stringify(options);
  const hit = cache.get(key);
  if (hit) return hit;
  const { stack } = createPipelineApp({
    nag: false,
    cfnValidation: false,
    context: { ...SKIP_BUNDLING_CONTEXT, 'aws:cdk:disable-asset-staging': true, localstack: String(Boolean(options.localstack)), ...options.context },
  });
  const template = Template.fromStack(stack);
  const logicalId = (construct: IConstruct) => {
    const element = (construct.node.defaultChild ?? construct) as CfnElement;
    return Stack.of(construct).getLogicalId(element).toString();
  };
  const result: Synthesized = { stack, template, json: template.toJSON() as Synthesized['json'], logicalId };
  cache.set(key, result);
  return result;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every statement of the inline policies attached to a role (by the role's logical id). */
export function roleStatements(s: Synthesized, roleLogicalId: string): Statement[] {
  return Object.values(s.json.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as unknown[]).some((x) => JSON.stringify(x) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Statements granting any of `actions` (exact or by prefix wildcard like `s3:Put*`) on a resource mentioning `needle`. */
export function grants(statements: Statement[], actions: string[], needle: string): Statement[] {
  const matches = (granted: string, wanted: string) =>
    granted === wanted || granted === '*' || (granted.endsWith('*') && wanted.startsWith(granted.slice(0, -1)));
  return statements.filter(
    (st) =>
      st.Effect === 'Allow' &&
      actionsOf(st).some((g) => actions.some((a) => matches(g, a))) &&
      JSON.stringify(st.Resource).includes(needle),
  );
}
