/**
 * What the workflow's Lambda tasks share: validating the state they receive.
 */
import { z } from 'zod';
import { ErrorCode, RequestError } from '../errors';
import { describeZodError } from './params';

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
