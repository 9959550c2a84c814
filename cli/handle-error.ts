/**
 * One place that turns any error into what the user sees: `error CODE: message`, a suggestion, a non-zero exit.
 * Exit codes: 0 success, 1 the work failed (bad input files, AWS errors, …), 2 usage error (bad flags/arguments).
 */
import { CommanderError } from 'commander';
import { ZodError } from 'zod';
import { ErrorCode, SerError, type SerErrorOptions } from '../shared/errors';

export const EXIT = Object.freeze({ OK: 0, FAILED: 1, USAGE: 2 });

/** The command line was used wrongly (missing path, bad flag value). Exit code 2. */
export class UsageError extends SerError {
  constructor(message: string, options: SerErrorOptions = {}) {
    super(ErrorCode.INVALID_ARGUMENT, message, { suggestion: 'Run `ser <command> --help` for usage.', ...options });
  }
}

/** Normalise anything thrown into a SerError (zod validation failures become usage errors). */
export function toSerError(error: unknown): SerError {
  if (error instanceof SerError) return error;
  if (error instanceof ZodError) {
    const issues = error.issues.map((i) => `${i.path.length ? `--${i.path.join('.')}` : 'arguments'}: ${i.message}`).join('; ');
    return new UsageError(`Invalid options: ${issues}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SerError(ErrorCode.INTERNAL, message, {
    cause: error,
    suggestion: 'This looks like a bug. Re-run with SER_DEBUG=1 for a stack trace and report it.',
  });
}

/** Exit code for an error: 2 for usage errors, else 1. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  return toSerError(error).code === ErrorCode.INVALID_ARGUMENT ? EXIT.USAGE : EXIT.FAILED;
}

/** The lines printed for an error: `error CODE: message` and, when known, the suggestion. */
export function formatError(error: unknown): string {
  const e = toSerError(error);
  let text = `error ${e.code}: ${e.message}\n`;
  if (e.suggestion) text += `  ${e.suggestion}\n`;
  if (process.env.SER_DEBUG && e.cause instanceof Error && e.cause.stack) text += `${e.cause.stack}\n`;
  return text;
}

/** Print the error on stderr and exit non-zero. Commander's own errors were already printed by commander. */
export function handleError(error: unknown): never {
  if (!(error instanceof CommanderError)) process.stderr.write(formatError(error));
  process.exit(exitCodeOf(error));
}
