// `npm run bench:plumbing`: the server's hand-written plumbing next to the libraries that
// could replace it, each in a server process of its own over the built site, measured in
// one run, in turn (A B A B), 20 connections, BENCH_ROUNDS (default 7) rounds of
// BENCH_REQUESTS (default 3000) requests per case and variant, after a warm-up round.
//
// - Static files: src/server/compression/static-assets.ts (compressed once, from memory),
//   with Astro's static handler behind it as in the page server, versus sirv over a copy
//   of dist/client with .br and .gz files written beside each file at the highest levels.
// - The sandbox's bridge: src/server/web-bridge.ts versus @remix-run/node-fetch-server's
//   createRequest and sendResponse, behind compressDynamic as in the page server, around a
//   handler that answers like POST /v1/customers (reads the form, sends one customer) and
//   GET /v1/customers?limit=10 (sends a list of ten), so that the bridge is all that differs.
//
// Prints requests per second for each, the server's CPU time per 1000 requests (which a
// busy machine disturbs less than the rate), and each server's resident memory after start
// and after its runs.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = fileURLToPath(new URL('../..', import.meta.url));
const AMOUNT = Number(process.env.BENCH_REQUESTS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CONNECTIONS = 20;
const BROWSER = { 'accept-encoding': 'gzip, deflate, br, zstd' };

const [, , role, variant, port] = process.argv;
if (role === 'serve') await serve(variant, Number(port));
else await compare();

async function compare() {
  const css = `/_astro/${readdirSync(`${root}dist/client/_astro`).find((name) => name.endsWith('.css'))}`;
  const js = `/_astro/${readdirSync(`${root}dist/client/_astro`).find((name) => name.endsWith('.js'))}`;
  const image = '/readme/keyway.png';
  const staticCases = [
    { label: `CSS ${css}`, path: css },
    { label: `JS ${js}`, path: js },
    { label: `image ${image}`, path: image },
  ];
  const body = 'email=bench%40example.com&name=Bench+Reader&metadata[order_id]=42';
  const bridgeCases = [
    {
      label: 'POST /v1/customers',
      path: '/v1/customers',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    },
    { label: 'GET /v1/customers?limit=10', path: '/v1/customers?limit=10', method: 'GET' },
  ];
  await pair('Static files', ['static-ours', 'static-sirv'], staticCases);
  await pair('Sandbox bridge', ['bridge-ours', 'bridge-library'], bridgeCases);
}

/**
 * Starts both variants and runs every case against each in turn, ROUNDS times after a
 * warm-up round; prints the median requests per second and the median of the rounds'
 * ratios, which holds when a shared machine's speed drifts during the run.
 */
async function pair(title, variants, cases) {
  const servers = [];
  for (const name of variants) servers.push(await start(name));
  try {
    const results = new Map(cases.map((item) => [item.label, servers.map(() => [])]));
    const costs = new Map(cases.map((item) => [item.label, servers.map(() => [])]));
    for (let round = 0; round <= ROUNDS; round++) {
      for (const item of cases) {
        for (const [index, server] of servers.entries()) {
          const cpuBefore = cpuMs(server.child.pid);
          const run = await autocannon({
            url: server.base + item.path,
            connections: CONNECTIONS,
            amount: round === 0 ? AMOUNT / 4 : AMOUNT,
            method: item.method ?? 'GET',
            headers: { ...BROWSER, ...item.headers },
            body: item.body,
          });
          if (run.non2xx > 0 || run.errors > 0) {
            throw new Error(`${item.label} ${server.name}: ${run.non2xx} non-2xx, ${run.errors} errors`);
          }
          if (round > 0) {
            results.get(item.label)[index].push(run.requests.total / run.duration);
            costs
              .get(item.label)
              [index].push((cpuMs(server.child.pid) - cpuBefore) / (run.requests.total / 1000));
          }
        }
      }
    }
    console.log(
      `\n${title}: ${CONNECTIONS} connections, ${ROUNDS} rounds of ${AMOUNT} requests, browser Accept-Encoding`,
    );
    for (const item of cases) {
      const [first, second] = results.get(item.label);
      const ratio = median(first.map((value, round) => value / second[round]));
      const [firstCost, secondCost] = costs.get(item.label).map(median);
      console.log(
        `  ${item.label}: ${servers[0].name} ${median(first).toFixed(0)} req/s, ` +
          `${servers[1].name} ${median(second).toFixed(0)} req/s, ratio ${ratio.toFixed(2)}; ` +
          `server CPU per 1000 requests ${firstCost.toFixed(0)} ms and ${secondCost.toFixed(0)} ms`,
      );
    }
    for (const server of servers) {
      console.log(
        `  RSS ${server.name}: ${server.startRss} MB after start, ${rss(server.child.pid)} MB after its runs`,
      );
    }
  } finally {
    for (const server of servers) server.stop();
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function start(name) {
  const port = await new Promise((resolve) => {
    const probe = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const child = spawn(
    process.execPath,
    [
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      fileURLToPath(import.meta.url),
      'serve',
      name,
      String(port),
    ],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${base}/ready`);
      break;
    } catch {
      if (i > 300) throw new Error(`${name} did not start.`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { name, base, child, startRss: rss(child.pid), stop: () => child.kill('SIGTERM') };
}

/** A process's CPU time so far (user and system), in ms, as the kernel counts it. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** A process's resident memory in MB, as the kernel counts it. */
function rss(pid) {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  return (kb / 1024).toFixed(1);
}

/** One variant's server, in this (child) process. */
async function serve(name, port) {
  const { compressDynamic } = await import('../../src/server/compression/dynamic.ts');
  const compress = compressDynamic();
  let listener;
  if (name.startsWith('static-')) {
    process.env.ASTRO_NODE_AUTOSTART = 'disabled';
    process.env.ASTRO_NODE_LOGGING = 'disabled';
    const { handler } = await import(`${root}dist/server/entry.mjs`);
    const astro = (req, res) => compress(req, res, () => handler(req, res));
    if (name === 'static-ours') {
      const { StaticAssets } = await import('../../src/server/compression/static-assets.ts');
      const assets = new StaticAssets(`${root}dist/client`, 64 * 1024 * 1024);
      listener = (req, res) => {
        const { pathname } = new URL(req.url, 'http://localhost');
        assets.serve(req, res, pathname).then((served) => served || astro(req, res));
      };
    } else {
      const { default: sirv } = await import('sirv');
      const copy = precompressedCopy();
      process.on('exit', () => rmSync(copy, { recursive: true, force: true }));
      const files = sirv(copy, {
        brotli: true,
        gzip: true,
        etag: true,
        setHeaders: (res, pathname) => {
          if (pathname.startsWith('/_astro/'))
            res.setHeader('cache-control', 'public, max-age=31536000, immutable');
        },
      });
      listener = (req, res) => files(req, res, () => astro(req, res));
    }
  } else {
    const reply = bridgeHandler();
    if (name === 'bridge-ours') {
      const { toWebRequest, writeWebResponse } = await import('../../src/server/web-bridge.ts');
      listener = (req, res) =>
        compress(req, res, () =>
          reply(toWebRequest(req)).then((response) => writeWebResponse(response, res)),
        );
    } else {
      const { createRequest, sendResponse } = await import('@remix-run/node-fetch-server');
      listener = (req, res) =>
        compress(req, res, () =>
          reply(createRequest(req, res)).then((response) => sendResponse(res, response)),
        );
    }
  }
  http
    .createServer((req, res) => (req.url === '/ready' ? res.end('ready') : listener(req, res)))
    .listen(port, '127.0.0.1');
  process.on('SIGTERM', () => process.exit(0));
}

/** dist/client copied with a .br and a .gz beside every compressible file, as a build step would write them. */
function precompressedCopy() {
  const copy = mkdtempSync(join(tmpdir(), 'keyway-sirv-'));
  cpSync(`${root}dist/client`, copy, { recursive: true });
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (/\.(css|js|json|svg|html|txt|xml|map|mjs|webmanifest)$/.test(name)) {
        const body = readFileSync(file);
        writeFileSync(
          `${file}.br`,
          zlib.brotliCompressSync(body, {
            params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY },
          }),
        );
        writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: zlib.constants.Z_BEST_COMPRESSION }));
      }
    }
  };
  walk(copy);
  return copy;
}

/** Answers shaped like the sandbox's: one customer for a POST, a list of ten for a GET. */
function bridgeHandler() {
  const customer = (n) => ({
    id: `cus_${String(n).padStart(14, '0')}`,
    object: 'customer',
    address: null,
    balance: 0,
    created: 1764640000 + n,
    currency: null,
    description: null,
    email: `bench${n}@example.com`,
    invoice_prefix: 'A1B2C3D4',
    livemode: false,
    metadata: { order_id: String(n) },
    name: `Bench Reader ${n}`,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
  });
  const json = (value) =>
    new Response(JSON.stringify(value, null, 2), {
      headers: { 'content-type': 'application/json', 'request-id': 'req_00000000000000' },
    });
  return async (request) => {
    if (request.method === 'POST') {
      const form = new URLSearchParams(await request.text());
      return json({ ...customer(1), email: form.get('email'), name: form.get('name') });
    }
    const list = Array.from({ length: 10 }, (_, n) => customer(n));
    return json({ object: 'list', data: list, has_more: false, url: '/v1/customers' });
  };
}
