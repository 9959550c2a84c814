/**
 * A minimal Step Functions API on 127.0.0.1 (AWS JSON 1.0: StartExecution, DescribeExecution, ListExecutions,
 * StopExecution) in front of the local workflow runner, so the real control handler's SDK calls work unchanged with
 * AWS_ENDPOINT_URL_SFN pointing here.
 */
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ExecutionRecord, LocalWorkflowRunner } from './workflow-runner';

export interface SfnEndpoint {
  url: string;
  server: Server;
  close(): Promise<void>;
}

class SfnApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const seconds = (ms?: number) => (ms === undefined ? undefined : ms / 1000);

/** ListExecutions' item: what every execution answer starts with. */
function summary(r: ExecutionRecord) {
  return {
    executionArn: r.executionArn,
    stateMachineArn: r.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: seconds(r.startDate),
    ...(r.stopDate ? { stopDate: seconds(r.stopDate) } : {}),
  };
}

function describe(r: ExecutionRecord) {
  return {
    ...summary(r),
    input: r.input,
    ...(r.output !== undefined ? { output: r.output } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.cause !== undefined ? { cause: r.cause } : {}),
  };
}

export function sfnOperations(runner: LocalWorkflowRunner, stateMachineArn: string) {
  const checkMachine = (arn: unknown) => {
    if (arn !== stateMachineArn) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
  };
  const find = (arn: unknown) => {
    const r = runner.describe(String(arn));
    if (!r) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(arn)}'`);
    return r;
  };
  return {
    StartExecution(body: { stateMachineArn?: string; name?: string; input?: string }) {
      checkMachine(body.stateMachineArn);
      const input = body.input ?? '{}';
      try {
        JSON.parse(input);
      } catch {
        throw new SfnApiError('InvalidExecutionInput', 'Invalid execution input: not JSON');
      }
      try {
        const r = runner.start(body.name ?? randomUUID(), input);
        return { executionArn: r.executionArn, startDate: seconds(r.startDate) };
      } catch (e) {
        if ((e as Error).name === 'ExecutionAlreadyExists') throw new SfnApiError('ExecutionAlreadyExists', (e as Error).message);
        throw e;
      }
    },
    DescribeExecution(body: { executionArn?: string }) {
      return describe(find(body.executionArn));
    },
    ListExecutions(body: { stateMachineArn?: string; statusFilter?: string; maxResults?: number }) {
      checkMachine(body.stateMachineArn);
      const all = runner.list().filter((r) => !body.statusFilter || r.status === body.statusFilter);
      return {
        executions: all.slice(0, body.maxResults || 100).map(summary),
      };
    },
  } as Record<string, (body: any) => unknown>;
}

export async function startSfnEndpoint(runner: LocalWorkflowRunner, stateMachineArn: string, port = 0): Promise<SfnEndpoint> {
  const operations = sfnOperations(runner, stateMachineArn);
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : '';
    res.setHeader('content-type', 'application/x-amz-json-1.0');
    try {
      const op = operations[operation];
      if (!op) throw new SfnApiError('UnknownOperationException', `The local Step Functions endpoint does not implement ${target || 'this request'}`);
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      res.statusCode = 200;
      res.end(JSON.stringify(op(body)));
    } catch (e) {
      const type = e instanceof SfnApiError ? e.type : 'InternalFailure';
      res.statusCode = e instanceof SfnApiError ? 400 : 500;
      res.setHeader('x-amzn-errortype', type);
      res.end(JSON.stringify({ __type: type, message: (e as Error).message }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
