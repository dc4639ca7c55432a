/**
 * Vitest's global setup (vitest.config.ts): names the run, so that its test files share what run-templates.ts
 * builds once, and deletes all of that when the run ends.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { POSTGRES_ADMIN_URL } from './databases.ts';
import { postgresTemplateName, runFolder } from './run-templates.ts';

export default function setup(): () => Promise<void> {
  const run = randomBytes(4).toString('hex');
  // Read by the test processes, which start after this.
  process.env.TAKEDOWN_TEST_RUN = run;
  // The CLI and servers the tests start (a hundred or so processes) compile the same modules: Node keeps the
  // compiled code here for the next one (node:module, enableCompileCache). Outside the run's folder: processes
  // write it as they exit, after the teardown; Node checks each entry against the source, so later runs reuse it.
  process.env.NODE_COMPILE_CACHE = join(tmpdir(), 'takedown-test-node-compile-cache');
  return async () => {
    rmSync(runFolder(run), { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    try {
      await admin.connect();
    } catch {
      return; // no PostgreSQL: the tests that needed it failed and said so; nothing was made there
    }
    try {
      const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${postgresTemplateName(run, '')}%`]);
      for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
    } finally {
      await admin.end();
    }
  };
}
