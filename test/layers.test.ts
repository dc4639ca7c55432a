// The layering is only as good as its check: run the same dependency-cruiser command as `npm run lint:layers`,
// with the repository's rules, on small made-up trees, and see it refuse each kind of backward import.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '..');
const DEPCRUISE = join(REPO, 'node_modules', '.bin', 'depcruise');
const CONFIG = join(REPO, '.dependency-cruiser.mjs');

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** Writes `files` (path → source) into a fresh directory and runs the layer check there. */
function cruise(files: Record<string, string>): { status: number | null; output: string } {
  root = mkdtempSync(join(tmpdir(), 'takedown-layers-'));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), source);
  }
  const run = spawnSync(DEPCRUISE, ['--config', CONFIG, '--output-type', 'err', 'packages'], { cwd: root, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const SERVER = 'packages/server/src';

describe('the layer check', () => {
  it('passes imports that go down the layers: edge → service → store → leaf', () => {
    const result = cruise({
      [`${SERVER}/crypto/seal.ts`]: 'export const seal = (text: string) => text;\n',
      [`${SERVER}/store/cases.ts`]: "import { seal } from '../crypto/seal.ts';\nexport const saveCase = () => seal('case');\n",
      [`${SERVER}/services/intake.ts`]: "import { saveCase } from '../store/cases.ts';\nexport const submit = () => saveCase();\n",
      [`${SERVER}/http/routes/requests.ts`]: "import { submit } from '../../services/intake.ts';\nexport const route = () => submit();\n",
    });
    expect(result.output).toContain('no dependency violations found');
    expect(result.status).toBe(0);
  });

  it('reports the store importing a service or an edge', () => {
    const result = cruise({
      [`${SERVER}/services/review.ts`]: 'export const decide = () => 1;\n',
      [`${SERVER}/http/errors.ts`]: 'export class HttpError extends Error {}\n',
      [`${SERVER}/store/review-rows.ts`]: "import { decide } from '../services/review.ts';\nimport { HttpError } from '../http/errors.ts';\nexport const rows = () => [decide(), HttpError];\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('store-below-services: packages/server/src/store/review-rows.ts → packages/server/src/services/review.ts');
    expect(result.output).toContain('store-below-services: packages/server/src/store/review-rows.ts → packages/server/src/http/errors.ts');
  });

  it('reports a route that reaches the store itself (routes run no SQL), but lets it name a store type', () => {
    const result = cruise({
      [`${SERVER}/store/database.ts`]: 'export interface OpenDatabase { kind: string }\n',
      [`${SERVER}/store/job-queue.ts`]: 'export const enqueueJobs = () => undefined;\n',
      [`${SERVER}/http/routes/review.ts`]: "import type { OpenDatabase } from '../../store/database.ts';\nimport { enqueueJobs } from '../../store/job-queue.ts';\nexport const route = (db: OpenDatabase) => [db, enqueueJobs()];\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('edges-run-no-sql: packages/server/src/http/routes/review.ts → packages/server/src/store/job-queue.ts');
    expect(result.output).not.toContain('store/database.ts');
  });

  it('reports a leaf (crypto, media, platform) importing the store, and a service importing an edge', () => {
    const result = cruise({
      [`${SERVER}/store/keys.ts`]: 'export const keyRow = 1;\n',
      [`${SERVER}/crypto/pii.ts`]: "import { keyRow } from '../store/keys.ts';\nexport const pii = keyRow;\n",
      [`${SERVER}/jobs/worker.ts`]: 'export class Worker {}\n',
      [`${SERVER}/services/sweep.ts`]: "import { Worker } from '../jobs/worker.ts';\nexport const sweep = new Worker();\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('leaves-below-store: packages/server/src/crypto/pii.ts → packages/server/src/store/keys.ts');
    expect(result.output).toContain('services-below-edges: packages/server/src/services/sweep.ts → packages/server/src/jobs/worker.ts');
  });

  it('reports a cycle, even inside one layer', () => {
    const result = cruise({
      [`${SERVER}/services/a.ts`]: "import { b } from './b.ts';\nexport const a = () => b();\n",
      [`${SERVER}/services/b.ts`]: "import { a } from './a.ts';\nexport const b = (): unknown => a;\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('no-circular: packages/server/src/services/a.ts →');
  });

  it('reports a package reaching into another package\'s src or test helpers, and core importing the server', () => {
    const result = cruise({
      [`${SERVER}/index.ts`]: 'export const server = 1;\n',
      'packages/pdq/test/vectors.ts': 'export const VECTORS_DIR = "x";\n',
      'packages/core/src/rules.ts': "import { server } from '../../server/src/index.ts';\nexport const rule = server;\n",
      'packages/match/test/helpers.ts': "import { VECTORS_DIR } from '../../pdq/test/vectors.ts';\nexport const dir = VECTORS_DIR;\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('public-entries: packages/core/src/rules.ts → packages/server/src/index.ts');
    expect(result.output).toContain('core-after-vpdq: packages/core/src/rules.ts → packages/server/src/index.ts');
    expect(result.output).toContain('public-entries: packages/match/test/helpers.ts → packages/pdq/test/vectors.ts');
  });
});
