// `npm start`: builds the site when the build is missing or older than the sources, then
// runs the production server (src/server/main.ts, bundled by the build into plain JavaScript).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { serverArguments } from './server-command.mjs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`Keyway needs Node.js 22.12 or newer; this is ${process.version}. See .nvmrc.`);
  process.exit(1);
}

const root = new URL('..', import.meta.url).pathname;
const built = join(root, 'dist/node-server/main.mjs');
const sources = ['src', 'content', 'public', 'astro.config.mjs', 'package.json'];

function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

const stale =
  !existsSync(built) ||
  sources.some(
    (path) => existsSync(join(root, path)) && newestChange(join(root, path)) > statSync(built).mtimeMs,
  );
if (stale) {
  console.log('Building the site first (astro build)…');
  const build = spawnSync(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawnSync(process.execPath, serverArguments(root), { cwd: root, stdio: 'inherit' });
process.exit(server.status ?? 1);
