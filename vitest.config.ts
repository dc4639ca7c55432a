import { defineConfig } from 'vitest/config';
import BrowserFirstSequencer from './test/browser-first-sequencer.ts';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Names the run: its files share one migrated database of each kind and one web build (packages/testing/src/run-templates.ts).
    globalSetup: ['packages/testing/src/test-run.ts'],
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine. Most files wait on PostgreSQL,
    // Chromium, a server process or a deliberate timer: a full run on 2 cores used 12.5 minutes of CPU in 8.3 of
    // wall time with three at a time, against 22.6 minutes of wall time with two (decision 035).
    maxWorkers: 3,
    // A page that answers in a second alone can take several while the other test process drives a browser too.
    expect: { poll: { timeout: 10_000 } },
    sequence: { sequencer: BrowserFirstSequencer },
  },
});
