import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely, type Selectable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, RequestLogsTable } from '../../src/lib/db/schema.ts';
import { openMigrated } from '../support/databases.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sha256Hex } from '../../src/lib/crypto.ts';
import {
  browse,
  call,
  createRestrictedKey,
  eventually,
  newReaderWithKeys,
  rollSecretKey,
  sleep,
  type RawResponse,
  type Reader,
  unknownSecretKey,
} from '../support/sandbox.ts';
import { EventReader } from '../support/sse.ts';

/**
 * Every authenticated sandbox request leaves a request_logs row, written after the answer
 * without holding it up. Checked in the database of a server of its own.
 */

type LogRow = Selectable<RequestLogsTable>;

let folder: string;
let server: RunningServer;
let db: Kysely<Database>;
let reader: Reader;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'keyway-logs-'));
  const url = `file:${join(folder, 'keyway.sqlite')}`;
  server = await startServer({ DATABASE_URL: url });
  db = await openMigrated(url);
  reader = await newReaderWithKeys(server.baseUrl);
});

afterAll(async () => {
  await server?.stop();
  await db?.destroy();
  rmSync(folder, { recursive: true, force: true });
});

/** A request with the reader's key, paced under the rate limit (429s are not the subject). */
const request = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
  call(server.baseUrl, method, path, { key: reader.secretKey, paced: true, ...options });

/** The log row of a response, once it is written. */
const logOf = (response: RawResponse): Promise<LogRow> =>
  eventually(
    () =>
      db
        .selectFrom('request_logs')
        .selectAll()
        .where('id', '=', response.headers.get('request-id')!)
        .executeTakeFirst(),
    5000,
    `the log row of ${response.headers.get('request-id')}`,
  );

const maskedKey = () => `sk_test_…${reader.secretKey.slice(-4)}`;

