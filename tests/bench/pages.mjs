// `npm run bench:pages`: how fast a personalized docs page is served, to an anonymous
// reader and to a signed-in one, each next to the same bytes as a static file from the same
// server, measured in one run (20 connections, 10 s each, loopback, a fresh SQLite file).
// BENCH_SECONDS shortens the runs.
//
// Two kinds of request, each side served as that client gets it:
// - as a browser asks (`Accept-Encoding: gzip, deflate, br, zstd`): the personalized page
//   gzipped from its compiled template, the static file brotli-compressed once and kept;
// - with no `Accept-Encoding` (as wrk or a plain HTTP client asks): both uncompressed.
// Each page run is followed at once by its static run, so the ratio compares two runs
// made in the same state of a noisy machine; the ratio is what counts, not the req/s.
//
// Also prints the JavaScript a browser loads on the page before any interaction (gzip -9,
// file by file), and the server's memory at start and at its peak, then a summary of the
// issue's figures (step 8) with their goals: pages >= 0.8x static, JS < 5 KB,
// RSS < 150 MB at start and < 200 MB at the peak.
import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { gzipSync } from 'node:zlib';
import { memoryLines, memoryRows, printSummary, root, signUp, startBenchServer } from './bench-server.mjs';
import { matches, scriptClosure } from '../support/script-weight.ts';

const PAGE = '/docs/first-request';
const STATIC_DIR = '/bench-static';
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 20;
/** What Chromium sends. */
const ACCEPT_ENCODING = { 'accept-encoding': 'gzip, deflate, br, zstd' };
const JS_BUDGET_KB = 5;
const WRK = spawnSync('wrk', ['--version']).error ? undefined : 'wrk';

const server = await startBenchServer();
const { base } = server;
const memoryAtStart = server.memory();
const staticDir = `${root}dist/client${STATIC_DIR}`;
const cleanUp = async () => {
  rmSync(staticDir, { recursive: true, force: true });
  await server.stop();
};
process.on('exit', () => rmSync(staticDir, { recursive: true, force: true }));

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
try {
  // A visitor: the first view sets the sample-key cookie that every later view sends.
  const first = await fetch(base + PAGE);
  const cookie = first.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const anonymousHtml = await (await fetch(base + PAGE, { headers: { cookie } })).text();

  // A signed-in reader: sign up through the form, keep the session cookie.
  const session = await signUp(base, 'bench@example.com');
  const memberHtml = await (await fetch(base + PAGE, { headers: { cookie: session } })).text();
  if (!memberHtml.includes('data-key-source="account"'))
    throw new Error('The session did not sign the reader in.');

  // Each reader's page as a static file: the same bytes the server sends them.
  mkdirSync(staticDir, { recursive: true });
  const staticCopy = async (name, html) => {
    writeFileSync(`${staticDir}/${name}`, html);
    const served = await (await fetch(`${base}${STATIC_DIR}/${name}`)).text();
    if (served !== html) throw new Error(`The static copy ${name} is not served byte for byte.`);
    return `${STATIC_DIR}/${name}`;
  };
  const anonymousStatic = await staticCopy('anonymous.html', anonymousHtml);
  const memberStatic = await staticCopy('signed-in.html', memberHtml);

  const readers = [
    { name: 'anonymous', headers: { cookie }, staticPath: anonymousStatic, html: anonymousHtml },
    { name: 'signed in', headers: { cookie: session }, staticPath: memberStatic, html: memberHtml },
  ];
  // The uncompressed runs move ~120 KB a response: autocannon (JavaScript, in this process)
  // tops out before the server does and would show both sides at the same rate, so they use
  // wrk, as the issue measured them, when it is installed (apt-get install wrk).
  const encodings = [
    { name: 'gzip as a browser asks', headers: ACCEPT_ENCODING, load },
    { name: 'no Accept-Encoding', headers: {}, load: WRK ? loadWrk : load },
  ];

  // Warm both sides (template cache, compressed static copies) before measuring.
  for (const reader of readers)
    for (const encoding of encodings) {
      await encoding.load(base + PAGE, { ...reader.headers, ...encoding.headers }, 1);
      await encoding.load(base + reader.staticPath, encoding.headers, 1);
    }

  const results = [];
  for (const encoding of encodings)
    for (const reader of readers) {
      const label = `${encoding.headers['accept-encoding'] ? 'gzip' : 'identity'} ${reader.name}`;
      const page = await server.phase(`page ${label}`, () =>
        encoding.load(base + PAGE, { ...reader.headers, ...encoding.headers }, DURATION),
      );
      const file = await server.phase(`static ${label}`, () =>
        encoding.load(base + reader.staticPath, encoding.headers, DURATION),
      );
      results.push({ encoding, reader, page, file });
    }
  const memoryAfter = server.memory();

  // node:http, not fetch: fetch adds its own Accept-Encoding and decompresses, and what
  // matters here is the bytes on the wire for exactly the headers the load sent.
  const sent = (path, headers) =>
    new Promise((resolve, reject) => {
      get(base + path, { headers }, (response) => {
        let bytes = 0;
        response.on('data', (chunk) => (bytes += chunk.length));
        response.on('end', () =>
          resolve(`${kb(bytes)} ${response.headers['content-encoding'] ?? 'identity'} on the wire`),
        );
      }).on('error', reject);
    });
  console.log(
    `\nPage: ${PAGE}, ${kb(Buffer.byteLength(anonymousHtml))} of HTML anonymous, ` +
      `${kb(Buffer.byteLength(memberHtml))} signed in, ${CONNECTIONS} connections, ${DURATION} s each`,
  );
  for (const { encoding, reader, page, file } of results) {
    const headers = { ...reader.headers, ...encoding.headers };
    console.log(`  ${encoding.name}, ${reader.name} (${encoding.load === loadWrk ? 'wrk' : 'autocannon'}):`);
    console.log(
      `    personalized page    ${page.toFixed(0).padStart(6)} req/s (${await sent(PAGE, headers)})`,
    );
    console.log(
      `    same bytes, static   ${file.toFixed(0).padStart(6)} req/s (${await sent(reader.staticPath, encoding.headers)})`,
    );
    console.log(`    ratio ${(page / file).toFixed(2)}x (goal >= 0.8x)`);
  }

  const js = await scriptsBeforeInteraction(anonymousHtml);
  console.log(`  JavaScript loaded before any interaction on ${PAGE}, gzip -9 file by file:`);
  for (const { name, bytes } of js.files) console.log(`    ${kb(bytes).padStart(8)}  ${name}`);
  console.log(`    ${kb(js.total).padStart(8)}  in all (goal < ${JS_BUDGET_KB} KB)`);
  for (const text of memoryLines(memoryAtStart, memoryAfter)) console.log(text);

  const rows = results.map(({ encoding, reader, page, file }) => [
    `${PAGE}, ${reader.name}, ${encoding.name} / static`,
    `${page.toFixed(0)} vs ${file.toFixed(0)} req/s (${(page / file).toFixed(2)}x)`,
    '>= 0.8x',
    page / file >= 0.8,
  ]);
  rows.push(
    [
      `JS before interaction on ${PAGE}, gzip`,
      kb(js.total),
      `< ${JS_BUDGET_KB} KB`,
      js.total < JS_BUDGET_KB * 1024,
    ],
    ...memoryRows(memoryAtStart, memoryAfter),
  );
  printSummary(rows);
} finally {
  await cleanUp();
}

