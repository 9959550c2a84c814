/**
 * A pool of worker threads each running the same Lambda handler — the local equivalent of Lambda running several
 * execution environments at once, so CPU-bound handlers (feature extraction) use every core.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const BOOTSTRAP = fileURLToPath(new URL('./lambda-worker-bootstrap.mjs', import.meta.url));

export interface WorkerPoolOptions {
  /** Absolute path of the handler module (exports `handler`). */
  modulePath: string;
  functionName: string;
  size: number;
  /** Environment of the workers (the stack's env vars: endpoints, table and bucket names). */
  env: Record<string, string | undefined>;
}

interface Slot {
  worker: Worker;
  busy: number;
}

/** Error thrown by the handler inside a worker, with its original name/code. */
export class RemoteHandlerError extends Error {
  constructor(
    name: string,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = name;
  }
}

export class LambdaWorkerPool {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void; slot: Slot }>();
  private nextId = 0;

  constructor(options: WorkerPoolOptions) {
    this.slots = Array.from({ length: Math.max(1, options.size) }, () => {
      const worker = new Worker(BOOTSTRAP, {
        workerData: { modulePath: options.modulePath, functionName: options.functionName },
        env: options.env,
      });
      const slot: Slot = { worker, busy: 0 };
      worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: { name: string; message: string; code?: string } }) => {
        const call = this.pending.get(id);
        if (!call) return;
        this.pending.delete(id);
        call.slot.busy--;
        if (error) call.reject(new RemoteHandlerError(error.name, error.message, error.code));
        else call.resolve(result);
      });
      worker.on('error', (e) => {
        for (const [id, call] of this.pending) {
          if (call.slot !== slot) continue;
          this.pending.delete(id);
          call.reject(e);
        }
      });
      return slot;
    });
  }

  /** Invokes the handler in the least busy worker. */
  invoke<R>(event: unknown): Promise<R> {
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy++;
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, slot });
      slot.worker.postMessage({ id, event });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
