// `npm run bench:pages`: how fast a personalized docs page is served, to an anonymous
// reader and to a signed-in one, next to the same bytes as a static file from the same
// server, measured in one run (20 connections, 10 s each, loopback, a fresh SQLite file).
// Also prints the client JavaScript a docs page loads, gzipped.
// Every request accepts compression as a browser does, so each side is served as a browser
// gets it: the personalized page gzipped from its compiled template, the static file
// brotli-compressed once and kept in memory.
// Target: personalized >= 0.8x static. Numbers are noisy on a shared machine; the ratio
// of the two runs side by side is what counts.
import autocannon from 'autocannon';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { root, signUp, startBenchServer } from './bench-server.mjs';

const PAGE = '/docs/first-request';
const STATIC_COPY = '/bench-static/first-request.html';
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 20;
/** What Chromium sends. */
const ACCEPT_ENCODING = { 'accept-encoding': 'gzip, deflate, br, zstd' };

const { base, stop } = await startBenchServer();
const staticDir = `${root}dist/client/bench-static`;
const cleanUp = () => {
  stop();
  rmSync(staticDir, { recursive: true, force: true });
};
process.on('exit', cleanUp);

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
try {
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
  const session = await signUp(base, 'bench@example.com');
  const signedIn = await (await fetch(base + PAGE, { headers: { cookie: session } })).text();
  if (!signedIn.includes('data-key-source="account"'))
    throw new Error('The session did not sign the reader in.');

  await load(base + PAGE, { cookie }, 2);
  await load(base + PAGE, { cookie: session }, 2);
  await load(base + STATIC_COPY, {}, 2);
  const page = await load(base + PAGE, { cookie }, DURATION);
  const file = await load(base + STATIC_COPY, {}, DURATION);
  const member = await load(base + PAGE, { cookie: session }, DURATION);
  const sent = async (url, headers) => {
    const response = await fetch(url, { headers: { ...headers, ...ACCEPT_ENCODING } });
    await response.arrayBuffer();
    return `${kb(Number(response.headers.get('content-length')))} ${response.headers.get('content-encoding') ?? 'identity'}`;
  };

  console.log(
    `\nPage: ${PAGE}, ${kb(Buffer.byteLength(personalized))} of HTML, ${CONNECTIONS} connections, ${DURATION} s each`,
  );
  console.log(
    `  personalized page, anonymous reader: ${page.toFixed(0)} req/s (${await sent(base + PAGE, { cookie })})`,
  );
  console.log(
    `  personalized page, signed-in reader: ${member.toFixed(0)} req/s (${await sent(base + PAGE, { cookie: session })})`,
  );
  console.log(
    `  same bytes as a static file:         ${file.toFixed(0)} req/s (${await sent(base + STATIC_COPY, {})})`,
  );
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
    `  client JavaScript on the page: ${kb(scriptBytes)} gzipped (${scripts.length} file(s) + ${inline.length} inline; budget 5 KB)`,
  );
} finally {
  cleanUp();
}

async function load(url, headers, duration) {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    headers: { ...headers, ...ACCEPT_ENCODING },
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  }
  return result.requests.average;
}
