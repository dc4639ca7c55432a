import type { ConfigProblem } from './config-error.ts';

/** The environment as Node gives it (`process.env`), or a plain object in tests. */
export type Environment = Record<string, string | undefined>;

/**
 * Reads environment variables and keeps going past a bad one: each reader returns the default for a value it
 * cannot use and records why, so the caller can report every bad variable at once.
 */
export class SettingsReader {
  readonly problems: ConfigProblem[] = [];
  readonly #env: Environment;

  constructor(env: Environment) {
    this.#env = env;
  }

  /** The variable's value, or undefined when it is unset or empty (an empty value means "use the default"). */
  text(name: string): string | undefined {
    const raw = this.#env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw;
  }

  problem(setting: string, message: string): void {
    this.problems.push({ setting, message });
  }

  /**
   * A whole number between `min` and `max` (`what` names it in the message when "a whole number of <unit>"
   * does not read well), written in plain digits ("1e3" and "30s" are refused: a unit
   * typed by mistake must not become a different number).
   */
  wholeNumber(name: string, fallback: number, options: { min?: number; max?: number; unit: string; what?: string; example?: number }): number {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    const { min = 0, max = Number.MAX_SAFE_INTEGER, unit } = options;
    const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
      const what = options.what ?? `a whole number of ${unit}`;
      this.problem(name, `${name} must be ${what}, ${range} (e.g. ${options.example ?? fallback}); got "${raw}".`);
      return fallback;
    }
    return value;
  }

  /** On or off: 1/0, true/false. */
  flag(name: string, fallback: boolean): boolean {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    const value = raw.trim().toLowerCase();
    if (value === '1' || value === 'true') return true;
    if (value === '0' || value === 'false') return false;
    this.problem(name, `${name} must be 1 or 0 (true or false); got "${raw}".`);
    return fallback;
  }

  /** One of a few words. */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    const value = raw.trim().toLowerCase();
    const found = choices.find((choice) => choice === value);
    if (found === undefined) {
      this.problem(name, `${name} must be one of ${choices.join(', ')}; got "${raw}".`);
      return fallback;
    }
    return found;
  }
}
