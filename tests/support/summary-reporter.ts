import type { Reporter, TestCase, TestModule, TestRunEndReason, TestSuite } from 'vitest/node';
import './skip-reason.ts';

/** The counts the summary line reports. */
interface Counts {
  passed: number;
  failed: number;
  /** Skipped tests by the reason given for them ('' when none was). */
  skipped: Map<string, number>;
}

/** Whether a suite, or a suite around it, failed in a hook, so its unrun tests never got a chance. */
function insideFailedSuite(test: TestCase): boolean {
  for (let parent: TestSuite | TestModule = test.parent; ; parent = parent.parent) {
    if (parent.errors().length > 0) return true;
    if (parent.type === 'module') return false;
  }
}

/** Counts one module's tests, and its suites' own errors (a failing hook, a file that will not import). */
function countModule(module: TestModule, counts: Counts): void {
  for (const test of module.children.allTests()) {
    const result = test.result();
    if (result.state === 'passed') counts.passed++;
    else if (result.state === 'failed' || insideFailedSuite(test)) counts.failed++;
    else {
      const reason = (result.state === 'skipped' && result.note) || test.meta().skipReason || '';
      counts.skipped.set(reason, (counts.skipped.get(reason) ?? 0) + 1);
    }
  }
  // A suite whose errors left no unrun test behind (a failing afterAll, a file that fails to
  // import) would otherwise count nothing, so it counts as one failure of its own.
  for (const suite of [module, ...module.children.allSuites()]) {
    const unrun = [...suite.children.allTests()].some(
      (test) => test.result().state !== 'passed' && test.result().state !== 'failed',
    );
    if (suite.errors().length > 0 && !unrun) counts.failed++;
  }
}

/** `35 skipped: TEST_DATABASE_URL not set`, one part per reason. */
function skippedParts(skipped: Map<string, number>): string[] {
  return [...skipped].map(([reason, count]) => `${count} skipped${reason ? `: ${reason}` : ''}`);
}

/**
 * Ends the run with the plain line CI reads: `N passed, N failed`, then what was skipped and why.
 * A failing hook, a file that fails to import and an error outside any test all count as failed,
 * and the line never says `0 failed` for a run vitest fails.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
    reason: TestRunEndReason,
  ): void {
    const counts: Counts = { passed: 0, failed: unhandledErrors.length, skipped: new Map() };
    for (const module of testModules) countModule(module, counts);
    // Vitest fails some runs with nothing to pin it on (no test files matched, a global setup
    // threw); the line must still not claim success.
    if (reason !== 'passed' && counts.failed === 0) counts.failed = 1;
    const line = [`${counts.passed} passed`, `${counts.failed} failed`, ...skippedParts(counts.skipped)].join(
      ', ',
    );
    process.stdout.write(`\n${line}\n`);
  }
}
