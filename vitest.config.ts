import { defineConfig } from 'vitest/config';

/**
 * Five projects: unit (pure logic), database (accounts, sessions and keys against SQLite,
 * and PostgreSQL when TEST_DATABASE_URL is set), integration (the built server over HTTP),
 * sandbox (the Stripe-compatible API, with the official SDK) and e2e (a real Chromium). tests/run.mjs builds the site first and decides whether e2e can run.
 */
export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          // A ceiling for a stuck test, not a speed check: the content check parses every page,
          // which took over the 5 s default on a busy two-core machine.
          testTimeout: 30_000,
          // .test-d.ts files hold type tests (expectTypeOf), which only tsc can fail. Their own
          // tsconfig has tsc read them and what they import, not the whole site.
          typecheck: {
            enabled: true,
            include: ['tests/unit/**/*.test-d.ts'],
            tsconfig: 'tests/unit/tsconfig.type-tests.json',
          },
        },
      },
      {
        test: {
          name: 'database',
          include: ['tests/database/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/server-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'sandbox',
          include: ['tests/sandbox/**/*.test.ts'],
          globalSetup: ['tests/support/server-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/support/server-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
