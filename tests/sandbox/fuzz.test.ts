import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, type ScratchDatabase } from '../support/databases.ts';
import { checkEverySandboxResponse, servedResponseChecker, type ResponseCheck } from '../support/openapi.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { newReaderWithKeys, REQUEST_ID, sdk, sharedBase, type Reader } from '../support/sandbox.ts';

/**
 * Thousands of generated malformed or hostile requests against a server of their own: none
 * may get a 5xx, every answer must be Stripe-shaped JSON, and the server must survive and
 * still serve a normal request. The generator is seeded; a failure prints the seed and the
 * request, and FUZZ_SEED=<seed> replays the same run.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const COUNT = 2500;
const CONCURRENCY = 16;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}

type Random = ReturnType<typeof prng>;

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Strings a careless parser trips on: unicode of every kind, control characters, sizes. */
const NASTY_TEXT = [
  '',
  ' ',
  'null',
  'undefined',
  'true',
  '[object Object]',
  '🐙🦑',
  '👨‍👩‍👧‍👦',
  '\u202Eevil\u202C',
  'مرحبا بالعالم',
  'Z̷̢̛a̶l̸g̵o̴',
  '\u0000',
  'a\u0000b',
  '\r\n',
  '\uFEFF',
  '\uD800',
  '<script>alert(1)</script>',
  "'; DROP TABLE customers; --",
  '%',
  '%zz',
  '%E2%82',
  '%ED%A0%80',
  '%C0%AE',
  '%00',
  '../../etc/passwd',
  'cus_',
  'cus_00000000000000',
  'evt_',
  '*',
  'customer.*',
  '%',
];

const NUMBERS = [
  '0',
  '-1',
  '1',
  '1.5',
  '1e309',
  '-0',
  'NaN',
  'Infinity',
  '0x10',
  '9'.repeat(30),
  '-' + '9'.repeat(400),
  '9007199254740993',
  '١٢٣',
];

const PARAM_NAMES = [
  'email',
  'name',
  'description',
  'phone',
  'balance',
  'metadata',
  'address',
  'shipping',
  'preferred_locales',
  'tax_exempt',
  'invoice_prefix',
  'next_invoice_sequence',
  'expand',
  'limit',
  'starting_after',
  'ending_before',
  'created',
  'type',
  'types',
  'delivery_success',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'unknown_param',
  '',
];

/** Percent-encodes the UTF-8 bytes of any text, lone surrogates included (as U+FFFD). */
const percentEncode = (value: string) =>
  [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

/** A bracketed key: plain, nested (sometimes very deep), listy, or broken. */
function paramKey(r: Random): string {
  const base = r.pick(PARAM_NAMES);
  switch (r.int(10)) {
    case 0:
      return base;
    case 1:
      return `${base}[]`;
    case 2:
      return `${base}[${r.pick(['0', '1', '99', '100', '101', '99999', '-1', '1e3'])}]`;
    case 3:
      return (
        base +
        Array.from(
          { length: 1 + r.int(r.chance(0.2) ? 40 : 7) },
          () => `[${r.pick(PARAM_NAMES) || 'x'}]`,
        ).join('')
      );
    case 4:
      return `${base}[${r.pick(['__proto__', 'constructor', 'prototype', 'toString'])}]${r.chance(0.5) ? '[polluted]' : ''}`;
    case 5:
      return r.pick([
        '[',
        ']',
        '[]',
        '][',
        'a[',
        'a]b',
        'a[b',
        'a[[b]]',
        '[a]',
        'a[b]c',
        '%5B%5D',
        'metadata%5Bk%5D',
        'a.b',
        'a[b][',
        `${base}[${'x'.repeat(200)}]`,
      ]);
    case 6:
      return `metadata[${r.pick(NASTY_TEXT) || 'k'}]`;
    case 7:
      return `address[${r.pick(['line1', 'city', 'country', 'foo', 'line1][x'])}]`;
    case 8:
      return `created[${r.pick(['gt', 'gte', 'lt', 'lte', 'eq', ''])}]`;
    default:
      return percentEncode(r.pick(NASTY_TEXT)) || 'x';
  }
}

function paramValue(r: Random): string {
  switch (r.int(6)) {
    case 0:
      return r.pick(NUMBERS);
    case 1:
      return r.pick(NASTY_TEXT);
    case 2:
      return 'x'.repeat(r.pick([41, 256, 501, 5001, 20_000]));
    case 3:
      return r.pick([
        'a@example.com',
        'none',
        'exempt',
        'fr',
        'default_source',
        'data.default_source',
        'customer.created',
        'true',
      ]);
    case 4:
      return String.fromCodePoint(
        ...Array.from({ length: 1 + r.int(20) }, () => r.int(0x2ffff)).filter(
          (c) => c < 0xd800 || c > 0xdfff,
        ),
      );
    default:
      return '';
  }
}

/** A form or query string, encoded correctly or not at all, with duplicates and junk. */
function formText(r: Random): string {
  const count = r.chance(0.05) ? 1000 + r.int(200) : r.int(8);
  const pairs: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = paramKey(r);
    const value = paramValue(r);
    const encode = r.chance(0.7);
    const pair = r.chance(0.1) ? key : `${key}=${encode ? percentEncode(value) : value}`;
    pairs.push(pair);
    if (r.chance(0.1)) pairs.push(pair); // a duplicate
  }
  return pairs.join(r.chance(0.05) ? ';' : '&');
}

