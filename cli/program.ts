/**
 * The `ser` commander program (no side effects: tests build it and parse argv without exiting).
 * Usage errors (unknown command/option, missing argument) exit with code 2.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { COMMANDS } from './commands';
import { EXIT } from './handle-error';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string; description: string };

export function createProgram(): Command {
  const program = new Command('ser')
    .description('Speech emotion recognition pipeline: local feature extraction, training and prediction, on AWS or locally')
    .version(pkg.version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nExit codes: 0 success; 1 the work failed (details on stderr); 2 usage error.');
  for (const make of COMMANDS) program.addCommand(make());
  // Commander exits 1 on usage errors; we want 2 (1 means "the work failed"). Applies to every subcommand.
  const usageExit = (cmd: Command) => {
    cmd.exitOverride((err) => {
      if (err.exitCode === 0) throw err; // --help, --version
      process.exit(EXIT.USAGE);
    });
    cmd.commands.forEach(usageExit);
  };
  usageExit(program);
  return program;
}
