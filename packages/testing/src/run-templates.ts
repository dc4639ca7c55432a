/**
 * Things a test run builds once and every test file copies: a migrated PGlite data dir, a migrated PostgreSQL
 * template database, the web build. Making a PGlite data dir (initdb in WebAssembly) and migrating a database
 * cost seconds each, and most test files need several; a copy costs a fraction of a second.
 *
 * A run is named by TAKEDOWN_TEST_RUN, which the suite's global setup (test-run.ts) sets and whose teardown
 * deletes all of it. Without it (a benchmark, a script) nothing is shared and callers build their own, as before.
 * The first process to need a template builds it; the others wait for it (the test files run in parallel
 * processes).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The current run's name, or undefined outside a test run. */
export function testRun(): string | undefined {
  const run = process.env.TAKEDOWN_TEST_RUN;
  return run && /^[a-z0-9]{1,16}$/.test(run) ? run : undefined;
}

/** Where a run keeps what it builds once. */
export function runFolder(run: string): string {
  return join(tmpdir(), `takedown-run-${run}`);
}

/** The name of one of the run's template databases on PostgreSQL (lower case, within 63 bytes). */
export function postgresTemplateName(run: string, name: string): string {
  return `takedown_template_${run}_${name}`;
}

const built = new Map<string, Promise<string>>();

/**
 * The folder `name` of the current run, built once by `build` (given an empty folder to fill) in whichever
 * process asks first; undefined outside a run. Others wait for it; if its builder fails, the next one tries.
 */
export function builtOnce(name: string, build: (into: string) => Promise<void>): Promise<string> | undefined {
  const run = testRun();
  if (!run) return undefined;
  const path = join(runFolder(run), name);
  let promise = built.get(path);
  if (!promise) {
    promise = buildOrWait(path, build);
    built.set(path, promise);
    promise.catch(() => built.delete(path));
  }
  return promise;
}

/** How often a waiting process looks whether the folder is there. */
const POLL_MS = 50;

async function buildOrWait(path: string, build: (into: string) => Promise<void>): Promise<string> {
  mkdirSync(join(path, '..'), { recursive: true });
  const lock = `${path}.lock`;
  for (;;) {
    if (existsSync(path)) return path;
    if (takeLock(lock)) {
      try {
        if (existsSync(path)) return path;
        const building = `${path}.building-${process.pid}`;
        rmSync(building, { recursive: true, force: true });
        mkdirSync(building);
        try {
          await build(building);
        } catch (error) {
          rmSync(building, { recursive: true, force: true });
          throw error;
        }
        // Appears whole or not at all.
        renameSync(building, path);
        return path;
      } finally {
        rmSync(lock, { force: true });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Creates the lock file with this process's id; a lock left by a process that died is taken over. */
function takeLock(lock: string): boolean {
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  let owner: number;
  try {
    owner = Number(readFileSync(lock, 'utf8').trim());
  } catch {
    return false; // released meanwhile: look again
  }
  if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) rmSync(lock, { force: true });
  return false;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
