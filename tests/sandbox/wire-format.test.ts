import net from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkEverySandboxResponse } from '../support/openapi.ts';
import {
  call,
  newReaderWithKeys,
  REQUEST_ID,
  sharedBase,
  type RawResponse,
  type Reader,
} from '../support/sandbox.ts';

/**
 * Stripe's wire format, checked with raw requests: what the SDKs rely on without showing
 * it (headers, encodings) and what no SDK would send (wrong types, bad bodies).
 */

const responses = checkEverySandboxResponse();
let reader: Reader;
let customerId: string;

beforeAll(async () => {
  reader = await newReaderWithKeys();
  customerId = (await post('/v1/customers', 'email=wire@example.com')).json.id;
});

const base = () => sharedBase();
const post = (path: string, form: string, headers: Record<string, string> = {}) =>
  call(base(), 'POST', path, { key: reader.secretKey, form, headers, paced: true });
const get = (path: string, headers: Record<string, string> = {}) =>
  call(base(), 'GET', path, { key: reader.secretKey, headers, paced: true });

/** Every response checked so far had a well-formed Request-Id; every test adds to this. */
function expectRequestId(response: RawResponse): string {
  const id = response.headers.get('request-id');
  expect(id, `Request-Id of a ${response.status}`).toMatch(REQUEST_ID);
  return id!;
}

/** Docs pages fetched for doc_url checks, by URL without the anchor. */
const docPages = new Map<string, Promise<{ status: number; html: string }>>();

/**
 * Checks an error response: status, JSON content type, Stripe's shape, and the links.
 * A doc_url must be a page of this site that exists and has the code's anchor; a
 * request_log_url must name this request's log entry (authenticated requests only).
 */
