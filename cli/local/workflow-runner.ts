/**
 * Runs the training state machine locally with aws-local-stepfunctions: the definition comes from the CDK-synthesized
 * template (infra/workflow-definition.ts), task states are bound by name (WORKFLOW_STATE) to the real handlers and
 * the Train state to a child process running the trainer's container entry point (functions/train/main.ts).
 * Executions are kept like Step Functions keeps them (status, input, output, error, cause), persisted under the
 * state folder so DescribeExecution/ListExecutions survive a restart.
 */
import '../../shared/polyfills';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { TRAINER_ENV, WORKFLOW_STATE } from '../../shared/names';
import { REPO_ROOT } from '../../infra/paths';
import { loadHandler, localLambdaContext } from './lambda-context';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  /** ms since epoch */
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

export interface WorkflowRunnerOptions {
  /** The ASL definition (from synthesizeWorkflowDefinition()). */
  definition: StateMachineDefinition;
  stateMachineArn: string;
  /** Environment of the handlers' process and of the trainer child (endpoints, bucket, tables). */
  env: Record<string, string>;
  /** Where executions are persisted; omitted = memory only. */
  stateDir?: string;
  /** Log sink for state transitions and the trainer's output lines. */
  log?: (line: string) => void;
  /** Trainer command; default `node --import tsx functions/train/main.ts` in the repository root. */
  trainerCommand?: { command: string; args: string[]; cwd?: string };
}

/** Functions the Lambda task states run (module paths relative to the repository root). */
export const LAMBDA_STATE_MODULES: Record<string, string> = {
  [WORKFLOW_STATE.ASSEMBLE]: 'functions/assemble/handler.ts',
  [WORKFLOW_STATE.REGISTER]: 'functions/register/handler.ts',
  [WORKFLOW_STATE.MARK_FAILED]: 'functions/mark-failed/handler.ts',
};

/** The container's entry point, run as a child process instead of an ECS task. */
export const TRAINER_ENTRY = 'functions/train/main.ts';

/** A task failure shaped like Step Functions reports it: Error = name, Cause = message. */
class TaskFailure extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

/** What Lambda puts in Cause when a function throws: {errorType, errorMessage, trace}. */
function lambdaFailure(e: unknown): TaskFailure {
  const err = e instanceof Error ? e : new Error(String(e));
  const errorType = err.name || 'Error';
  return new TaskFailure(errorType, JSON.stringify({ errorType, errorMessage: err.message, trace: (err.stack ?? '').split('\n') }));
}

export class LocalWorkflowRunner {
  private readonly machine: StateMachine;
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, { abort: () => void; done: Promise<void> }>();
  private readonly log: (line: string) => void;
  private readonly executionsDir?: string;

  constructor(private readonly options: WorkflowRunnerOptions) {
    // CDK's definition is valid ASL; the Lambda ARNs are placeholders the local handlers replace.
    this.machine = new StateMachine(options.definition, { validationOptions: { checkArn: false } });
    this.log = options.log ?? (() => undefined);
    if (options.stateDir) {
      this.executionsDir = join(options.stateDir, 'executions');
      mkdirSync(this.executionsDir, { recursive: true });
      for (const file of readdirSync(this.executionsDir).filter((f) => f.endsWith('.json'))) {
        const record = JSON.parse(readFileSync(join(this.executionsDir, file), 'utf8')) as ExecutionRecord;
        // A run that was in flight when the stack stopped will never finish: say so, as Step Functions would.
        if (record.status === 'RUNNING') Object.assign(record, { status: 'ABORTED', stopDate: Date.now(), error: 'LocalStackStopped', cause: 'The local stack stopped during the execution' });
        this.executions.set(record.executionArn, record);
        this.persist(record);
      }
    }
  }

