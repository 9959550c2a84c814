/**
 * Training: the Step Functions workflow Assemble (Lambda) → Train (ECS Fargate RunTask .sync, or a Lambda on
 * LocalStack) → Register (Lambda), every task with a timeout, retries with backoff on transient errors and a Catch
 * that goes to MarkFailed (Lambda) → Fail. Also the network and compute the trainer container runs on.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { FlowLogDestination, FlowLogTrafficType, SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import {
  AwsLogDriver,
  Cluster,
  ContainerImage,
  ContainerInsights,
  CpuArchitecture,
  FargateTaskDefinition,
  OperatingSystemFamily,
  type ContainerDefinition,
} from 'aws-cdk-lib/aws-ecs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  Fail,
  IntegrationPattern,
  JsonPath,
  LogLevel,
  StateMachine,
  TaskInput,
  Timeout,
  type TaskStateBase,
} from 'aws-cdk-lib/aws-stepfunctions';
import { EcsFargateLaunchTarget, EcsRunTask, LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENV, PREFIX, TRAINER_ENV, WORKFLOW_STATE } from '../../shared/names';
import { REPO_ROOT } from '../paths';
import { SerFunction } from './node-function';
import type { Storage } from './storage';

/** Name of the terminal Fail state every failure ends in (after MarkFailed). */
export const FAIL_STATE = 'Fail';

/** Errors worth retrying: the service or the network hiccuped, the task itself did not fail. */
export const TRANSIENT_LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
] as const;
export const TRANSIENT_ECS_ERRORS = ['ECS.AmazonECSException', 'ECS.ServerException', 'ECS.ThrottlingException'] as const;

/** Files in the repository root that the trainer image never needs (kept out of the Docker build context). */
const CONTAINER_CONTEXT_EXCLUDES = [
  'node_modules',
  'cdk.out',
  '.git',
  '.ser-local',
  'test',
  'docs',
  'dist',
  '**/*.wav',
  '**/*.WAV',
  '*.log',
];

export interface TrainingProps {
  readonly storage: Storage;
  /** Train in a Lambda (LocalStack free tier has no ECS) instead of an ECS Fargate task. @default false */
  readonly trainInLambda?: boolean;
  /** Fargate vCPU units (1024 = 1 vCPU). @default 2048 */
  readonly trainCpu?: number;
  /** Fargate memory, MiB. @default 8192 */
  readonly trainMemoryMiB?: number;
  /** Longest a training task may run. @default 2 hours (Lambda variant: 15 minutes, the Lambda maximum) */
  readonly trainTimeout?: Duration;
  /** Longest a whole execution may run. @default 3 hours */
  readonly workflowTimeout?: Duration;
  /** Retention of the workflow, container and function logs. @default one month */
  readonly logRetention?: RetentionDays;
}

export class Training extends Construct {
  public readonly stateMachine: StateMachine;
  public readonly assemble: SerFunction;
  public readonly register: SerFunction;
  public readonly markFailed: SerFunction;
  /** Only in the Lambda-trainer (LocalStack) variant. */
  public readonly trainFunction?: SerFunction;
  /** Only in the ECS variant. */
  public readonly cluster?: Cluster;
  public readonly taskDefinition?: FargateTaskDefinition;
  public readonly container?: ContainerDefinition;
  public readonly vpc?: Vpc;

