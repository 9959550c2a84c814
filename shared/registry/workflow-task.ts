/**
 * What the workflow's Lambda tasks share: validating the state they receive and resolving their dependencies once
 * per container (lazily, so importing a handler never reads the environment).
 */
import { z } from 'zod';
import { ErrorCode, RequestError } from '../errors';
import { describeZodError } from './params';

/** Resolve `deps` (a value or a factory) once, on first use. */
export function once<T>(deps: T | (() => T)): () => T {
  let resolved: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      resolved = typeof deps === 'function' ? (deps as () => T)() : deps;
      done = true;
    }
    return resolved as T;
  };
}

/** Parse a task's input with `schema`; a mismatch is a RequestError INVALID_REQUEST naming the fields. */
export function parseTaskInput<S extends z.ZodType>(schema: S, event: unknown, task: string): z.output<S> {
  const parsed = schema.safeParse(event);
  if (!parsed.success) {
    throw new RequestError(ErrorCode.INVALID_REQUEST, `${task} received an invalid state: ${describeZodError(parsed.error)}`, {
      suggestion: 'Start training runs through POST /training-runs or `ser train`, which build the workflow input.',
    });
  }
  return parsed.data;
}
