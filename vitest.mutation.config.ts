import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run test:mutation` runs against each mutant: the unit and database tests,
 * which import the guarded modules into the test process itself. The integration, sandbox
 * and browser tests talk to a server in another process (over the built site), which a
 * mutant made in this process never reaches, so they could not kill one.
 */
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/database/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
