/**
 * API: a REST API (v1 — LocalStack's free tier has v1, not HTTP APIs) with `POST /predict` and the control routes,
 * all behind an API key with a usage plan and throttling, binary WAV bodies, access and execution logs.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  ApiKeySourceType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  Period,
  RestApi,
  type IApiKey,
  type IResource,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV, PREFIX } from '../../shared/names';
import { SerFunction } from './node-function';
import type { Storage } from './storage';

/** Bodies API Gateway passes to Lambda as base64 instead of text. */
export const BINARY_MEDIA_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave', 'application/octet-stream'] as const;

/** Routes and the function that serves them (the contract in the team brief). */
export const ROUTES = {
  predict: [['POST', '/predict']],
  control: [
    ['POST', '/training-runs'],
    ['GET', '/training-runs'],
    ['GET', '/training-runs/{id}'],
    ['GET', '/models'],
    ['POST', '/models/{version}/promote'],
  ],
} as const;

export const API_STAGE = 'v1';

export interface ApiProps {
  readonly storage: Storage;
  readonly stateMachine: StateMachine;
  /** Steady-state requests per second for the stage and the usage plan. @default 20 */
  readonly rateLimit?: number;
  /** Burst of requests. @default 40 */
  readonly burstLimit?: number;
  /** Requests per day per API key. @default 10000 */
  readonly dailyQuota?: number;
  /** @default one month */
  readonly logRetention?: RetentionDays;
}

export class Api extends Construct {
  public readonly restApi: RestApi;
  public readonly apiKey: IApiKey;
  public readonly predict: SerFunction;
  public readonly control: SerFunction;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { storage, stateMachine } = props;
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const rateLimit = props.rateLimit ?? 20;
    const burstLimit = props.burstLimit ?? 40;

    this.predict = new SerFunction(this, 'Predict', {
      name: 'predict',
      // 1,769 MB = one full vCPU: feature extraction + tfjs inference are CPU-bound.
      memorySize: 1769,
      // API Gateway gives up after 29 s.
      timeout: Duration.seconds(29),
      logRetention,
      environment: {
        [ENV.BUCKET]: storage.bucket.bucketName,
        [ENV.RUNS_TABLE]: storage.runsTable.tableName,
        [ENV.MODEL_POINTER_TTL_SECONDS]: '5',
      },
      // No source map: Node parses a bundle's map at load with --enable-source-maps, and cold start matters here.
      sourceMap: false,
      // Cold start (docs/predict.md): the SDK clients inlined import faster than the runtime's SDK; node-fetch is
      // required by tfjs-core only for tf.io.http, which this function never calls (Node has a global fetch).
      bundleAwsSdk: true,
      externalModules: ['node-fetch'],
    });
    storage.runsTable.grantReadData(this.predict.fn);
    storage.grantObjectRead(this.predict.fn, PREFIX.MODELS);
    // `{"s3Key": "audio/…"}` bodies: predictions on files already uploaded.
    storage.grantObjectRead(this.predict.fn, PREFIX.AUDIO);

    this.control = new SerFunction(this, 'Control', {
      name: 'control',
      memorySize: 256,
      timeout: Duration.seconds(10),
      logRetention,
      environment: {
        [ENV.RUNS_TABLE]: storage.runsTable.tableName,
        [ENV.STATE_MACHINE_ARN]: stateMachine.stateMachineArn,
      },
    });
    storage.runsTable.grantReadWriteData(this.control.fn);
    stateMachine.grantStartExecution(this.control.fn);
    stateMachine.grantExecution(this.control.fn, 'states:DescribeExecution');

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.restApi = new RestApi(this, 'RestApi', {
      description: 'Speech emotion recognition: predict and training control',
      binaryMediaTypes: [...BINARY_MEDIA_TYPES],
      apiKeySourceType: ApiKeySourceType.HEADER,
      cloudWatchRole: true,
      deployOptions: {
        stageName: API_STAGE,
        throttlingRateLimit: rateLimit,
        throttlingBurstLimit: burstLimit,
        loggingLevel: MethodLoggingLevel.INFO,
        // Request/response bodies (audio) stay out of the logs.
        dataTraceEnabled: false,
        tracingEnabled: true,
        metricsEnabled: true,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
      },
      defaultMethodOptions: { apiKeyRequired: true },
    });
    // The stack exports the URL once, as ApiUrl; drop RestApi's own auto-named output.
    this.restApi.node.tryRemoveChild('Endpoint');
    const validator = this.restApi.addRequestValidator('Validator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const integrations = {
      predict: new LambdaIntegration(this.predict.fn, { proxy: true }),
      control: new LambdaIntegration(this.control.fn, { proxy: true }),
    };
    for (const [target, routes] of Object.entries(ROUTES) as [keyof typeof ROUTES, readonly (readonly [string, string])[]][]) {
      for (const [method, path] of routes) {
        const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map((m) => `method.request.path.${m[1]}`);
        this.resourceAt(path).addMethod(method, integrations[target], {
          apiKeyRequired: true,
          requestValidator: validator,
          requestParameters: Object.fromEntries(pathParameters.map((p) => [p, true])),
        });
      }
    }

    this.apiKey = this.restApi.addApiKey('ApiKey', { description: 'Key for the speech emotion recognition API' });
    const plan = this.restApi.addUsagePlan('UsagePlan', {
      description: 'Throttle and daily quota per API key',
      throttle: { rateLimit, burstLimit },
      quota: { limit: props.dailyQuota ?? 10_000, period: Period.DAY },
      apiStages: [{ api: this.restApi, stage: this.restApi.deploymentStage }],
    });
    plan.addApiKey(this.apiKey);
  }

  private resourceAt(path: string): IResource {
    return this.restApi.root.resourceForPath(path);
  }
}
