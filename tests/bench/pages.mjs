// `npm run bench:pages`: how fast a personalized docs page is served, to an anonymous
// reader and to a signed-in one, next to the same bytes as a static file from the same
// server, measured in one run (20 connections, 10 s each, loopback, a fresh SQLite file).
// Also prints the client JavaScript a docs page loads, gzipped.
// Target: personalized >= 0.8x static. Numbers are noisy on a shared machine; the ratio
// of the two runs side by side is what counts.
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PAGE = '/docs/first-request';
const STATIC_COPY = '/bench-static/first-request.html';
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 20;

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
    },
    stdio: 'inherit',
  },
);
const staticDir = `${root}dist/client/bench-static`;
const cleanUp = () => {
  server.kill('SIGTERM');
  rmSync(staticDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
};
process.on('exit', cleanUp);

try {
  await waitFor(base);
  // A visitor: the first view sets the sample-key cookie that every later view sends.
  const first = await fetch(base + PAGE);
  const cookie = first.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const personalized = await (await fetch(base + PAGE, { headers: { cookie } })).text();
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(`${root}dist/client${STATIC_COPY}`, personalized);
  const staticBody = await (await fetch(base + STATIC_COPY)).text();
  if (staticBody !== personalized) throw new Error('The static copy is not served byte for byte.');

  // A signed-in reader: sign up through the form, keep the session cookie.
  const signUp = await fetch(`${base}/signup`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'bench@example.com', password: 'correct horse battery' }),
  });
  const session = signUp.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .find((pair) => pair.startsWith('kw_session='));
  if (!session) throw new Error(`Sign-up failed: ${signUp.status}`);
  const signedIn = await (await fetch(base + PAGE, { headers: { cookie: session } })).text();
  if (!signedIn.includes('data-key-source="account"'))
    throw new Error('The session did not sign the reader in.');

  await load(base + PAGE, { cookie }, 2);
  await load(base + PAGE, { cookie: session }, 2);
  await load(base + STATIC_COPY, {}, 2);
  const page = await load(base + PAGE, { cookie }, DURATION);
  const file = await load(base + STATIC_COPY, {}, DURATION);
  const member = await load(base + PAGE, { cookie: session }, DURATION);

  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(
    `\nPage: ${PAGE}, ${kb(Buffer.byteLength(personalized))} of HTML, ${CONNECTIONS} connections, ${DURATION} s each`,
  );
  console.log(`  personalized page, anonymous reader: ${page.toFixed(0)} req/s`);
  console.log(`  personalized page, signed-in reader: ${member.toFixed(0)} req/s`);
  console.log(`  same bytes as a static file:         ${file.toFixed(0)} req/s`);
  console.log(`  ratio, anonymous: ${(page / file).toFixed(2)}x (target >= 0.8x)`);
  console.log(`  ratio, signed in: ${(member / file).toFixed(2)}x (target >= 0.8x)`);

  const scripts = [...personalized.matchAll(/<script[^>]*src="([^"]+)"/g)].map((match) => match[1]);
  let scriptBytes = 0;
  for (const src of scripts)
    scriptBytes += gzipSync(Buffer.from(await (await fetch(base + src)).arrayBuffer())).length;
  const inline = [...personalized.matchAll(/<script(?![^>]*src=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (m) => m[1],
  );
  scriptBytes += inline.reduce((sum, code) => sum + gzipSync(Buffer.from(code)).length, 0);
  console.log(
    `  client JavaScript on the page: ${kb(scriptBytes)} gzipped (${scripts.length} file(s) + ${inline.length} inline; budget 10 KB)`,
  );
} finally {
  cleanUp();
}

async function load(url, headers, duration) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration, headers });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  }
  return result.requests.average;
}

async function waitFor(url) {
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(`${url}/favicon.svg`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('The server did not start.');
}