const METHODS = [
  'GET',
  'GET',
  'POST',
  'POST',
  'POST',
  'DELETE',
  'PUT',
  'PATCH',
  'OPTIONS',
  'HEAD',
  'PROPFIND',
  'SEARCH',
  'PURGE',
  'MKCOL',
  'LOCK',
  'REPORT',
  'COPY',
];
const CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded; charset=utf-16',
  'APPLICATION/X-WWW-FORM-URLENCODED',
  'application/json',
  'text/plain',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'application/octet-stream',
  'application/x-www-form-urlencoded, application/json',
  ';;;',
  '',
  '🐙/🦑',
];

function path(r: Random, ids: string[]): string {
  const id = r.pick([
    ...ids,
    'cus_nope',
    'evt_nope',
    'x'.repeat(65),
    '%00',
    '%2e%2e%2f',
    '🐙',
    '%F0%9F%90%99',
    'cus_%5Bx%5D',
    '',
    'a/b',
    '..%2f..%2f',
  ]);
  const route = r.pick([
    '/v1/customers',
    `/v1/customers/${id}`,
    '/v1/events',
    `/v1/events/${id}`,
    `/v1/customers/${id}/sources`,
    '/v1/',
    '/v1',
    '/v1//customers',
    '/v1/customers/',
    `/v1/${percentEncode(r.pick(NASTY_TEXT))}`,
    `/v1/${'a/'.repeat(r.int(200))}`,
    '/v1/CUSTOMERS',
    '/v1/customers%2fcus_x',
    '/v1/customers/../events',
    '/v1/./customers',
  ]);
  // Request line and headers stay under Node's 16 KB limit (past it, Node's HTTP parser
  // answers 431 itself, before any application code): a path of at most 6 KB here, and at
  // most 8 KB of headers from fuzzRequest.
  return pathSafe(r.chance(0.4) ? `${route}?${formText(r)}` : route).slice(0, 6000);
}

/**
 * What an HTTP client can put in a request line: anything outside visible ASCII goes out as
 * its percent-encoded UTF-8 bytes (malformed escapes such as `%zz` stay as they are).
 */
const pathSafe = (value: string) =>
  value.replace(/[^\x21-\x7e]/gu, (char) =>
    [...Buffer.from(char, 'utf8')]
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
      .join(''),
  );

/** The Authorization header: the real key most of the time, so requests get past auth. */
function authorization(r: Random, reader: Reader): string | undefined {
  switch (r.chance(0.7) ? -1 : r.int(6)) {
    case 0:
      return undefined;
    case 1:
      return `Bearer ${r.pick(NASTY_TEXT)}`;
    case 2:
      return `Basic ${Buffer.from(r.pick([`${reader.secretKey}:`, ':', '', r.pick(NASTY_TEXT), `${reader.secretKey}`])).toString('base64')}`;
    case 3:
      return `Basic ${r.pick(['!!!', '====', '%%%', 'YQ', ''])}`;
    case 4:
      return `Bearer ${'sk_test_' + 'A'.repeat(r.pick([1, 24, 199, 200, 201, 3000]))}`;
    case 5:
      return r.pick([
        'Bearer',
        'Basic',
        'Digest x',
        'bearer  ',
        '  ',
        `Bearer ${reader.publishableKey}`,
        `Bearer ${reader.secretKey} extra`,
      ]);
    default:
      return `Bearer ${reader.secretKey}`;
  }
}