async function expectError(
  response: RawResponse,
  expected: {
    status: number;
    code?: string;
    param?: string;
    type?: string;
    message?: string | RegExp;
    logged?: boolean;
  },
): Promise<Record<string, string>> {
  expect(response.status, response.text).toBe(expected.status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const requestId = expectRequestId(response);
  const error = response.json.error as Record<string, string>;
  expect(error.type).toBe(expected.type ?? 'invalid_request_error');
  expect(typeof error.message).toBe('string');
  expect(error.message!.length).toBeGreaterThan(10);
  if (expected.code !== undefined) expect(error.code).toBe(expected.code);
  if (expected.param !== undefined) expect(error.param).toBe(expected.param);
  if (expected.message instanceof RegExp) expect(error.message).toMatch(expected.message);
  else if (expected.message !== undefined) expect(error.message).toBe(expected.message);
  if (error.doc_url !== undefined) {
    const url = new URL(error.doc_url);
    expect(url.origin).toBe(base());
    expect(url.pathname).toMatch(/^\/docs\//);
    expect(url.hash).toBe(`#${error.code}`);
    const page = url.origin + url.pathname;
    if (!docPages.has(page))
      docPages.set(
        page,
        fetch(page).then(async (r) => ({ status: r.status, html: await r.text() })),
      );
    const { status, html } = await docPages.get(page)!;
    expect(status, page).toBe(200);
    expect(html, `${error.doc_url}: no element with id="${error.code}"`).toContain(`id="${error.code}"`);
  }
  if (expected.logged ?? true) expect(error.request_log_url).toBe(`${base()}/dashboard/logs/${requestId}`);
  else expect(error.request_log_url).toBeUndefined();
  return error;
}

describe('authentication schemes', () => {
  it('Bearer works', async () => {
    const response = await call(base(), 'GET', '/v1/customers', {
      headers: { authorization: `Bearer ${reader.secretKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.json.object).toBe('list');
  });

  it("HTTP Basic with the key as user name and no password works (curl's -u key:)", async () => {
    const basic = Buffer.from(`${reader.secretKey}:`).toString('base64');
    const response = await call(base(), 'GET', '/v1/customers', {
      headers: { authorization: `Basic ${basic}` },
    });
    expect(response.status).toBe(200);
    expect(response.json.object).toBe('list');
  });

  it('an unknown scheme is refused with 401 and an explanation, not mistaken for no key', async () => {
    const response = await call(base(), 'GET', '/v1/customers', {
      headers: { authorization: `Token ${reader.secretKey}` },
    });
    await expectError(response, { status: 401, message: /Invalid Authorization header/, logged: false });
  });

  it('no key: 401 with a message pointing at the docs and dashboard of this site', async () => {
    const response = await call(base(), 'GET', '/v1/customers');
    const error = await expectError(response, { status: 401, logged: false });
    expect(error.message).toContain(`${base()}/docs/api/authentication`);
    expect(error.message).not.toContain('stripe.com');
  });
});

describe('headers on every response', () => {
  it('Request-Id is req_ + 14 characters, distinct per request, on successes and errors alike', async () => {
    const responses = [
      await get('/v1/customers'),
      await get(`/v1/customers/${customerId}`),
      await get('/v1/customers/cus_missing'),
      await call(base(), 'GET', '/v1/customers'),
      await call(base(), 'GET', '/v1/nowhere'),
      await post('/v1/customers', 'bogus=1'),
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 200, 404, 401, 404, 400]);
    const ids = responses.map(expectRequestId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('Stripe-Version is accepted and echoed; without one, the default is named', async () => {
    const pinned = await get('/v1/customers', { 'stripe-version': '2025-03-31.basil' });
    expect(pinned.status).toBe(200);
    expect(pinned.headers.get('stripe-version')).toBe('2025-03-31.basil');
    const plain = await get('/v1/customers');
    expect(plain.headers.get('stripe-version')).toMatch(/^\d{4}-\d{2}-\d{2}\.[a-z]+$/);
  });

  it('a malformed Stripe-Version is refused with 400', async () => {
    const response = await get('/v1/customers', { 'stripe-version': 'yesterday' });
    const error = await expectError(response, { status: 400, logged: false });
    expect(error.message).toContain('Invalid Stripe API version: yesterday');
  });

  it('error bodies carry code, param, doc_url and request_log_url where they apply', async () => {
    const error = await expectError(await post('/v1/customers', 'trial_period_days=3'), {
      status: 400,
      code: 'parameter_unknown',
      param: 'trial_period_days',
      message: 'Received unknown parameter: trial_period_days',
    });
    expect(error.doc_url).toBe(`${base()}/docs/api/errors#parameter_unknown`);
  });
});

describe('form encoding', () => {
  it('accepts brackets bare and percent-encoded', async () => {
    const bare = await post('/v1/customers', 'metadata[k]=bare');
    const encoded = await post('/v1/customers', 'metadata%5Bk%5D=encoded');
    expect(bare.json.metadata).toEqual({ k: 'bare' });
    expect(encoded.json.metadata).toEqual({ k: 'encoded' });
  });

  it('decodes +, percent-encoded UTF-8 and reserved characters in values', async () => {
    const response = await post(
      '/v1/customers',
      'name=Zo%C3%AB+O%27Brien&description=a%26b%3Dc&metadata[emoji]=%F0%9F%90%99',
    );
    expect(response.json).toMatchObject({
      name: "Zoë O'Brien",
      description: 'a&b=c',
      metadata: { emoji: '🐙' },
    });
  });

  it('accepts expand[]= and expand[0]= for an expandable field', async () => {
    for (const query of [
      'expand[]=default_source',
      'expand[0]=default_source',
      'expand%5B%5D=default_source',
    ]) {
      const response = await get(`/v1/customers/${customerId}?${query}`);
      expect(response.status, query).toBe(200);
      expect(response.json.id).toBe(customerId);
    }
    const created = await post('/v1/customers', 'email=x@example.com&expand[]=default_source');
    expect(created.status).toBe(200);
  });

  it('refuses to expand a field that is not an object id', async () => {
    await expectError(await get(`/v1/customers/${customerId}?expand[]=email`), {
      status: 400,
      param: 'expand',
    });
  });

  it('on lists, expand[]=data.default_source is accepted, data.email and paths without data. are refused', async () => {
    expect((await get('/v1/customers?expand[]=data.default_source')).status).toBe(200);
    await expectError(await get('/v1/customers?expand[]=data.email'), { status: 400, param: 'expand' });
    await expectError(await get('/v1/customers?expand[]=default_source'), { status: 400, param: 'expand' });
  });

  it('takes GET parameters from the query string', async () => {
    const email = `query.${Date.now()}@example.com`;
    await post('/v1/customers', `email=${encodeURIComponent(email)}`);
    await post('/v1/customers', `email=${encodeURIComponent(email)}`);
    const one = await get(`/v1/customers?limit=1&email=${encodeURIComponent(email)}`);
    expect(one.json.data).toHaveLength(1);
    expect(one.json.has_more).toBe(true);
    expect(one.json.data[0].email).toBe(email);
    await expectError(await get('/v1/customers?colour=blue'), {
      status: 400,
      code: 'parameter_unknown',
      param: 'colour',
    });
  });
});

describe('parameter validation', () => {
  it('an unknown parameter is refused with parameter_unknown naming it, nested ones by their full name', async () => {
    await expectError(await post('/v1/customers', 'email=a@example.com&foo=bar'), {
      status: 400,
      code: 'parameter_unknown',
      param: 'foo',
    });
    await expectError(await post('/v1/customers', 'address[line1]=x&address[foo]=y'), {
      status: 400,
      code: 'parameter_unknown',
      param: 'address[foo]',
      message: 'Received unknown parameter: address[foo]',
    });
    await expectError(
      await post(`/v1/customers/${customerId}`, 'shipping[name]=n&shipping[address][planet]=Mars'),
      {
        status: 400,
        code: 'parameter_unknown',
        param: 'shipping[address][planet]',
      },
    );
  });

  it('names that exist on every JavaScript object are unknown parameters too', async () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      await expectError(await post('/v1/customers', `${name}=x`), {
        status: 400,
        code: 'parameter_unknown',
        param: name,
      });
      await expectError(await post('/v1/customers', `address[${name}]=x`), {
        status: 400,
        code: 'parameter_unknown',
        param: `address[${name}]`,
      });
    }
    await expectError(await post('/v1/customers', 'constructor[prototype][polluted]=1'), {
      status: 400,
      code: 'parameter_unknown',
      param: 'constructor',
    });
    // __proto__ keys are dropped by the parser, so they change nothing either.
    const created = await post(
      '/v1/customers',
      '__proto__[polluted]=1&metadata[__proto__][x]=1&email=proto@example.com',
    );
    expect(created.status).toBe(200);
    expect(created.json.metadata).toEqual({});
    expect(created.text).not.toContain('polluted');
  });

  it('NUL characters in string parameters are refused with 400 (PostgreSQL text cannot hold them)', async () => {
    await expectError(await post('/v1/customers', 'email=a%00b@example.com'), {
      status: 400,
      param: 'email',
      message: /NUL/,
    });
    await expectError(await get('/v1/customers?email=a%00b'), { status: 400, param: 'email' });
    await expectError(await get('/v1/customers?starting_after=cus_%00'), {
      status: 400,
      param: 'starting_after',
    });
    await expectError(await get('/v1/events?types[]=customer.created%00'), {
      status: 400,
      param: 'types[0]',
    });
  });

  it("'' unsets a field, one metadata key, or all metadata", async () => {
    const id = (
      await post(
        '/v1/customers',
        'description=d&phone=%2B1555&metadata[a]=1&metadata[b]=2&address[city]=Paris',
      )
    ).json.id;
    const one = await post(`/v1/customers/${id}`, 'description=&metadata[a]=&address=');
    expect(one.json).toMatchObject({
      description: null,
      phone: '+1555',
      metadata: { b: '2' },
      address: null,
    });
    const all = await post(`/v1/customers/${id}`, 'metadata=');
    expect(all.json.metadata).toEqual({});
  });

  it("'' on a field that cannot be unset is refused with parameter_invalid_empty", async () => {
    await expectError(await post('/v1/customers', 'balance='), {
      status: 400,
      code: 'parameter_invalid_empty',
      param: 'balance',
    });
  });

  it('wrong types are refused with the parameter named', async () => {
    await expectError(await post('/v1/customers', 'balance=abc'), {
      status: 400,
      code: 'parameter_invalid_integer',
      param: 'balance',
      message: 'Invalid integer: abc',
    });
    await expectError(await post('/v1/customers', 'balance=1.5'), {
      status: 400,
      code: 'parameter_invalid_integer',
      param: 'balance',
    });
    await expectError(await post('/v1/customers', 'balance=99999999999999999999'), {
      status: 400,
      code: 'parameter_invalid_integer',
      param: 'balance',
    });
    await expectError(await post('/v1/customers', 'metadata=x'), {
      status: 400,
      param: 'metadata',
      message: /expected a hash/,
    });
    await expectError(await post('/v1/customers', 'email[]=a'), {
      status: 400,
      param: 'email',
      message: /expected a string/,
    });
    await expectError(await post('/v1/customers', 'email[x]=a'), { status: 400, param: 'email' });
    await expectError(await post('/v1/customers', 'address=Paris'), { status: 400, param: 'address' });
    await expectError(await post('/v1/customers', 'preferred_locales[a]=fr'), {
      status: 400,
      param: 'preferred_locales',
    });
    await expectError(await post('/v1/customers', 'tax_exempt=sometimes'), {
      status: 400,
      param: 'tax_exempt',
    });
    await expectError(await post('/v1/customers', 'shipping[phone]=1'), {
      status: 400,
      code: 'parameter_missing',
      param: 'shipping[name]',
    });
  });

  describe('metadata limits', () => {
    const keys = (count: number) => Array.from({ length: count }, (_, i) => `metadata[k${i}]=v`).join('&');

    it('50 keys are fine; 51 are refused with the count', async () => {
      expect((await post('/v1/customers', keys(50))).status).toBe(200);
      await expectError(await post('/v1/customers', keys(51)), {
        status: 400,
        param: 'metadata',
        message: "Metadata can have up to 50 keys, but you've set 51.",
      });
    });

    it('an update that would make 51 keys is refused', async () => {
      const id = (await post('/v1/customers', keys(50))).json.id;
      await expectError(await post(`/v1/customers/${id}`, 'metadata[one_more]=x'), {
        status: 400,
        param: 'metadata',
        message: /but you've set 51/,
      });
    });

    it('a 40-character key is fine; 41 is refused', async () => {
      expect((await post('/v1/customers', `metadata[${'k'.repeat(40)}]=v`)).status).toBe(200);
      await expectError(await post('/v1/customers', `metadata[${'k'.repeat(41)}]=v`), {
        status: 400,
        param: 'metadata',
        message: `Invalid key: ${'k'.repeat(41)} must be a string under 40 characters`,
      });
    });

    it('a 500-character value is fine; 501 is refused, naming the bracketed key as Stripe does', async () => {
      expect((await post('/v1/customers', `metadata[k]=${'v'.repeat(500)}`)).status).toBe(200);
      await expectError(await post('/v1/customers', `metadata[k]=${'v'.repeat(501)}`), {
        status: 400,
        param: 'metadata[k]',
        message: /^Invalid val: v+… must be a string under 500 characters$/,
      });
    });
  });

  describe('list parameters', () => {
    it('limit 1 and 100 are fine; 0, 101 and abc are refused', async () => {
      expect((await get('/v1/customers?limit=1')).json.data).toHaveLength(1);
      expect((await get('/v1/customers?limit=100')).status).toBe(200);
      for (const limit of ['0', '101', 'abc', '-1']) {
        await expectError(await get(`/v1/customers?limit=${limit}`), {
          status: 400,
          code: 'parameter_invalid_integer',
          param: 'limit',
        });
      }
    });

    it('starting_after and ending_before together are refused', async () => {
      const error = await expectError(
        await get(`/v1/customers?starting_after=${customerId}&ending_before=${customerId}`),
        { status: 400 },
      );
      expect(error.message).toContain('ending_before, starting_after');
    });

    it('an unknown cursor is a 404 resource_missing naming the cursor', async () => {
      await expectError(await get('/v1/customers?starting_after=cus_nope'), {
        status: 404,
        code: 'resource_missing',
        param: 'starting_after',
      });
    });

    it('created must be an integer or a range hash', async () => {
      await expectError(await get('/v1/customers?created[after]=1'), {
        status: 400,
        code: 'parameter_unknown',
        param: 'created[after]',
      });
      await expectError(await get('/v1/customers?created=yesterday'), {
        status: 400,
        code: 'parameter_invalid_integer',
        param: 'created',
      });
    });
  });
});

describe('bodies', () => {
  const unsupported = async (init: { body: BodyInit; headers?: Record<string, string> }, shown: RegExp) => {
    const response = await call(base(), 'POST', '/v1/customers', {
      key: reader.secretKey,
      paced: true,
      ...init,
    });
    const error = await expectError(response, { status: 400 });
    expect(error.message).toMatch(/unsupported Content-Type/);
    expect(error.message).toMatch(shown);
    expect(error.message).toContain('application/x-www-form-urlencoded');
  };

  it('JSON is refused with 400 and a message naming the type and what to send', async () => {
    await unsupported(
      { body: JSON.stringify({ email: 'a@example.com' }), headers: { 'content-type': 'application/json' } },
      /application\/json/,
    );
  });

  it('text/plain is refused the same way', async () => {
    await unsupported(
      { body: 'email=a@example.com', headers: { 'content-type': 'text/plain' } },
      /text\/plain/,
    );
  });

  it('multipart/form-data is refused the same way', async () => {
    const form = new FormData();
    form.set('email', 'a@example.com');
    await unsupported({ body: form }, /multipart\/form-data/);
  });

  it('an empty body needs no content type', async () => {
    const response = await call(base(), 'POST', '/v1/customers', { key: reader.secretKey, paced: true });
    expect(response.status).toBe(200);
    expect(response.json.object).toBe('customer');
  });

  it('a body over 1 MB gets 413, whether its length is declared or streamed', async () => {
    const big = `description=${'x'.repeat(1024 * 1024 + 10)}`;
    await expectError(await post('/v1/customers', big), { status: 413 });
    // Chunked, with no Content-Length: the limit is counted as the body arrives.
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('description='));
        if (sent++ < 20) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await fetch(`${base()}/v1/customers`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${reader.secretKey}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    const text = await response.text();
    responses.see('POST', response.url, response.status, text);
    expect(JSON.parse(text).error.type).toBe('invalid_request_error');
  });

  it('a body just under 1 MB is read (and then judged on its parameters)', async () => {
    const response = await post('/v1/customers', `description=${'x'.repeat(1000 * 1000)}`);
    await expectError(response, { status: 400, param: 'description' });
  });

  it('after a large body refused before it was read, the same connection still serves the next request', async () => {
    const next =
      'POST /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer KEY\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nname=ok';
    const refusedFirst = (key: string, size: number) =>
      `POST /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${size + 12}\r\n\r\ndescription=${'x'.repeat(size)}`;
    // A 401 (the body is never needed) and a 413 (the body is too large), each followed by
    // a normal request on the same keep-alive connection.
    for (const first of [
      refusedFirst('sk_test_unknown', 900_000),
      refusedFirst(reader.secretKey, 1_100_000),
    ]) {
      const answers = await onOneConnection([first, next.replace('KEY', reader.secretKey)]);
      for (const { status, body } of answers) responses.see('POST', `${base()}/v1/customers`, status, body);
      expect(answers.map(({ status }) => status)).toEqual([first.includes('unknown') ? 401 : 413, 200]);
    }
  });

  it('nesting deeper than 5 levels is refused with 400', async () => {
    const error = await expectError(await post('/v1/customers', 'metadata[a][b][c][d][e][f]=1'), {
      status: 400,
    });
    expect(error.message).toContain('nested more than 5 levels');
    // Five levels decode, and are then judged on their parameters.
    const five = await expectError(await post('/v1/customers', 'metadata[a][b][c][d][e]=1'), { status: 400 });
    expect(five.message).not.toContain('nested');
  });
});

describe('URLs and methods', () => {
  it('an unknown URL is a JSON 404 naming the method and path', async () => {
    for (const path of ['/v1/nowhere', '/v1', '/v1/customers/cus_1/sources', '/v1/customers/']) {
      const response = await get(path);
      const error = await expectError(response, { status: 404, logged: false });
      expect(error.message).toContain(`Unrecognized request URL (GET: ${path})`);
    }
  });

  it('a known URL with the wrong method is a JSON 405', async () => {
    for (const [method, path] of [
      ['PUT', '/v1/customers'],
      ['DELETE', '/v1/customers'],
      ['PATCH', `/v1/customers/${customerId}`],
      ['POST', '/v1/events'],
    ] as const) {
      const response = await call(base(), method, path, { key: reader.secretKey, paced: true });
      const error = await expectError(response, { status: 405, logged: false });
      expect(error.message).toContain(method);
    }
  });
});

/**
 * Sends raw HTTP/1.1 requests one after another on one connection (the second once the
 * first is answered) and returns the answers; fails if an answer takes over 3 s.
 */
function onOneConnection(requests: string[]): Promise<{ status: number; body: string }[]> {
  const { hostname, port } = new URL(base());
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const answers: { status: number; body: string }[] = [];
    const statuses = () => answers.map(({ status }) => status).join(', ');
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    const sendNext = () => {
      clearTimeout(timer);
      if (answers.length === requests.length) {
        socket.destroy();
        return resolve(answers);
      }
      timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`No answer to request ${answers.length + 1} within 3 s (got ${statuses()})`));
      }, 3000);
      socket.write(requests[answers.length]!);
    };
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      // Each answer is a complete JSON body with a Content-Length; count full responses.
      for (;;) {
        const head = /^HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n/.exec(received);
        if (!head) return;
        const length = Number(/content-length: (\d+)/i.exec(head[2]!)?.[1] ?? 0);
        if (received.length < head[0].length + length) return;
        const body = received.slice(head[0].length, head[0].length + length);
        received = received.slice(head[0].length + length);
        if (head[1] === '100') continue;
        answers.push({ status: Number(head[1]), body: Buffer.from(body, 'latin1').toString('utf8') });
        sendNext();
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Connection failed after ${statuses() || 'no answers'}: ${error.message}`));
    });
    socket.on('connect', sendNext);
  });
}
