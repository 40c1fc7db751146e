// What the benchmarks and the Lighthouse run need first: a built site, and the production
// server on a free loopback port with a fresh SQLite file, ready to answer. Stopped (and
// its file removed) by stop() or when the process exits.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export async function startBenchServer(env = {}) {
  if (!existsSync(`${root}dist/server/entry.mjs`) || process.env.BENCH_BUILD === '1') {
    console.log('Building the site…');
    const build = spawnSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    if (build.status !== 0) process.exit(1);
  }
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(`${tmpdir()}/keyway-bench-`);
  const server = spawn(
    process.execPath,
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'src/server/main.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: `file:${dataDir}/keyway.sqlite`,
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const stop = () => {
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('exit', stop);
  for (let i = 0; ; i++) {
    try {
      await fetch(`${base}/favicon.svg`);
      break;
    } catch {
      if (i > 300) throw new Error('The server did not start.');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { base, stop };
}

/** Signs a new reader up through the form, as a browser would; returns their session cookie. */
export async function signUp(base, email) {
  const response = await fetch(`${base}/signup`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: 'correct horse battery' }),
  });
  const session = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .find((pair) => pair.startsWith('kw_session='));
  if (!session) throw new Error(`Sign-up failed: ${response.status}`);
  return session;
}
