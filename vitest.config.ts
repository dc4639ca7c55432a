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
    // Chromium or a server process, so two at a time use the machine without crowding it.
    maxWorkers: 2,
    // A page that answers in a second alone can take several while the other test process drives a browser too.
    expect: { poll: { timeout: 10_000 } },
    sequence: { sequencer: BrowserFirstSequencer },
  },
});
