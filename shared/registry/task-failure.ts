/**
 * Errors across the workflow boundary. Step Functions keeps only a failed task's `Error` (the thrown error's name)
 * and `Cause` (for Lambda: JSON {errorType, errorMessage, trace}; for ECS: the stopped task's description). So the
 * task handlers throw domain errors named by their stable code, and MarkFailed turns `{Error, Cause}` back into the
 * `{code, message}` recorded on the run.
 */
import { ErrorCode, isSerError } from '../errors';

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/** An Error whose name is the domain error's code (so Step Functions' `Error` is e.g. NOT_ENOUGH_DATA). */
export function toTaskError(error: unknown): unknown {
  if (!isSerError(error)) return error;
  const out = new Error(error.suggestion ? `${error.message} ${error.suggestion}` : error.message, { cause: error });
  out.name = error.code;
  return out;
}

/** What a Catch puts at $.error. */
export interface TaskFailure {
  Error?: string;
  Cause?: string;
}

/** The failure as recorded on the run. */
export interface RunFailure {
  code: string;
  message: string;
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Describe a stopped ECS task (Cause of a failed RunTask .sync). */
function describeEcsStop(cause: Record<string, unknown>): string | undefined {
  const containers = Array.isArray(cause.Containers) ? (cause.Containers as Record<string, unknown>[]) : [];
  if (cause.StoppedReason === undefined && containers.length === 0) return undefined;
  const exits = containers
    .filter((c) => c.ExitCode !== undefined || c.Reason !== undefined)
    .map((c) => `container ${String(c.Name ?? '?')} exit code ${String(c.ExitCode ?? '?')}${c.Reason ? ` (${String(c.Reason)})` : ''}`);
  return [`trainer task stopped: ${String(cause.StoppedReason ?? 'unknown reason')}`, ...exits].join('; ');
}

/** Longest message kept on a run, characters (an ECS Cause can be many kB). */
export const MAX_FAILURE_MESSAGE = 2000;

/** Turn a Catch's `{Error, Cause}` into the run's `{code, message}` (message ≤ MAX_FAILURE_MESSAGE chars); never throws. */
export function describeTaskFailure(failure: TaskFailure | undefined): RunFailure {
  const { code, message } = describe(failure);
  return { code, message: message.length > MAX_FAILURE_MESSAGE ? `${message.slice(0, MAX_FAILURE_MESSAGE - 1)}…` : message };
}

function describe(failure: TaskFailure | undefined): RunFailure {
  const error = failure?.Error ?? 'Unknown';
  const cause = parseJson(failure?.Cause);
  if (cause && typeof cause.errorMessage === 'string') {
    const type = typeof cause.errorType === 'string' ? cause.errorType : error;
    if (KNOWN_CODES.has(type)) return { code: type, message: cause.errorMessage };
    return { code: ErrorCode.INTERNAL, message: `${type}: ${cause.errorMessage}` };
  }
  if (KNOWN_CODES.has(error)) return { code: error, message: failure?.Cause ?? error };
  const ecs = cause && describeEcsStop(cause);
  if (ecs) return { code: ErrorCode.TRAINING_FAILED, message: ecs };
  if (error.startsWith('States.')) return { code: ErrorCode.TRAINING_FAILED, message: `${error}${failure?.Cause ? `: ${failure.Cause}` : ''}` };
  return { code: ErrorCode.INTERNAL, message: `${error}${failure?.Cause ? `: ${failure.Cause}` : ''}` };
}
