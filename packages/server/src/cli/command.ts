/** What one `takedown` command does: its help text and what it runs. */
export interface CliCommand {
  /** The full `--help` text. */
  help: string;
  /** Runs the command; resolves to the process exit code (0 ok, 1 usage, 2 input errors). */
  run(args: string[]): Promise<number>;
}

/** A line of the command list; the command's module is loaded only when it runs or shows its help. */
export interface CommandEntry {
  /** The word after `takedown`, e.g. `hash`, or two words for a group, e.g. `audit verify`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  load(): Promise<CliCommand>;
}

/** Thrown for a command line that cannot be understood; printed with the command's help, exit code 1. */
export class UsageError extends Error {}