/** A header value the HTTP client will carry: unicode goes out as its UTF-8 bytes. */
const headerSafe = (value: string) => Buffer.from(value.replace(/[\r\n\0]/g, ''), 'utf8').toString('latin1');

/** The real endpoints, so most requests get as far as parameter parsing and validation. */
function endpoint(r: Random, ids: string[]): { method: string; path: string } {
  const id = r.pick(ids);
  const [method, route] = r.pick([
    ['POST', '/v1/customers'],
    ['POST', '/v1/customers'],
    ['GET', '/v1/customers'],
    ['GET', `/v1/customers/${id}`],
    ['POST', `/v1/customers/${id}`],
    ['POST', `/v1/customers/${id}`],
    ['DELETE', `/v1/customers/${id}`],
    ['GET', '/v1/events'],
    ['GET', '/v1/events/evt_nope'],
    ['GET', '/v1/customers/search'],
  ] as const);
  const query = method === 'GET' ? r.chance(0.8) : r.chance(0.2);
  const params = () => (r.chance(0.5) ? plausibleForm(r, route) : formText(r));
  return { method, path: pathSafe(query ? `${route}?${params()}` : route).slice(0, 6000) };
}

/** Parameters each endpoint knows, so hostile values get past the names into storage. */
const KNOWN_PARAMS: Record<string, string[]> = {
  customer: [
    'email',
    'name',
    'description',
    'phone',
    'metadata[note]',
    'address[line1]',
    'address[country]',
    'preferred_locales[]',
    'tax_exempt',
    'invoice_prefix',
    'balance',
    'shipping[name]',
    'expand[]',
  ],
  customers: ['email', 'limit', 'starting_after', 'ending_before', 'created', 'created[gt]', 'expand[]'],
  events: ['type', 'types[]', 'limit', 'starting_after', 'created[lte]', 'delivery_success'],
  search: ['query', 'query', 'limit', 'page', 'expand[]'],
};

/** One to three known parameters with well-formed but hostile values. */
function plausibleForm(r: Random, route: string): string {
  const names =
    KNOWN_PARAMS[
      route.startsWith('/v1/events')
        ? 'events'
        : route === '/v1/customers/search'
          ? 'search'
          : route === '/v1/customers'
            ? r.pick(['customer', 'customers'])
            : 'customer'
    ]!;
  return Array.from({ length: 1 + r.int(3) }, () => {
    const value = r.pick([
      r.pick(NASTY_TEXT),
      r.pick(NUMBERS),
      paramValue(r),
      `${r.pick(NASTY_TEXT)}@example.com`,
      // Search clauses with hostile values and keys, well-formed enough to reach matching.
      `${r.pick(['name~', 'email:', '-phone:', 'created>', 'metadata["k"]:'])}"${r.pick(NASTY_TEXT).replace(/["\\]/g, '')}"`,
      `metadata["${r.pick(NASTY_TEXT)}"]:null OR name:"${'\\"'.repeat(r.int(300))}"`,
    ]);
    return `${r.pick(names)}=${percentEncode(value)}`;
  }).join('&');
}

