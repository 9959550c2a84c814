/** A Lambda context object for handlers invoked locally (Powertools reads functionName, requestId, remaining time). */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** @param timeoutMs the function's timeout, ms (getRemainingTimeInMillis counts down from it). */
export function localLambdaContext(functionName: string, timeoutMs = 900_000): Context {
  const started = Date.now();
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Lambda handler signature as our functions export it. */
export type LambdaHandler<E = unknown, R = unknown> = (event: E, context: Context) => Promise<R>;

/** Imports `handler` from a module path (absolute), once. */
export async function loadHandler<E, R>(modulePath: string): Promise<LambdaHandler<E, R>> {
  const mod = (await import(modulePath)) as { handler?: LambdaHandler<E, R> };
  if (typeof mod.handler !== 'function') throw new Error(`${modulePath} does not export a handler function`);
  return mod.handler;
}