  executionArn(name: string): string {
    return this.options.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${name}`;
  }

  /** StartExecution: returns at once; the execution runs in the background. */
  start(name: string, input: string): ExecutionRecord {
    const executionArn = this.executionArn(name);
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.input === input && existing.status === 'RUNNING') return existing;
      throw Object.assign(new Error(`Execution Already Exists: '${executionArn}'`), { name: 'ExecutionAlreadyExists' });
    }
    const parsed = JSON.parse(input) as unknown;
    const record: ExecutionRecord = { executionArn, stateMachineArn: this.options.stateMachineArn, name, status: 'RUNNING', startDate: Date.now(), input };
    this.executions.set(executionArn, record);
    this.persist(record);
    this.log(`[workflow ${name}] started`);
    const execution = this.machine.run(parsed as never, {
      overrides: { taskResourceLocalHandlers: this.taskHandlers(name) },
      context: {
        Execution: { Id: executionArn, Name: name, Input: parsed as never, StartTime: new Date(record.startDate).toISOString(), RoleArn: 'arn:aws:iam::000000000000:role/local' },
        StateMachine: { Id: this.options.stateMachineArn, Name: this.options.stateMachineArn.split(':').pop()! },
      },
    });
    const done = (async () => {
      void this.logEvents(name, execution.eventLogs);
      try {
        const output = await execution.result;
        Object.assign(record, { status: 'SUCCEEDED', output: JSON.stringify(output) });
      } catch (e) {
        const err = e as Error & { cause?: unknown };
        const status: ExecutionStatus = err.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : err.name === 'ExecutionAbortedError' ? 'ABORTED' : 'FAILED';
        const { error, cause } = failureOf(err);
        Object.assign(record, { status, error, cause });
      }
      record.stopDate = Date.now();
      this.persist(record);
      this.running.delete(executionArn);
      this.log(`[workflow ${name}] ${record.status}${record.error ? ` (${record.error})` : ''}`);
    })();
    this.running.set(executionArn, { abort: execution.abort, done });
    return record;
  }

  describe(executionArn: string): ExecutionRecord | undefined {
    return this.executions.get(executionArn);
  }

  list(): ExecutionRecord[] {
    return [...this.executions.values()].sort((a, b) => b.startDate - a.startDate);
  }

  /** Resolves when the execution has stopped (immediately if it already has). */
  async wait(executionArn: string): Promise<ExecutionRecord | undefined> {
    await this.running.get(executionArn)?.done;
    return this.executions.get(executionArn);
  }

  /** Aborts running executions (their trainer children are killed). */
  async close(): Promise<void> {
    for (const r of this.running.values()) r.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  private taskHandlers(executionName: string) {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [state, module] of Object.entries(LAMBDA_STATE_MODULES)) {
      const load = () => loadHandler<unknown, unknown>(resolve(REPO_ROOT, module));
      handlers[state] = async (input) => {
        const handler = await load();
        try {
          return (await handler(input, localLambdaContext(`ser-local-${state}`))) ?? null;
        } catch (e) {
          this.log(`[workflow ${executionName}] ${state} threw ${(e as Error).name}: ${(e as Error).message}`);
          throw lambdaFailure(e);
        }
      };
    }
    handlers[WORKFLOW_STATE.TRAIN] = (input) => this.runTrainer(executionName, input);
    return handlers as never;
  }

  /** The Train state: the ECS RunTask parameters' container environment → a child process with that environment. */
  private runTrainer(executionName: string, input: unknown): Promise<unknown> {
    const env = trainerEnvironment(input);
    const { command, args, cwd } = this.options.trainerCommand ?? { command: process.execPath, args: ['--import', 'tsx', TRAINER_ENTRY], cwd: REPO_ROOT };
    const prefix = `[train ${env[TRAINER_ENV.RUN_ID] ?? executionName}]`;
    return new Promise((resolvePromise, reject) => {
      const child = spawn(command, args, { cwd: cwd ?? REPO_ROOT, env: { ...process.env, ...this.options.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      const tail: string[] = [];
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on('line', (line) => {
          tail.push(line);
          if (tail.length > 20) tail.shift();
          this.log(`${prefix} ${line}`);
        });
      }
      const startedAt = new Date().toISOString();
      child.on('error', (e) => reject(new TaskFailure('States.TaskFailed', JSON.stringify({ StoppedReason: `Could not start the trainer: ${e.message}` }))));
      child.on('close', (code, signal) => {
        const task = { LastStatus: 'STOPPED', StartedAt: startedAt, StoppedAt: new Date().toISOString(), Containers: [{ Name: 'trainer', ExitCode: code, Reason: signal ?? undefined }] };
        if (code === 0) resolvePromise(task);
        // ECS .sync reports a non-zero exit as States.TaskFailed with the task description as Cause.
        else reject(new TaskFailure('States.TaskFailed', JSON.stringify({ ...task, StopCode: 'EssentialContainerExited', StoppedReason: `Essential container in task exited: ${tail.slice(-5).join(' | ')}` })));
      });
    });
  }

  private async logEvents(name: string, events: AsyncGenerator<{ type: string; state?: { name: string } }>): Promise<void> {
    try {
      for await (const event of events) {
        if (event.type === 'StateEntered' && event.state) this.log(`[workflow ${name}] → ${event.state.name}`);
      }
    } catch {
      // the execution's own result reports failures
    }
  }

  private persist(record: ExecutionRecord): void {
    if (this.executionsDir) writeFileSync(join(this.executionsDir, `${record.name}.json`), JSON.stringify(record, null, 2));
  }
}

/** The environment the Train state gives the container: Overrides.ContainerOverrides[*].Environment (ECS), or a flat object (Lambda variant). */
export function trainerEnvironment(input: unknown): Record<string, string> {
  const overrides = (input as { Overrides?: { ContainerOverrides?: { Environment?: { Name: string; Value: string }[] }[] } })?.Overrides;
  if (overrides?.ContainerOverrides) {
    return Object.fromEntries(overrides.ContainerOverrides.flatMap((c) => c.Environment ?? []).map((e) => [e.Name, String(e.Value)]));
  }
  if (input && typeof input === 'object') {
    return Object.fromEntries(Object.entries(input as Record<string, unknown>).filter(([k]) => k.startsWith('SER_')).map(([k, v]) => [k, String(v)]));
  }
  return {};
}

function failureOf(err: Error & { cause?: unknown }): { error: string; cause: string } {
  // aws-local-stepfunctions wraps the Fail state's error: its message is "Execution has failed with the following error: …"
  const inner = (err as { cause?: { name?: string; message?: string; cause?: string } }).cause;
  if (inner && typeof inner === 'object') return { error: inner.name ?? err.name, cause: String(inner.cause ?? inner.message ?? err.message) };
  return { error: err.name, cause: err.message };
}

export function executionsExist(stateDir: string): boolean {
  return existsSync(join(stateDir, 'executions'));
}
