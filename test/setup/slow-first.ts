import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that take a minute or more on a 2-core machine, longest first. On a fresh clone (CI) vitest
 * has no timings and starts larger files first, so the one-file fault suite (~105 s) began last and
 * ran alone at the end; started first, it runs beside the many short files.
 */
const SLOW_FIRST = [
  'test/e2e/fault-suite.test.ts', 'test/e2e/workspace-live-browser.test.ts', 'test/e2e/cli.test.ts',
  'test/e2e/outbox-crash.test.ts', 'test/e2e/notice-crash.test.ts', 'test/e2e/web-browser.test.ts',
];

/** Vitest's own order (timings when known), with {@link SLOW_FIRST} moved to the front. */
export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = SLOW_FIRST.findIndex((name) => f.moduleId.endsWith(name));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
