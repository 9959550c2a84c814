/**
 * Every `ser` subcommand, in the order `ser --help` lists them.
 * To add a command: create cli/commands/<name>.ts exporting `<name>Command(): Command` (and `run<Name>(options)`),
 * then add ONE import line and ONE entry below.
 */
import type { Command } from 'commander';
import { featuresCommand } from './features';
import { demoCommand } from './demo';
import { localCommand } from './local';
import { ingestCommand } from './ingest';
import { trainCommand } from './train';
import { runsCommand } from './runs';
import { modelsCommand } from './models';
import { promoteCommand } from './promote';
import { predictCommand } from './predict';
import { experimentCommand } from './experiment';

export const COMMANDS: ReadonlyArray<() => Command> = [
  featuresCommand,
  demoCommand,
  localCommand,
  ingestCommand,
  trainCommand,
  runsCommand,
  modelsCommand,
  promoteCommand,
  predictCommand,
  experimentCommand,
];
