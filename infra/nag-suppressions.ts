/**
 * cdk-nag AwsSolutions findings this stack accepts, each with its reason. A finding is acknowledged only when both
 * its rule id and the construct path match an entry; anything else stays an error and fails `cdk synth`.
 *
 * Patterns (not literal ids) because IAM5 finding ids embed CloudFormation logical ids and intrinsic functions.
 */
import { Validations, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export interface NagAcknowledgement {
  /** Rule id or finding id (`AwsSolutions-IAM5[Resource::…]`). */
  readonly rule: RegExp;
  /** Construct path of the flagged resource. */
  readonly path: RegExp;
  readonly reason: string;
}

const LAMBDA_ROLE = /\/Function\/ServiceRole\//;

export const NAG_ACKNOWLEDGEMENTS: readonly NagAcknowledgement[] = [
  {
    rule: /^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole\]$/,
    path: /\/(Function\/ServiceRole|BucketNotificationsHandler[0-9a-f]+\/Role|Custom::S3AutoDeleteObjectsCustomResourceProvider\/Role)\b/,
    reason: 'AWSLambdaBasicExecutionRole only lets a function write its own CloudWatch logs; scoping it by hand adds nothing.',
  },
  {
    rule: /^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AmazonAPIGatewayPushToCloudWatchLogs\]$/,
    path: /\/Api\/RestApi\/CloudWatchRole\//,
    reason: 'The account-level role API Gateway needs to write access and execution logs (APIG1/APIG6); AWS maintains its scope.',
  },
  {
    rule: /^AwsSolutions-L1$/,
    path: /\/Function\/Resource$/,
    reason: 'Node.js 22 is the runtime the project targets and tests (esbuild target node22, tfjs); upgrade deliberately, not by lint.',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    path: LAMBDA_ROLE,
    reason: 'X-Ray tracing (xray:PutTraceSegments/PutTelemetryRecords) has no resource-level permissions.',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    path: /\/Training\/TrainerTask\/ExecutionRole\//,
    reason: 'ecr:GetAuthorizationToken has no resource-level permissions; image pulls are scoped to the asset repository.',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    path: /\/Training\/StateMachine\/Role\//,
    reason:
      'Added by Step Functions integrations: ecs:DescribeTasks/StopTask for RunTask .sync (task ARNs unknown in advance), ' +
      'CloudWatch Logs delivery and X-Ray, none of which support resource-level permissions.',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::<Training\w+Function\w+\.Arn>:\*\]$/,
    path: /\/Training\/StateMachine\/Role\//,
    reason: 'lambda:InvokeFunction on the workflow functions and their versions/aliases (the `:*` qualifier), nothing else.',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:.*TrainingTrainerTask.*:\*\]$/,
    path: /\/Training\/StateMachine\/Role\//,
    reason: 'ecs:RunTask on any revision of the trainer task definition family (CDK scopes it to the family).',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::<Storage\w+\.Arn>\/(audio|datasets|models)\/\*\]$/,
    path: /\/ServiceRole\/DefaultPolicy\/|\/TaskRole\/DefaultPolicy\//,
    reason: 'Object access is scoped to one key prefix of the pipeline bucket; object keys are not known at deploy time.',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::<StorageRunsTable\w+\.Arn>\/index\/\*\]$/,
    path: LAMBDA_ROLE,
    reason: 'Reads of the runs table include its byType index (listing runs/models newest first).',
  },
  {
    rule: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:.*TrainingStateMachine.*:\*\]$/,
    path: /\/Api\/Control\/Function\/ServiceRole\//,
    reason: 'states:DescribeExecution on executions of the training state machine only (execution names are run ids).',
  },
  {
    rule: /^AwsSolutions-S1$/,
    path: /\/Storage\/Bucket\/Resource$/,
    reason: 'Server access logs would need a second bucket; use CloudTrail data events if an audit trail of object reads is required.',
  },
  {
    rule: /^AwsSolutions-ECS2$/,
    path: /\/Training\/TrainerTask\/Resource$/,
    reason: 'The only static variable is the bucket name (not a secret); run inputs arrive as container overrides per execution.',
  },
  {
    rule: /^AwsSolutions-(APIG4|COG4)$/,
    path: /\/Api\/RestApi\/Default\//,
    reason:
      'Every method requires an API key bound to a usage plan with throttling and a quota: the clients are scripts and ' +
      'notebooks of ML engineers, not end users with Cognito identities. Put IAM auth or a Cognito authorizer in front for multi-tenant use.',
  },
  {
    rule: /^AwsSolutions-APIG3$/,
    path: /\/Api\/RestApi\/DeploymentStage\.\w+\/Resource$/,
    reason: 'A WAF web ACL costs a fixed monthly fee; the API is key-protected and throttled. Attach one for public exposure.',
  },
];

/** Acknowledges (with its reason) every AwsSolutions finding in `stack` that matches NAG_ACKNOWLEDGEMENTS. */
export function acknowledgeNagFindings(stack: Stack): void {
  const byPath = new Map<string, IConstruct>(stack.node.findAll().map((c) => [c.node.path, c]));
  const report = new AwsSolutionsChecks().validateScope(stack);
  for (const violation of report.violations) {
    for (const resource of violation.violatingResources) {
      const path = (resource as { constructPath?: string }).constructPath;
      const construct = path ? byPath.get(path) : undefined;
      const match = NAG_ACKNOWLEDGEMENTS.find((a) => a.rule.test(violation.ruleName) && path !== undefined && a.path.test(path));
      if (construct && match) Validations.of(construct).acknowledge({ id: violation.ruleName, reason: match.reason });
    }
  }
}
