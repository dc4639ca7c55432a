/**
 * The order test files start in (vitest.config.ts). Vitest starts the files that took longest last time first;
 * for a file it has no time for (a fresh checkout, CI), it starts the larger files first. The browser tests are
 * the longest but some are small files (the language tests share their walk in languages-walk.ts), so without
 * times they would start last and one process would run them alone at the end. Without times, the browser tests
 * start first; with times, Vitest's order stands.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const BROWSER_TESTS = /\/test\/web\/[^/]+\.test\.ts$/;

export default class BrowserFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    if (files.every((spec) => this.ctx.cache.getTestSpecificationResult(spec))) return sorted;
    return [...sorted.filter((spec) => BROWSER_TESTS.test(spec.moduleId)), ...sorted.filter((spec) => !BROWSER_TESTS.test(spec.moduleId))];
  }
}
