/**
 * One way to build a Lambda function from a handler under functions/: esbuild on the local machine (never Docker),
 * Node.js 22 on ARM64, ESM output, its own log group with retention, Powertools environment, X-Ray tracing.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../paths';

export interface SerFunctionProps {
  /** Folder under functions/ holding `handler.ts` (exports `handler`). */
  readonly name: string;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** Environment variables (names from shared/names.ts ENV). */
  readonly environment?: Record<string, string>;
  /** Log retention of the function's log group. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** Extra modules left out of the bundle (on top of the AWS SDK v3, which the runtime provides). */
  readonly externalModules?: string[];
  /** Ship a source map (readable stack traces in the logs). @default true */
  readonly sourceMap?: boolean;
  /**
   * Bundle the AWS SDK v3 clients instead of importing the runtime's copy: one pre-linked file loads faster than
   * the hundreds of SDK modules Node resolves at init (worth it where cold start matters). @default false
   */
  readonly bundleAwsSdk?: boolean;
}

/** Modules never bundled: the AWS SDK v3 is in the Node.js 22 runtime; tfjs-node is native and only for the container. */
export const ALWAYS_EXTERNAL = ['@aws-sdk/*', '@tensorflow/tfjs-node'] as const;

/** ESM bundles still meet CommonJS dependencies that call `require`: give them one. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __serCreateRequire } from 'node:module'; const require = __serCreateRequire(import.meta.url);";

export class SerFunction extends Construct {
  public readonly fn: NodejsFunction;
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: SerFunctionProps) {
    super(scope, id);
    const entry = join(REPO_ROOT, 'functions', props.name, 'handler.ts');
    if (!existsSync(entry)) throw new Error(`Missing Lambda entry ${entry} (every function exports \`handler\`).`);

    const sourceMap = props.sourceMap ?? true;
    // An explicit log group (instead of the `logRetention` custom resource) keeps retention without an extra Lambda.
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.fn = new NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: `ser-${props.name}`,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...(sourceMap ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        target: 'node22',
        minify: true,
        sourceMap,
        banner: ESM_REQUIRE_BANNER,
        externalModules: [...ALWAYS_EXTERNAL.filter((m) => !(props.bundleAwsSdk && m === '@aws-sdk/*')), ...(props.externalModules ?? [])],
      },
    });
  }
}
