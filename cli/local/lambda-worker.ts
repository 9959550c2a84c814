/**
 * Runs one Lambda handler inside a worker thread (one "concurrent execution environment"): loads the module named in
 * workerData once, then answers { id, event } messages with { id, result } or { id, error }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadHandler, localLambdaContext } from './lambda-context';

const { modulePath, functionName } = workerData as { modulePath: string; functionName: string };
const handler = loadHandler(modulePath);

parentPort!.on('message', async ({ id, event }: { id: number; event: unknown }) => {
  try {
    const result = await (await handler)(event, localLambdaContext(functionName));
    parentPort!.postMessage({ id, result });
  } catch (e) {
    const error = e instanceof Error ? { name: e.name, message: e.message, stack: e.stack, code: (e as { code?: unknown }).code } : { name: 'Error', message: String(e) };
    parentPort!.postMessage({ id, error });
  }
});
