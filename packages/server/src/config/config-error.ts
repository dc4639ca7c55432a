/** One setting that cannot be used: which one (an environment variable or a file) and what to set instead. */
export interface ConfigProblem {
  setting: string;
  /** A whole sentence naming the setting, what was wrong and what to set, e.g. "PORT must be … (got "x")." */
  message: string;
}

/**
 * Settings that cannot be used. It lists every problem, not the first one, so that a single start shows
 * everything to fix; the CLI prints one line per problem and exits 1, without a stack trace.
 * (A module of its own, with no imports: the CLI entry point and the key loader use it without loading the
 * rest of the configuration.)
 */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(problems.map((problem) => problem.message).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
