import { ConfigError } from '../config/config-error.ts';
import { DatabaseInUseError, DatabaseUnavailableError } from '../store/database-errors.ts';
import { UsageError, type CommandEntry } from './command.ts';
import { commands } from './commands/index.ts';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'takedown: removal of non-consensual intimate imagery, from request to removal.',
    '',
    'Usage: takedown <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `takedown <command> --help` for the options of one command.',
    'Exit codes: 0 ok, 1 usage or configuration error (the message says what to fix), 2 some input could not be processed.',
  ].join('\n');
}

/** Finds the longest command name that the arguments start with ("audit verify" before "audit"). */
function findCommand(argv: string[]): { entry: CommandEntry; rest: string[] } | undefined {
  const sorted = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const entry of sorted) {
    const words = entry.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { entry, rest: argv.slice(words.length) };
  }
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(overview());
    return argv.length === 0 ? 1 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    console.error(`takedown: unknown command "${argv.join(' ')}".\n\n${overview()}`);
    return 1;
  }
  const { entry, rest } = found;
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`takedown ${entry.name}: ${(error as Error).message}\n\n${command.help}`);
      return 1;
    }
    // Settings or a database the command cannot start with: what to fix, one line each, and no stack trace.
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`takedown ${entry.name}: ${problem.message}`);
      return 1;
    }
    if (error instanceof DatabaseUnavailableError || error instanceof DatabaseInUseError) {
      console.error(`takedown ${entry.name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