describe('a row per authenticated request', () => {
  it('a POST: time, method, path, status, duration, request id, masked key, idempotency key, body, response, user agent', async () => {
    const started = Date.now();
    const response = await request('POST', '/v1/customers', {
      form: { email: 'logged@example.com', 'metadata[plan]': 'pro' },
      headers: { 'idempotency-key': 'log-test-1', 'user-agent': 'LogTest/1.0 (+keyway)' },
    });
    expect(response.status).toBe(200);
    const row = await logOf(response);
    expect(row).toMatchObject({
      method: 'POST',
      path: '/v1/customers',
      status: 200,
      masked_key: maskedKey(),
      source: 'api',
      mode: 'test',
      idempotency_key: 'log-test-1',
      user_agent: 'LogTest/1.0 (+keyway)',
      query: null,
    });
    expect(row.id).toBe(response.headers.get('request-id'));
    expect(row.account_id).toMatch(/^acct_/);
    expect(row.key_id).toMatch(/^key_/);
    expect(Number(row.created_ms)).toBeGreaterThanOrEqual(started - 1000);
    expect(Number(row.created_ms)).toBeLessThanOrEqual(Date.now());
    expect(row.duration_ms).toBeGreaterThanOrEqual(0);
    expect(row.duration_ms).toBeLessThan(5000);
    expect(JSON.parse(row.body!)).toEqual({ email: 'logged@example.com', metadata: { plan: 'pro' } });
    expect(JSON.parse(row.response)).toEqual(response.json);
  });

  it('a GET: its query parameters, and a 404 is logged with its error body', async () => {
    const list = await request('GET', '/v1/customers?limit=2&email=logged%40example.com');
    const listRow = await logOf(list);
    expect(listRow).toMatchObject({
      method: 'GET',
      path: '/v1/customers',
      status: 200,
      body: null,
      idempotency_key: null,
    });
    expect(JSON.parse(listRow.query!)).toEqual({ limit: '2', email: 'logged@example.com' });

    const missing = await request('GET', '/v1/customers/cus_00000000000000');
    const missingRow = await logOf(missing);
    expect(missingRow.status).toBe(404);
    expect(JSON.parse(missingRow.response)).toEqual(missing.json);
    expect(missing.json.error.request_log_url).toBe(`${server.baseUrl}/dashboard/logs/${missingRow.id}`);
  });

  it('the source is api by default, shell or try-it from Keyway-Source, and api for anything else', async () => {
    const sources: [string | undefined, string][] = [
      [undefined, 'api'],
      ['shell', 'shell'],
      ['try-it', 'try-it'],
      ['dashboard', 'api'],
      ['SHELL', 'api'],
    ];
    for (const [header, expected] of sources) {
      const response = await request('GET', '/v1/customers?limit=1', {
        headers: header ? { 'keyway-source': header } : {},
      });
      expect((await logOf(response)).source, `Keyway-Source: ${header}`).toBe(expected);
    }
  });

  it('keys and secret-named parameters are redacted from the logged parameters', async () => {
    const leaked = reader.secretKey;
    const response = await request('POST', '/v1/customers', {
      form: {
        description: `my key is ${leaked}, oops`,
        'metadata[note]': `paste: ${leaked}`,
        'metadata[password]': 'hunter2',
        'metadata[api_key]': 'abc123',
      },
    });
    expect(response.status).toBe(200);
    const row = await logOf(response);
    expect(row.body).not.toContain(leaked);
    expect(row.body).not.toContain(leaked.slice(8));
    expect(row.body).not.toContain('hunter2');
    expect(row.body).not.toContain('abc123');
    const body = JSON.parse(row.body!);
    expect(body.description).toMatch(/^my key is sk_test_\S*redacted\S*, oops$/);
    expect(body.metadata.note).toMatch(/^paste: sk_test_\S*redacted/);
    expect(body.metadata.password).toMatch(/redacted/);

    const query = await request('GET', `/v1/customers?email=${encodeURIComponent(leaked)}`);
    expect((await logOf(query)).query).not.toContain(leaked);
  });

  it('a key anywhere in a request is redacted from the log row and from the live notice', async () => {
    const leaked = unknownSecretKey();
    const stream = await fetch(`${server.baseUrl}/api/stream`, { headers: { cookie: reader.jar.header() } });
    const events = new EventReader(stream);
    await events.waitFor((event) => event.event === 'waiting' || event.event === 'latest');
    const noticeOf = async (response: RawResponse) =>
      (await events.waitFor((event) => event.data.includes(response.headers.get('request-id')!))).data;
    const cases = [
      // After a newline: metadata echoes it, and in the response's JSON text it follows `\n`.
      await request('POST', '/v1/customers', {
        form: { 'metadata[note]': `first line\n${leaked}`, description: `a\n${leaked}` },
        headers: { 'idempotency-key': `retry-${leaked}`, 'user-agent': `agent ${leaked}` },
      }),
      // In the path: the 404 names it, and so would the path itself.
      await request('GET', `/v1/customers/${leaked}`),
      // In a query value, and as a query parameter's name.
      await request('GET', `/v1/customers?email=${leaked}`),
      await request('GET', `/v1/customers?${leaked}=1`),
    ];
    for (const response of cases) {
      const row = await logOf(response);
      const stored = JSON.stringify(row);
      expect(stored, row.path).not.toContain(leaked.slice(8));
      expect(stored, row.path).toContain('sk_test_[redacted]');
      expect(await noticeOf(response), row.path).not.toContain(leaked.slice(8));
    }
    const [echoed, byPath] = cases;
    expect(JSON.parse((await logOf(echoed!)).response).metadata.note).toBe('first line\nsk_test_[redacted]');
    expect((await logOf(byPath!)).path).toBe('/v1/customers/sk_test_[redacted]');
    expect(await noticeOf(byPath!)).toContain('"path":"/v1/customers/sk_test_[redacted]"');
    events.close();
  });

  it('refusals of a known key are logged too: a 400, a 403 for a restricted key, a 429', async () => {
    const invalid = await request('POST', '/v1/customers', { form: 'balance=abc' });
    const invalidRow = await logOf(invalid);
    expect(invalidRow.status).toBe(400);
    expect(JSON.parse(invalidRow.response).error.code).toBe('parameter_invalid_integer');

    const restricted = await createRestrictedKey(reader, { customers: 'none', events: 'read' });
    const forbidden = await call(server.baseUrl, 'GET', '/v1/customers', { key: restricted });
    expect(forbidden.status).toBe(403);
    expect((await logOf(forbidden)).masked_key).toBe(`rk_test_…${restricted.slice(-4)}`);

    // A burst with a key of its own, so the other tests' key keeps its rate-limit budget.
    const burster = await newReaderWithKeys(server.baseUrl);
    // The limit counts whole seconds: a burst that happens to straddle two can fit under it,
    // so burst again (at most five times) until one second holds more than the limit.
    let limited: Awaited<ReturnType<typeof call>>[] = [];
    for (let attempt = 0; attempt < 5 && limited.length === 0; attempt++) {
      const burst = await Promise.all(
        Array.from({ length: 60 }, () =>
          call(server.baseUrl, 'GET', '/v1/customers?limit=1', { key: burster.secretKey }),
        ),
      );
      limited = burst.filter((response) => response.status === 429);
    }
    expect(limited.length).toBeGreaterThan(0);
    expect((await logOf(limited[0]!)).status).toBe(429);
  });

  it("a refusal of the reader's own rolled key is logged to their account, masked, and told to their stream alone", async () => {
    const owner = await newReaderWithKeys(server.baseUrl);
    const other = await newReaderWithKeys(server.baseUrl);
    const expired = owner.secretKey;
    await rollSecretKey(owner, 'now');
    const mine = await openStream(owner);
    const theirs = await openStream(other);
    const key = await db
      .selectFrom('api_keys')
      .select(['id', 'account_id'])
      .where('key_hash', '=', sha256Hex(expired))
      .executeTakeFirstOrThrow();

    const refused = await call(server.baseUrl, 'POST', '/v1/customers', {
      key: expired,
      form: { email: 'rolled@example.com' },
    });
    expect(refused.status).toBe(401);
    const requestId = refused.headers.get('request-id')!;
    const row = await logOf(refused);
    expect(row).toMatchObject({
      account_id: key.account_id,
      key_id: key.id,
      masked_key: `sk_test_…${expired.slice(-4)}`,
      status: 401,
    });
    expect(JSON.stringify(row)).not.toContain(expired.slice(8));
    const notice = JSON.parse((await mine.waitFor((event) => event.data.includes(requestId))).data);
    expect(notice).toMatchObject({ status: 401, errorCode: 'api_key_expired', path: '/v1/customers' });
    expect(JSON.stringify(notice)).not.toContain(expired.slice(8));

    // The dashboard shows it to its account, as any other request.
    const page = await (await browse(server.baseUrl, `/dashboard/logs/${requestId}`, owner.jar)).text();
    expect(page).toContain(`sk_test_…${expired.slice(-4)}`);
    expect(page).not.toContain(expired.slice(8));

    // A restricted key lacking a permission: a 403, on the same stream.
    const restricted = await createRestrictedKey(owner, { customers: 'none', events: 'read' });
    const forbidden = await call(server.baseUrl, 'GET', '/v1/customers', { key: restricted });
    expect(forbidden.status).toBe(403);
    const forbiddenId = forbidden.headers.get('request-id')!;
    expect(JSON.parse((await mine.waitFor((event) => event.data.includes(forbiddenId))).data)).toMatchObject({
      status: 403,
    });

    // A key that belongs to no one reaches no stream and writes no row.
    const before = await countRows();
    const stranger = await call(server.baseUrl, 'GET', '/v1/customers', { key: unknownSecretKey() });
    expect(stranger.status).toBe(401);
    await sleep(300);
    expect(await countRows()).toBe(before);
    for (const events of [mine, theirs]) {
      expect(JSON.stringify(events.events)).not.toContain(stranger.headers.get('request-id')!);
    }
    for (const id of [requestId, forbiddenId]) {
      expect(JSON.stringify(theirs.events), "another reader's stream").not.toContain(id);
    }
    mine.close();
    theirs.close();
  });

  it('a flood of refusals of an expired key writes no more rows a second than the rate limit', async () => {
    const owner = await newReaderWithKeys(server.baseUrl);
    const expired = owner.secretKey;
    await rollSecretKey(owner, 'now');
    const { id } = await db
      .selectFrom('api_keys')
      .select('id')
      .where('key_hash', '=', sha256Hex(expired))
      .executeTakeFirstOrThrow();
    const rowsOfKey = async () =>
      Number(
        (
          await db
            .selectFrom('request_logs')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('key_id', '=', id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    // As for the 429s above: burst again (at most five times) until one second holds more than the limit.
    let unlogged = 0;
    for (let attempt = 0; attempt < 5 && unlogged === 0; attempt++) {
      const before = await rowsOfKey();
      const burst = await Promise.all(
        Array.from({ length: 60 }, () => call(server.baseUrl, 'GET', '/v1/customers', { key: expired })),
      );
      expect(burst.every((response) => response.status === 401)).toBe(true);
      await sleep(300);
      unlogged = burst.length - ((await rowsOfKey()) - before);
    }
    expect(unlogged).toBeGreaterThan(0);
  });

  it('requests that no key identifies are not logged (there is no account to log them to)', async () => {
    const before = await countRows();
    const anonymous = await call(server.baseUrl, 'GET', '/v1/customers');
    const unknown = await call(server.baseUrl, 'GET', '/v1/customers', {
      key: 'sk_test_000000000000000000000000',
    });
    expect([anonymous.status, unknown.status]).toEqual([401, 401]);
    // Give a stray write time to land before counting again.
    await sleep(300);
    expect(await countRows()).toBe(before);
  });
});

describe('logging never fails a request', () => {
  it('with the log table refusing every insert, requests still succeed and the failure goes to the server log', async () => {
    const before = await countRows();
    await sql`CREATE TRIGGER refuse_logs BEFORE INSERT ON request_logs BEGIN SELECT RAISE(ABORT, 'log store unavailable'); END`.execute(
      db,
    );
    try {
      const created = await request('POST', '/v1/customers', { form: { email: 'unlogged@example.com' } });
      expect(created.status).toBe(200);
      expect(created.json.email).toBe('unlogged@example.com');
      const retrieved = await request('GET', `/v1/customers/${created.json.id}`);
      expect(retrieved.status).toBe(200);
      const refused = await request('POST', '/v1/customers', { form: 'bogus=1' });
      expect(refused.status).toBe(400);
      await eventually(
        async () => (/Could not log sandbox request/.test(server.output()) ? true : undefined),
        5000,
        'the logging failure in the server output',
      );
    } finally {
      await sql`DROP TRIGGER refuse_logs`.execute(db);
    }
    expect(await countRows()).toBe(before);
    // Logging resumes once the table takes rows again.
    const after = await request('GET', '/v1/customers?limit=1');
    expect((await logOf(after)).status).toBe(200);
  });
});

async function countRows(): Promise<number> {
  const { count } = await db
    .selectFrom('request_logs')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** A reader's live stream, once its first message (waiting or latest) has come. */
async function openStream(who: Reader): Promise<EventReader> {
  const response = await fetch(`${server.baseUrl}/api/stream`, { headers: { cookie: who.jar.header() } });
  const events = new EventReader(response);
  await events.waitFor((event) => event.event === 'waiting' || event.event === 'latest');
  return events;
}