function fuzzRequest(r: Random, reader: Reader, ids: string[]): FuzzRequest {
  // Two thirds aimed at real endpoints, a third at odd methods and paths.
  const target = r.chance(0.67) ? endpoint(r, ids) : { method: r.pick(METHODS), path: path(r, ids) };
  const method = target.method;
  const headers: Record<string, string> = {};
  const auth = authorization(r, reader);
  if (auth !== undefined) headers.authorization = headerSafe(auth);
  if (r.chance(0.2))
    headers['stripe-version'] = headerSafe(
      r.pick([
        '2026-07-29.dahlia',
        '2024-01-01',
        'latest',
        '',
        '9999-99-99.x',
        r.pick(NASTY_TEXT),
        'x'.repeat(2000),
      ]),
    );
  if (r.chance(0.2))
    headers['idempotency-key'] = headerSafe(
      r.pick([`fuzz-${r.int(5)}`, 'k'.repeat(256), 'k'.repeat(255), r.pick(NASTY_TEXT), '']),
    );
  if (r.chance(0.1))
    headers['keyway-source'] = headerSafe(
      r.pick(['api', 'shell', 'try-it', 'dashboard', r.pick(NASTY_TEXT)]),
    );
  if (r.chance(0.1)) headers['user-agent'] = headerSafe(r.pick(NASTY_TEXT) + 'x'.repeat(r.int(3000)));
  if (r.chance(0.05))
    headers.host = r.pick(['evil.example', '[::1]:1', 'a b', '', 'x'.repeat(300), 'localhost:0']);

  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    switch (r.chance(0.04) ? 4 : r.int(10)) {
      case 0:
        body = undefined;
        break;
      case 1:
        body = Buffer.alloc(0);
        break;
      case 2:
        body = Buffer.from(Array.from({ length: r.int(5000) }, () => r.int(256)));
        break;
      case 3:
        body = Buffer.from(JSON.stringify({ email: r.pick(NASTY_TEXT), metadata: { a: 1 } }));
        break;
      case 4:
        body = Buffer.from(
          `description=${'x'.repeat(r.pick([1024 * 1024 - 20, 1024 * 1024 + 1, 1_200_000]))}`,
        );
        break;
      case 5:
        body = Buffer.from(formText(r), 'latin1');
        break;
      case 6:
      case 7:
        body = Buffer.from(plausibleForm(r, target.path.split('?')[0]!));
        break;
      default:
        body = Buffer.from(formText(r), 'utf8');
    }
    const type = r.chance(0.7) ? CONTENT_TYPES[r.chance(0.6) ? 0 : r.int(CONTENT_TYPES.length)]! : undefined;
    if (type !== undefined) headers['content-type'] = headerSafe(type);
  }
  return { method, path: target.path, headers, body };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
afterAll(() => agent.destroy());

