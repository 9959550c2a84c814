/**
 * Builds the CDK app: the pipeline stack from context flags, checked by cdk-nag's AwsSolutions pack with the
 * reasoned suppressions in nag-suppressions.ts. Used by infra/app.ts (the `cdk` entry point), the tests and the
 * workflow-definition export for the local runner.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledgeNagFindings } from './nag-suppressions';
import { PipelineStack } from './pipeline-stack';

export const STACK_NAME = 'SerPipeline';

/** Context flags (`npx cdk synth -c localstack=true -c trainCpu=4096`). */
export const CONTEXT = {
  LOCALSTACK: 'localstack',
  DESTROY_DATA: 'destroyData',
  TRAIN_CPU: 'trainCpu',
  TRAIN_MEMORY_MIB: 'trainMemoryMiB',
} as const;

/** Context that makes CDK skip bundling every stack (esbuild is not run; assets point at their sources). */
export const SKIP_BUNDLING_CONTEXT = { 'aws:cdk:bundling-stacks': [] as string[] };

export interface PipelineAppOptions {
  /** Extra context, e.g. { localstack: 'true' } or SKIP_BUNDLING_CONTEXT. */
  context?: Record<string, unknown>;
  /** Where to write the cloud assembly. @default a temp dir (App default) or CDK_OUTDIR under the CLI */
  outdir?: string;
  /** Run cdk-nag. @default true */
  nag?: boolean;
  /**
   * CDK's built-in CloudFormation template validation (a wasm linter, several seconds per synth).
   * @default true (tests that synthesize many times turn it off)
   */
  cfnValidation?: boolean;
}

function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

function numberOrUndefined(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`Context ${name} must be a positive number, got ${String(value)}`);
  return n;
}

export function createPipelineApp(options: PipelineAppOptions = {}): { app: App; stack: PipelineStack } {
  const app = new App({
    context: options.context,
    builtinCloudFormationValidation: options.cfnValidation ?? true,
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const ctx = (key: string) => app.node.tryGetContext(key) as unknown;
  const stack = new PipelineStack(app, STACK_NAME, {
    description: 'Speech emotion recognition pipeline: S3 → SQS → Lambda features → DynamoDB; Step Functions training; REST API',
    localstack: flag(ctx(CONTEXT.LOCALSTACK)),
    destroyData: flag(ctx(CONTEXT.DESTROY_DATA)),
    trainCpu: numberOrUndefined(ctx(CONTEXT.TRAIN_CPU), CONTEXT.TRAIN_CPU),
    trainMemoryMiB: numberOrUndefined(ctx(CONTEXT.TRAIN_MEMORY_MIB), CONTEXT.TRAIN_MEMORY_MIB),
  });
  if (options.nag ?? true) {
    acknowledgeNagFindings(stack);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));
  }
  return { app, stack };
}