  constructor(scope: Construct, id: string, props: TrainingProps) {
    super(scope, id);
    const { storage } = props;
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const tables = { [ENV.BUCKET]: storage.bucket.bucketName, [ENV.RUNS_TABLE]: storage.runsTable.tableName };

    this.assemble = new SerFunction(this, 'AssembleFunction', {
      name: 'assemble',
      memorySize: 1024,
      timeout: Duration.minutes(5),
      logRetention,
      environment: { ...tables, [ENV.FEATURES_TABLE]: storage.featuresTable.tableName },
    });
    storage.featuresTable.grantReadData(this.assemble.fn);
    storage.runsTable.grantReadWriteData(this.assemble.fn);
    storage.grantObjectWrite(this.assemble.fn, PREFIX.DATASETS);

    this.register = new SerFunction(this, 'RegisterFunction', {
      name: 'register',
      memorySize: 256,
      timeout: Duration.seconds(30),
      logRetention,
      environment: tables,
    });
    storage.runsTable.grantReadWriteData(this.register.fn);
    storage.grantObjectRead(this.register.fn, PREFIX.MODELS);

    this.markFailed = new SerFunction(this, 'MarkFailedFunction', {
      name: 'mark-failed',
      memorySize: 256,
      timeout: Duration.seconds(30),
      logRetention,
      environment: { [ENV.RUNS_TABLE]: storage.runsTable.tableName },
    });
    storage.runsTable.grantReadWriteData(this.markFailed.fn);

    const lambdaTimeout = (fn: SerFunction) => Timeout.duration(fn.fn.timeout!.plus(Duration.seconds(30)));

    const assembleTask = new LambdaInvoke(this, WORKFLOW_STATE.ASSEMBLE, {
      lambdaFunction: this.assemble.fn,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath: '$.dataset',
      taskTimeout: lambdaTimeout(this.assemble),
    });

    let trainTask: TaskStateBase;
    const trainerEnv = {
      [TRAINER_ENV.RUN_ID]: JsonPath.stringAt('$.runId'),
      [TRAINER_ENV.DATASET_PREFIX]: JsonPath.stringAt('$.dataset.prefix'),
      [TRAINER_ENV.PARAMS]: JsonPath.jsonToString(JsonPath.objectAt('$.params')),
    };
    if (props.trainInLambda) {
      const timeout = props.trainTimeout ?? Duration.minutes(15);
      this.trainFunction = new SerFunction(this, 'TrainFunction', {
        name: 'train',
        memorySize: 4096,
        timeout,
        logRetention,
        environment: { [ENV.BUCKET]: storage.bucket.bucketName },
      });
      storage.grantObjectRead(this.trainFunction.fn, PREFIX.DATASETS);
      storage.grantObjectWrite(this.trainFunction.fn, PREFIX.MODELS);
      trainTask = new LambdaInvoke(this, WORKFLOW_STATE.TRAIN, {
        lambdaFunction: this.trainFunction.fn,
        // The same three values the container gets as environment variables, under the same names.
        payload: TaskInput.fromObject(trainerEnv),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        resultPath: '$.train',
        taskTimeout: Timeout.duration(timeout.plus(Duration.seconds(30))),
      });
      trainTask.addRetry({ errors: [...TRANSIENT_LAMBDA_ERRORS], interval: Duration.seconds(5), maxAttempts: 3, backoffRate: 2 });
    } else {
      const ecs = this.trainOnFargate(props, logRetention);
      this.vpc = ecs.vpc;
      this.cluster = ecs.cluster;
      this.taskDefinition = ecs.taskDefinition;
      this.container = ecs.container;
      trainTask = new EcsRunTask(this, WORKFLOW_STATE.TRAIN, {
        integrationPattern: IntegrationPattern.RUN_JOB,
        cluster: ecs.cluster,
        taskDefinition: ecs.taskDefinition,
        launchTarget: new EcsFargateLaunchTarget(),
        // Public subnets and a public IP: the task reaches S3/ECR/CloudWatch without a NAT gateway.
        assignPublicIp: true,
        subnets: { subnetType: SubnetType.PUBLIC },
        securityGroups: [ecs.securityGroup],
        containerOverrides: [
          {
            containerDefinition: ecs.container,
            environment: Object.entries(trainerEnv).map(([name, value]) => ({ name, value })),
          },
        ],
        resultPath: '$.train',
        taskTimeout: Timeout.duration(props.trainTimeout ?? Duration.hours(2)),
      });
      trainTask.addRetry({ errors: [...TRANSIENT_ECS_ERRORS], interval: Duration.seconds(30), maxAttempts: 3, backoffRate: 2 });
    }

    const registerTask = new LambdaInvoke(this, WORKFLOW_STATE.REGISTER, {
      lambdaFunction: this.register.fn,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath: '$.result',
      taskTimeout: lambdaTimeout(this.register),
    });

    const fail = new Fail(this, FAIL_STATE, { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const markFailedTask = new LambdaInvoke(this, WORKFLOW_STATE.MARK_FAILED, {
      lambdaFunction: this.markFailed.fn,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      // Keep the state (and its $.error) for the Fail state; the function's result is not needed.
      resultPath: JsonPath.DISCARD,
      taskTimeout: lambdaTimeout(this.markFailed),
    });
    markFailedTask.addRetry({ errors: [...TRANSIENT_LAMBDA_ERRORS, 'States.Timeout'], interval: Duration.seconds(2), maxAttempts: 4, backoffRate: 2 });
    // If even recording the failure fails, still end in Fail with the original error.
    markFailedTask.addCatch(fail, { errors: ['States.ALL'], resultPath: '$.markFailedError' });
    markFailedTask.next(fail);

    for (const task of [assembleTask, registerTask]) {
      task.addRetry({ errors: [...TRANSIENT_LAMBDA_ERRORS], interval: Duration.seconds(2), maxAttempts: 4, backoffRate: 2 });
    }
    for (const task of [assembleTask, trainTask, registerTask]) task.addCatch(markFailedTask, { errors: ['States.ALL'], resultPath: '$.error' });

    const logGroup = new LogGroup(this, 'WorkflowLogs', { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(assembleTask.next(trainTask).next(registerTask)),
      timeout: props.workflowTimeout ?? Duration.hours(3),
      tracingEnabled: true,
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
      comment: 'Speech emotion recognition training: Assemble → Train → Register; failures → MarkFailed → Fail',
    });
  }

  private trainOnFargate(props: TrainingProps, logRetention: RetentionDays) {
    const { storage } = props;
    // Public subnets only, no NAT gateway: an idle VPC costs nothing; tasks get a public IP and no inbound rules.
    const vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 }],
    });
    // Rejected connections only: an audit trail of anything probing the trainer, at no cost while nothing runs.
    const flowLogs = new LogGroup(this, 'VpcFlowLogs', { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY });
    vpc.addFlowLog('FlowLog', { destination: FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: FlowLogTrafficType.REJECT });
    const securityGroup = new SecurityGroup(this, 'TrainerSecurityGroup', {
      vpc,
      description: 'Trainer tasks: no inbound, HTTPS out to AWS APIs',
      allowAllOutbound: true,
    });
    const cluster = new Cluster(this, 'Cluster', { vpc, containerInsightsV2: ContainerInsights.ENABLED });
    const taskDefinition = new FargateTaskDefinition(this, 'TrainerTask', {
      cpu: props.trainCpu ?? 2048,
      memoryLimitMiB: props.trainMemoryMiB ?? 8192,
      // tfjs-node ships libtensorflow for linux x64 only.
      runtimePlatform: { cpuArchitecture: CpuArchitecture.X86_64, operatingSystemFamily: OperatingSystemFamily.LINUX },
    });
    const containerLogs = new LogGroup(this, 'TrainerLogs', { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY });
    const container = taskDefinition.addContainer('trainer', {
      image: ContainerImage.fromAsset(REPO_ROOT, {
        file: 'functions/train/Dockerfile',
        platform: Platform.LINUX_AMD64,
        exclude: CONTAINER_CONTEXT_EXCLUDES,
      }),
      logging: new AwsLogDriver({ logGroup: containerLogs, streamPrefix: 'trainer' }),
      environment: { [ENV.BUCKET]: storage.bucket.bucketName },
      essential: true,
    });
    storage.grantObjectRead(taskDefinition.taskRole, PREFIX.DATASETS);
    storage.grantObjectWrite(taskDefinition.taskRole, PREFIX.MODELS);
    return { vpc, cluster, taskDefinition, container, securityGroup };
  }
}
