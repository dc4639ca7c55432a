import { UsageError, type CliCommand } from './command.ts';
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
    'Exit codes: 0 ok, 1 usage error, 2 some input could not be processed.',
  ].join('\n');
}

/** Finds the longest command name that the arguments start with ("audit verify" before "audit"). */
function findCommand(argv: string[]): { command: CliCommand; rest: string[] } | undefined {
  const sorted = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const command of sorted) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(words.length) };
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
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`takedown ${command.name}: ${(error as Error).message}\n\n${command.help}`);
      return 1;
    }
    throw error;
  }
}
