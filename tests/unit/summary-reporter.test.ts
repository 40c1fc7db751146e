import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = 'tests/fixtures/summary/vitest.config.ts';

/** Runs vitest on the fixture files whose names contain `filter`, and reads the summary line. */
async function summarise(filter: string): Promise<{ line: string; exitCode: number }> {
  const run = await promisify(execFile)(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--config', CONFIG, filter],
    { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } },
  ).then(
    (done) => ({ stdout: done.stdout, exitCode: 0 }),
    (error: { stdout: string; code: number }) => ({ stdout: error.stdout, exitCode: error.code }),
  );
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  return { line, exitCode: run.exitCode };
}

// Each case starts its own vitest, a few seconds on a busy machine.
describe('the summary line', { concurrent: true, timeout: 60_000 }, () => {
  it.each([
    ['before-all-throws', '0 passed, 2 failed'],
    ['after-all-throws', '1 passed, 1 failed'],
    ['import-fails', '0 passed, 1 failed'],
    ['unhandled-rejection', '1 passed, 1 failed'],
    ['no-file-is-called-this', '0 passed, 1 failed'],
  ])('counts a run of %s as failed, as vitest does', async (filter, expected) => {
    const summary = await summarise(filter);
    expect(summary.line).toBe(expected);
    expect(summary.exitCode).toBe(1);
  });

  it('says how many tests were skipped and why, and 0 failed only when vitest exits 0', async () => {
    const summary = await summarise('skipped');
    expect(summary.line).toBe(
      '1 passed, 0 failed, 2 skipped: SERVICE_URL not set, 1 skipped: no python3 on PATH',
    );
    expect(summary.exitCode).toBe(0);
  });
});