/**
 * The scripts a browser runs on the page before the reader does anything, found as the
 * page-weight test finds them (tests/support/script-weight.ts: module scripts, what they import,
 * and the chunks loaded at start for the page's hooks; nothing that waits for the reader). Each
 * file is gzipped on its own at level 9, as a server would send it.
 */
async function scriptsBeforeInteraction(html) {
  const code = new Map();
  const files = {
    get: async (path) => {
      if (!code.has(path)) {
        const response = await fetch(base + path);
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
        code.set(path, { text: await response.text() });
      }
      return code.get(path);
    },
  };
  const entries = [
    ...matches(html, /<script\b[^>]*\bsrc="([^"]+)"/g),
    ...matches(html, /<link\b(?=[^>]*\brel="modulepreload")[^>]*\bhref="([^"]+)"/g),
  ];
  const inline = matches(html, /<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g).filter((c) => c.trim());
  const paths = await scriptClosure(entries, inline, { path: PAGE, html }, files, false);
  const sized = [];
  for (const path of paths) {
    if (!path.endsWith('.js') && !path.endsWith('.mjs')) continue;
    sized.push({
      name: path,
      bytes: gzipSync(Buffer.from((await files.get(path)).text), { level: 9 }).length,
    });
  }
  for (const script of inline)
    sized.push({ name: 'inline script', bytes: gzipSync(Buffer.from(script), { level: 9 }).length });
  return { files: sized, total: sized.reduce((sum, file) => sum + file.bytes, 0) };
}

async function load(url, headers, duration) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration, headers });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  }
  return result.requests.average;
}

/** One wrk run (2 threads, one a core), req/s; fails on any non-2xx answer or socket error. */
async function loadWrk(url, headers, duration) {
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${duration}s`];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  const run = spawnSync('wrk', [...args, url], { encoding: 'utf8' });
  const rate = Number(run.stdout.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
  if (run.status !== 0 || !rate || /Non-2xx|Socket errors/.test(run.stdout))
    throw new Error(`wrk ${url}: ${run.stdout}${run.stderr}`);
  return rate;
}
