/**
 * Every `ser` subcommand, in the order `ser --help` lists them.
 * To add a command: create cli/commands/<name>.ts exporting `<name>Command(): Command` (and `run<Name>(options)`),
 * then add ONE import line and ONE entry below.
 */
import type { Command } from 'commander';
import { featuresCommand } from './features';

export const COMMANDS: ReadonlyArray<() => Command> = [
  featuresCommand,
];
