/** Command-line options shared by the benchmarks. */

/** `--name N`: a whole number of at least 1, or `fallback` when the option is absent; anything else stops the bench with what to fix. */
export function wholeNumberOption(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at === -1) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value < 1) throw new Error(`--${name} needs a positive number; got ${process.argv[at + 1]}`);
  return Math.floor(value);
}
