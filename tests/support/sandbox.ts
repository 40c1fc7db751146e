import Stripe from 'stripe';
import { inject } from 'vitest';
import { CookieJar } from './http.ts';

/**
 * Helpers for the sandbox tests: readers signed up through the real form (each is a new
 * account with its own keys), the official SDK pointed at a server, and raw requests for
 * what the SDK hides (headers, bodies the SDK would never send).
 */

export const REQUEST_ID = /^req_[0-9A-Za-z]{14}$/;
const SECRET_TEST = /sk_test_[0-9A-Za-z]{24}/g;
const PUBLISHABLE_TEST = /pk_test_[0-9A-Za-z]{24}/g;

/** The server the project's globalSetup started. */
export const sharedBase = (): string => inject('baseUrl');

/** A signed-up reader: their session, their test keys and where they signed up. */
export interface Reader {
  base: string;
  jar: CookieJar;
  email: string;
  secretKey: string;
  publishableKey: string;
}

let readerCount = 0;
const unique = () =>
  `${process.pid}.${Date.now().toString(36)}.${++readerCount}.${Math.random().toString(36).slice(2, 8)}`;

/** GET or POST (a form, as a same-origin page would) on a server, keeping cookies. */
export async function browse(
  base: string,
  path: string,
  jar: CookieJar,
  form?: Record<string, string>,
): Promise<Response> {
  const response = await fetch(`${base}${path}`, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      cookie: jar.header(),
      ...(form ? { origin: base, 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  jar.store(response);
  return response;
}

/** The one match of a pattern in a page, or a failure that shows the page. */
function only(text: string, pattern: RegExp, what: string): string {
  const found = [...new Set(text.match(pattern) ?? [])];
  if (found.length !== 1)
    throw new Error(`Expected one ${what}, found ${found.length}: ${text.slice(0, 2000)}`);
  return found[0]!;
}

/** Signs a new reader up through the form and reads their test keys off the dashboard. */
export async function newReaderWithKeys(base: string = sharedBase()): Promise<Reader> {
  const jar = new CookieJar();
  const email = `sandbox.${unique()}@example.com`;
  const signUp = await browse(base, '/signup', jar, { email, password: 'correct horse battery' });
  if (signUp.status !== 303) throw new Error(`Sign-up failed with ${signUp.status}: ${await signUp.text()}`);
  const page = await (await browse(base, '/dashboard/apikeys', jar)).text();
  return {
    base,
    jar,
    email,
    secretKey: only(page, SECRET_TEST, 'test secret key'),
    publishableKey: only(page, PUBLISHABLE_TEST, 'test publishable key'),
  };
}

/** The id of the dashboard's row for the standard secret key of the mode shown. */
function secretKeyId(page: string): string {
  const match = /data-key-id="(key_[0-9A-Za-z]+)">\s*<th scope="row">\s*Secret key/.exec(page);
  if (!match) throw new Error(`No secret key row on the dashboard: ${page.slice(0, 2000)}`);
  return match[1]!;
}

type Level = 'none' | 'read' | 'write';

/**
 * Creates a restricted test key through the dashboard form; returns it (shown once). A resource
 * left out is given None, as a reader who did not touch its row would.
 */
export async function createRestrictedKey(
  reader: Reader,
  permissions: { customers: Level; events: Level; webhook_endpoints?: Level },
): Promise<string> {
  const response = await browse(reader.base, '/dashboard/apikeys', reader.jar, {
    intent: 'create-restricted',
    name: `restricted ${unique()}`,
    permission_customers: permissions.customers,
    permission_events: permissions.events,
    permission_webhook_endpoints: permissions.webhook_endpoints ?? 'none',
  });
  return only(await response.text(), /rk_test_[0-9A-Za-z]{24}/g, 'new restricted key');
}

/** Rolls the reader's test secret key; the old one stops working after `expires`. */
export async function rollSecretKey(reader: Reader, expires: 'now' | '1h' | '24h' | '7d'): Promise<string> {
  const page = await (await browse(reader.base, '/dashboard/apikeys', reader.jar)).text();
  const response = await browse(reader.base, '/dashboard/apikeys', reader.jar, {
    intent: 'roll',
    key_id: secretKeyId(page),
    expires,
    // "Now" asks to confirm first; the helper confirms, as a reader would.
    confirm: 'now',
  });
  const text = await response.text();
  const key = /<code id="new-key">(sk_test_[0-9A-Za-z]{24})<\/code>/.exec(text)?.[1];
  if (!key) throw new Error(`The roll showed no new key (${response.status}): ${text.slice(0, 2000)}`);
  reader.secretKey = key;
  return key;
}

/**
 * The reader's live keys: the dashboard shows the publishable one, and the secret one only
 * when it is made, so it is rolled once to be seen. The dashboard is switched back to test.
 */
export async function liveKeys(reader: Reader): Promise<{ publishable: string; secret: string }> {
  const switched = await browse(reader.base, '/dashboard/mode', reader.jar, {
    mode: 'live',
    next: '/dashboard/apikeys',
  });
  if (switched.status !== 303) throw new Error(`Mode switch failed with ${switched.status}`);
  const page = await (await browse(reader.base, '/dashboard/apikeys', reader.jar)).text();
  const publishable = only(page, /pk_live_[0-9A-Za-z]{24}/g, 'live publishable key');
  const rolled = await browse(reader.base, '/dashboard/apikeys', reader.jar, {
    intent: 'roll',
    key_id: secretKeyId(page),
    expires: 'now',
    confirm: 'now',
  });
  const secret = only(await rolled.text(), /sk_live_[0-9A-Za-z]{24}/g, 'live secret key');
  await browse(reader.base, '/dashboard/mode', reader.jar, { mode: 'test', next: '/dashboard/apikeys' });
  return { publishable, secret };
}

/**
 * A fetch that starts at most `perSecond` requests per wall-clock second. The sandbox counts
 * 25 requests per key in fixed one-second windows; tests that are not about the rate limit
 * stay under it with this, so a 429 never masks what they check.
 */
export function throttledFetch(perSecond = 20): typeof fetch {
  let second = 0;
  let started = 0;
  let queue: Promise<void> = Promise.resolve();
  const slot = async () => {
    for (;;) {
      const now = Date.now();
      if (Math.floor(now / 1000) !== second) {
        second = Math.floor(now / 1000);
        started = 0;
      }
      if (started < perSecond) {
        started++;
        return;
      }
      await sleep(1000 - (now % 1000) + 5);
    }
  };
  return async (input, init) => {
    const turn = queue.then(slot);
    queue = turn;
    await turn;
    return fetch(input, init);
  };
}

/** Told of every sandbox response a raw `call` or an `sdk` client receives, with its body. */
export type ResponseListener = (method: string, url: string, status: number, text: string) => void;
const listeners: ResponseListener[] = [];
/** Bodies still being read for the listeners (an SDK client reads its own copy meanwhile). */
const reading = new Set<Promise<void>>();

/** Has `listener` see every response this test file's `call`s and `sdk` clients receive. */
export function onSandboxResponse(listener: ResponseListener): void {
  listeners.push(listener);
}

/** Waits until every response received so far has reached the listeners. */
export async function sandboxResponsesRead(): Promise<void> {
  await Promise.all(reading);
}

function tell(method: string, url: string, status: number, text: string): void {
  for (const listener of listeners) listener(method, url, status, text);
}

/** A fetch that shows a copy of each response to the listeners and returns the original. */
function observed(send: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await send(input, init);
    if (listeners.length) {
      const url = input instanceof Request ? input.url : String(input);
      const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
      const read = response
        .clone()
        .text()
        .then((text) => tell(method, url, response.status, text));
      reading.add(read);
      void read.finally(() => reading.delete(read));
    }
    return response;
  };
}

const paced = new Map<string, typeof fetch>();
/** One paced fetch per key, shared by the SDK clients and raw requests made with it. */
function pacedFetch(key: string): typeof fetch {
  if (!paced.has(key)) paced.set(key, throttledFetch());
  return paced.get(key)!;
}

/** The official SDK pointed at a sandbox server, paced under the rate limit unless told. */
export function sdk(
  key: string,
  base: string = sharedBase(),
  options: { throttle?: boolean; retries?: number } = {},
): Stripe {
  const url = new URL(base);
  return new Stripe(key, {
    host: url.hostname,
    port: url.port,
    protocol: url.protocol.replace(':', '') as 'http' | 'https',
    maxNetworkRetries: options.retries ?? 0,
    // Paced together with every raw `call` made with the same key, and seen by the listeners
    // (the fetch client is the SDK's own way to hand it the transport).
    httpClient: Stripe.createFetchHttpClient(observed(options.throttle === false ? fetch : pacedFetch(key))),
  });
}

/** A raw sandbox response, with its body parsed (it must be JSON). */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/**
 * A request made without the SDK. `form` is sent form-encoded (a string is sent as it is),
 * `key` as a Bearer token; `body` and `headers` override for odd requests.
 */
export async function call(
  base: string,
  method: string,
  path: string,
  options: {
    key?: string | null;
    form?: string | Record<string, string>;
    body?: BodyInit;
    headers?: Record<string, string>;
    /** Stay under the key's rate limit (see throttledFetch). */
    paced?: boolean;
  } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body = options.body;
  if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = typeof options.form === 'string' ? options.form : new URLSearchParams(options.form).toString();
  }
  const send = options.paced && options.key ? pacedFetch(options.key) : fetch;
  const response = await send(`${base}${path}`, {
    method,
    headers: { ...headers, ...options.headers },
    body,
  });
  const text = await response.text();
  tell(method, `${base}${path}`, response.status, text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(
      `${method} ${path} answered ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`,
    );
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A random test-looking secret key that no account has. */
export function unknownSecretKey(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let key = 'sk_test_';
  for (let i = 0; i < 24; i++) key += alphabet[Math.floor(Math.random() * alphabet.length)];
  return key;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns something other than undefined, or fails after `ms`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  ms = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * Everything an account holds, read with its full secret key: its customers as they are and
 * its events' ids. Comparing it before and after shows that a refused request changed nothing.
 */
export async function accountState(base: string, secretKey: string): Promise<string> {
  const customers = await call(base, 'GET', '/v1/customers?limit=100', { key: secretKey, paced: true });
  const events = await call(base, 'GET', '/v1/events?limit=100', { key: secretKey, paced: true });
  const endpoints = await call(base, 'GET', '/v1/webhook_endpoints?limit=100', {
    key: secretKey,
    paced: true,
  });
  return JSON.stringify({
    customers: customers.json.data,
    events: events.json.data.map((e: any) => e.id),
    webhookEndpoints: endpoints.json.data,
  });
}
