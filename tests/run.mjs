// `npm test`: builds the site, then runs every vitest project (unit, integration, e2e).
// The browser tests need Chromium; without it they are not run and the run fails with a
// message that says how to get it, instead of a stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`Keyway's tests need Node.js 22.12 or newer; this is ${process.version}.`);
  process.exit(1);
}

console.log('Building the site (astro build)…');
if (run(['node_modules/astro/bin/astro.mjs', 'build']) !== 0) {
  console.error('\nThe build failed, so no tests ran.\n0 passed, 1 failed');
  process.exit(1);
}

const chromium = [process.env.KEYWAY_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path) => path && existsSync(path),
);
const vitest = ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)];
if (!chromium) {
  const status = run([...vitest, '--project', 'unit', '--project', 'integration']);
  console.error(
    '\nThe browser tests did not run: no Chromium was found at /usr/bin/chromium.\n' +
      'Install it (Debian/Ubuntu: `apt-get install -y chromium`), or point KEYWAY_CHROMIUM at a\n' +
      'Chromium or Chrome executable, then run `npm test` again.',
  );
  process.exit(status === 0 ? 1 : status);
}
env.KEYWAY_CHROMIUM = chromium;
process.exit(run(vitest));
