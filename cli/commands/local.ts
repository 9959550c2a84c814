/**
 * `ser local up|down|status|dead-letters` — the embedded local stack (no AWS account, no Docker): S3 + DynamoDB,
 * S3 events → extractor, the synthesized training workflow, the REST API, all in one process on 127.0.0.1.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { ConfigError } from '../../shared/errors';
import { handleError } from '../handle-error';
import { readDeadLetters, DEAD_LETTERS_FILE } from '../local/dead-letters';
import { DEFAULT_STATE_DIR, endpointsPath, isRunning, readEndpointsFile, type LocalEndpoints } from '../local/endpoints';
// The stack pulls in aws-cdk-lib (workflow synthesis): loaded only by the commands that start it.
import type { LocalStack } from '../local/stack';

export interface LocalUpOptions {
  port: number;
  state: string;
  workers?: number;
  log?: (line: string) => void;
}

/** Starts the stack (refusing when one already runs for this state folder). */
export async function runLocalUp(options: LocalUpOptions): Promise<LocalStack> {
  const existing = readEndpointsFile(options.state);
  if (isRunning(existing)) {
    throw new ConfigError(`A local stack is already running for ${options.state} (pid ${existing.pid}, ${existing.apiUrl})`, { suggestion: 'Stop it with `ser local down`.' });
  }
  const { startLocalStack } = await import('../local/stack');
  return startLocalStack({ stateDir: options.state, port: options.port, extractWorkers: options.workers, log: options.log });
}

/** What `ser local up` prints: endpoints and `export` lines for the AWS CLI/SDKs. */
export function describeEndpoints(e: LocalEndpoints, stateDir: string): string {
  return [
    `local stack running (pid ${e.pid}); state in ${stateDir}`,
    `  REST API        ${e.apiUrl}   (POST /predict, /training-runs, GET /models, …)`,
    `  S3              ${e.s3}   bucket ${e.bucket}`,
    `  DynamoDB        ${e.dynamodb}   tables ${e.featuresTable}, ${e.runsTable}`,
    `  Step Functions  ${e.sfn}   ${e.stateMachineArn}`,
    '',
    '# point the AWS CLI/SDKs at it:',
    ...Object.entries(e.env).map(([k, v]) => `export ${k}=${v}`),
    '',
    `# e.g. aws s3 cp clip.wav s3://${e.bucket}/audio/clip.wav ; ser train --wait ; ser predict clip.wav`,
    `# endpoints written to ${endpointsPath(stateDir)}; stop with \`ser local down\` or Ctrl-C`,
    '',
  ].join('\n');
}

/** Signals the stack's process and waits until it is gone. @returns false when none was running */
export async function runLocalDown(state: string, timeoutMs = 30_000): Promise<boolean> {
  const e = readEndpointsFile(state);
  if (!isRunning(e)) return false;
  process.kill(e.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isRunning(e) && Date.now() < deadline) await sleep(100);
  if (isRunning(e)) process.kill(e.pid, 'SIGKILL');
  return true;
}

export function localCommand(): Command {
  const local = new Command('local').description('the embedded local stack (S3, DynamoDB, event delivery, workflow, REST API) on 127.0.0.1');
  local
    .command('up')
    .description('start the local stack in this process (Ctrl-C or `ser local down` stops it; state is kept)')
    .option('--port <n>', 'REST API port; S3, DynamoDB and Step Functions use the next three', '3000')
    .option('--state <dir>', 'state folder (objects, tables, executions, dead letters)', DEFAULT_STATE_DIR)
    .option('--workers <n>', 'extractor worker threads (0 = main thread)', '2')
    .action(async (flags: { port: string; state: string; workers: string }) => {
      try {
        const stack = await runLocalUp({ port: Number(flags.port), state: flags.state, workers: Number(flags.workers), log: (l) => process.stdout.write(`${l}\n`) });
        process.stdout.write(describeEndpoints(stack.endpoints, flags.state));
        let stopping = false;
        const stop = async () => {
          if (stopping) return;
          stopping = true;
          process.stdout.write('stopping the local stack…\n');
          await stack.close();
          process.exit(0);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      } catch (e) {
        handleError(e);
      }
    });
  local
    .command('down')
    .description('stop the local stack started with `ser local up`')
    .option('--state <dir>', 'state folder', DEFAULT_STATE_DIR)
    .action(async (flags: { state: string }) => {
      try {
        process.stdout.write((await runLocalDown(flags.state)) ? 'local stack stopped\n' : `no local stack running for ${flags.state}\n`);
      } catch (e) {
        handleError(e);
      }
    });
  local
    .command('status')
    .description('is a local stack running, and where')
    .option('--state <dir>', 'state folder', DEFAULT_STATE_DIR)
    .action((flags: { state: string }) => {
      const e = readEndpointsFile(flags.state);
      if (isRunning(e)) process.stdout.write(describeEndpoints(e, flags.state));
      else {
        process.stdout.write(`no local stack running for ${flags.state}\n`);
        process.exitCode = 1;
      }
    });
  local
    .command('dead-letters')
    .description('messages the extractor failed on maxReceiveCount times (the local dead-letter queue)')
    .option('--state <dir>', 'state folder', DEFAULT_STATE_DIR)
    .action((flags: { state: string }) => {
      const letters = readDeadLetters(join(flags.state, DEAD_LETTERS_FILE));
      if (!letters.length) process.stdout.write('no dead letters\n');
      for (const l of letters) {
        const keys = (() => {
          try {
            return (JSON.parse(l.body) as { Records: { s3: { object: { key: string } } }[] }).Records.map((r) => decodeURIComponent(r.s3.object.key.replace(/\+/g, ' '))).join(', ');
          } catch {
            return l.body.slice(0, 80);
          }
        })();
        process.stdout.write(`${l.deadLetteredAt}  ${keys}  after ${l.receiveCount} receives: ${l.reason}\n`);
      }
    });
  return local;
}
