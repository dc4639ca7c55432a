import type { CliCommand } from '../command.ts';
import { hashCommand } from './hash.ts';
import { compareCommand } from './compare.ts';
import { serveCommand } from './serve.ts';
import { matchCommand } from './match.ts';

/** Every `takedown` command, in the order `takedown --help` lists them. Add new commands here. */
export const commands: CliCommand[] = [
  hashCommand,
  compareCommand,
  serveCommand,
  matchCommand,
];