function send(port: number, request: FuzzRequest): Promise<Answer> {
  // Node frames a DELETE or OPTIONS body only when told its length; unframed, the body
  // would be read as the next request.
  const headers = request.body
    ? { ...request.headers, 'content-length': String(request.body.length) }
    : request.headers;
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: '127.0.0.1',
        port,
        method: request.method,
        path: request.path,
        headers,
        agent,
        timeout: 20_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer within 20 s')));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

// What the SDK clients receive is checked against /openapi.json by the hooks; what `send`
// receives is checked in `problem`, so a mismatch is reported with its request.
checkEverySandboxResponse();
let matchesDocument: ResponseCheck;
beforeAll(async () => {
  matchesDocument = await servedResponseChecker(sharedBase());
});

/** Why an answer is unacceptable, or null when it is fine. */
function problem(request: FuzzRequest, answer: Answer): string | null {
  if (answer.status >= 500) return `status ${answer.status}`;
  if (!REQUEST_ID.test(String(answer.headers['request-id']))) return 'no Request-Id';
  if (!/^application\/json/.test(String(answer.headers['content-type'])))
    return `content-type ${answer.headers['content-type']}`;
  if (request.method === 'HEAD') return answer.text === '' ? null : 'a body on HEAD';
  let json: any;
  try {
    json = JSON.parse(answer.text);
  } catch {
    return 'a body that is not JSON';
  }
  if (answer.status >= 400) {
    if (typeof json?.error?.type !== 'string' || typeof json?.error?.message !== 'string')
      return 'an error without type and message';
  } else if (typeof json?.object !== 'string') {
    return 'a success without an object';
  }
  try {
    matchesDocument(request.method, request.path, answer.status, json);
  } catch (error) {
    return `not as /openapi.json declares: ${(error as Error).message}`;
  }
  return null;
}

/** A request as a failure message shows it: long runs of one character abbreviated. */
const describeRequest = (request: FuzzRequest) =>
  JSON.stringify({
    ...request,
    body:
      request.body && request.body.length > 300
        ? `<${request.body.length} bytes>`
        : request.body?.toString('latin1'),
  })
    .replace(/(.)\1{19,}/g, (run, char: string) => `${char}…(${run.length}×)`)
    .slice(0, 2000);

describeEachDatabase(`fuzz on $name (seed ${SEED}; FUZZ_SEED=${SEED} replays it)`, (kind) => {
  let scratch: ScratchDatabase;
  let server: RunningServer;
  let reader: Reader;
  const ids: string[] = [];

  beforeAll(async () => {
    console.log(`fuzz seed: ${SEED} (set FUZZ_SEED=${SEED} to replay this run)`);
    // A server of its own with a high rate limit: the point is that requests get past
    // authentication to the parsers, not that they are throttled.
    scratch = await kind.create();
    server = await startServer({ SANDBOX_RATE_LIMIT: '1000000', DATABASE_URL: scratch.url });
    reader = await newReaderWithKeys(server.baseUrl);
    const stripe = sdk(reader.secretKey, server.baseUrl);
    for (let i = 0; i < 5; i++)
      ids.push((await stripe.customers.create({ email: `fuzz${i}@example.com` })).id);
  });
  afterAll(async () => {
    await server?.stop();
    await scratch?.drop();
  });

  it(
    `${COUNT} malformed and hostile requests: no 5xx, always JSON with an error or an object`,
    { timeout: 120_000 },
    async () => {
      const r = prng(SEED);
      const requests = Array.from({ length: COUNT }, () => fuzzRequest(r, reader, ids));
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const index = next++;
          const request = requests[index]!;
          try {
            const answer = await send(server.port, request);
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            const wrong = problem(request, answer);
            if (wrong)
              failures.push(
                `#${index} ${answer.status} ${wrong}: ${describeRequest(request)} → ${answer.text.slice(0, 300)}`,
              );
          } catch (error) {
            failures.push(`#${index} ${(error as Error).message}: ${describeRequest(request)}`);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));

      console.log(
        `fuzz statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
      );
      const reasons = new Map<string, number>();
      for (const failure of failures) {
        const reason = failure.split(':')[0]!.replace(/^#\d+ /, '');
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
      if (failures.length) {
        // Every bad answer, in full, where test artifacts go (ignored by git).
        const file = join(root, 'test-results', `fuzz-failures-${kind.name}-${SEED}.txt`);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, failures.join('\n\n'));
        console.log(
          `fuzz failures by reason: ${JSON.stringify(Object.fromEntries(reasons))}; all of them in ${file}`,
        );
      }
      expect(failures.slice(0, 20), `seed ${SEED}: ${failures.length} bad answers`).toEqual([]);
      // The mix reached past authentication and the parsers, not just the front door.
      expect(statuses.get(200) ?? 0).toBeGreaterThan(50);
      expect(statuses.get(400) ?? 0).toBeGreaterThan(300);
      for (const status of [401, 403, 404, 405])
        expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
    },
  );

  it('the server is still running, logged no failure, and serves a normal request', async () => {
    expect(server.process.exitCode).toBeNull();
    expect(server.output()).not.toMatch(/Sandbox request failed|Could not serve|Could not log/);
    const customer = await sdk(reader.secretKey, server.baseUrl).customers.create({
      email: 'after-fuzz@example.com',
      metadata: { ok: 'yes' },
    });
    expect(customer).toMatchObject({
      object: 'customer',
      email: 'after-fuzz@example.com',
      metadata: { ok: 'yes' },
    });
  });
});

/**
 * Requests the production server's bridge to the sandbox must turn into a web Request:
 * a method fetch refuses to carry and a Host that makes no valid URL. The sandbox never
 * sees them; the server must still answer as the sandbox would.
 */
describe('requests a web Request cannot represent', () => {
  let reader: Reader;
  const sharedPort = () => Number(new URL(sharedBase()).port);

  beforeAll(async () => {
    reader = await newReaderWithKeys();
  });

  it('a Host header naming an impossible port is answered as JSON, not a 500', async () => {
    const answer = await send(sharedPort(), {
      method: 'GET',
      path: '/v1/customers',
      headers: { host: '127.0.0.1:99999', authorization: `Bearer ${reader.secretKey}` },
    });
    expect(answer.status).toBe(200);
    expect(problem({ method: 'GET', path: '/v1/customers', headers: {} }, answer)).toBeNull();
  });

  it('TRACE, which a web Request cannot carry, is answered as JSON like any other wrong method', async () => {
    const answer = await send(sharedPort(), {
      method: 'TRACE',
      path: '/v1/customers',
      headers: { authorization: `Bearer ${reader.secretKey}` },
    });
    expect(answer.status).toBe(405);
    expect(problem({ method: 'TRACE', path: '/v1/customers', headers: {} }, answer)).toBeNull();
  });
});
