import type { TestOptions } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** Why a suite did not run; the summary line prints it next to the skipped count. */
    skipReason?: string;
  }
}

/**
 * `describe` options that skip a suite when `reason` is given and record why, so its tests are
 * counted as skipped with that reason rather than silently not existing. No reason: the suite runs.
 */
export function skipBecause(reason: string | undefined): TestOptions {
  return reason ? { skip: true, meta: { skipReason: reason } } : {};
}
