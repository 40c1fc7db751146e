/**
 * Mutation testing (`npm run test:mutation`): StrykerJS changes the modules that guard keys,
 * roles, sessions, restricted keys, rolling, guest adoption and sandbox authentication one
 * small change at a time, and runs the tests that import each changed module. A change no
 * test notices (a surviving mutant) is a place where the suite proves less than it says.
 *
 * The Vitest runner runs every project of the config it is given and cannot pick one, so it
 * gets its own config (vitest.mutation.config.ts) holding only the in-process tests.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  mutate: [
    'src/lib/teams/roles.ts',
    'src/lib/keys/api-keys.ts',
    'src/lib/keys/permissions.ts',
    'src/lib/keys/sample-keys.ts',
    'src/lib/auth/session.ts',
    'src/lib/guests/guest-sandbox.ts',
    'src/lib/guests/guest-destination.ts',
    'src/sandbox/auth.ts',
    'src/sandbox/sample-key-auth.ts',
    'src/lib/dashboard/access.ts',
    'src/lib/dashboard/key-actions.ts',
  ],
  ignorePatterns: ['dist', '.astro', '.data', 'reports', 'public'],
  thresholds: { high: 90, low: 80, break: 80 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  concurrency: 2,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
