/**
 * Joins `--name -1` into `--name=-1` for the options that take numbers. node:util's parseArgs refuses a value
 * starting with a dash as "ambiguous" (it could be a forgotten value followed by a flag), but a negative
 * number is never a flag here: `takedown compare --dedupe -1` has to work as the help says.
 */
export function joinNegativeValues(args: readonly string[], numberOptions: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') return [...joined, ...args.slice(i)];
    const next = args[i + 1];
    if (numberOptions.includes(arg) && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}
