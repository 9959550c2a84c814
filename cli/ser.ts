/**
 * Entry point of the `ser` CLI (bin/ser.js runs this file through tsx): build the program, run it, and map any
 * error to `error CODE: message` + a non-zero exit code.
 */
import { CommanderError } from 'commander';
import { createProgram } from './program';
import { handleError } from './handle-error';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError && error.exitCode === 0) process.exit(0);
  handleError(error);
}
