import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/db/client.ts';
import { parseDatabaseUrl } from '../../src/lib/config/database-url.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import type { OperationRequest as Listed } from '../../src/lib/live/operation-requests.ts';
import { OPERATIONS } from '../../src/spec/operations.ts';
import { describeEachDatabase, type ScratchDatabase } from '../support/databases.ts';
import { CookieJar, SECRET_KEY_PATTERN } from '../support/http.ts';
import { browse, call, eventually, newReaderWithKeys, sharedBase } from '../support/sandbox.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { inMode } from '../support/teams.ts';

async function yourRequests(
  jar: CookieJar,
  query: string,
  base = sharedBase(),
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await browse(base, `/api/requests?${query}`, jar);
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** The ids the reader's list for an operation shows, once `expected` (logged after the answer) is among them. */
async function idsFor(
  jar: CookieJar,
  operation: string,
  expected: string,
  base = sharedBase(),
): Promise<string[]> {
  return eventually(
    async () => {
      const { body } = await yourRequests(jar, `operation=${operation}&limit=20`, base);
      const ids = (body.requests as Listed[]).map((request) => request.id);
      return ids.includes(expected) ? ids : undefined;
    },
    5000,
    `${expected} in ${operation}`,
  );
}

/** Creates a customer with a key; returns the request id and the customer id. */
async function createCustomer(
  key: string,
  base = sharedBase(),
): Promise<{ requestId: string; customerId: string }> {
  const created = await call(base, 'POST', '/v1/customers', {
    key,
    form: { email: 'yours@example.com' },
  });
  expect(created.status).toBe(200);
  return { requestId: created.headers.get('request-id')!, customerId: created.json.id as string };
}

describe("a reader's requests to one operation (GET /api/requests)", () => {
  it("lists a member's own requests only, newest first, linked to the dashboard's log, never cached", async () => {
    const a = await newReaderWithKeys();
    const b = await newReaderWithKeys();
    const first = await createCustomer(a.secretKey);
    const theirs = await createCustomer(b.secretKey);
    const second = await createCustomer(a.secretKey);
    const ids = await idsFor(a.jar, 'create-customer', second.requestId);
    expect(ids).toEqual([second.requestId, first.requestId]);
    expect(await idsFor(b.jar, 'create-customer', theirs.requestId)).toEqual([theirs.requestId]);

    const { status, body, headers } = await yourRequests(a.jar, 'operation=create-customer');
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('private, no-store');
    expect(headers.get('vary')).toContain('Cookie');
    expect(body.mode).toBe('test');
    expect(body.requests[0]).toEqual({
      id: second.requestId,
      status: 200,
      created_ms: expect.any(Number),
      method: 'POST',
      path: '/v1/customers',
      link: `/dashboard/logs/${second.requestId}`,
    });
    // The link leads to the reader's own entry in the dashboard.
    expect((await browse(sharedBase(), body.requests[0].link, a.jar)).status).toBe(200);
  });

  it("shows a guest their guest sandbox's requests, linked to the log entry the walkthrough reads", async () => {
    const guest = new CookieJar();
    const page = await (await browse(sharedBase(), '/docs/api/customers', guest)).text();
    const sampleKey = page.match(SECRET_KEY_PATTERN)![0];
    // Before their first request a guest has no sandbox: an empty list, not an error.
    const before = await yourRequests(guest, 'operation=create-customer');
    expect(before.status).toBe(200);
    expect(before.body.requests).toEqual([]);
    expect(before.headers.get('cache-control')).toBe('private, no-store');

    const { requestId } = await createCustomer(sampleKey);
    expect(await idsFor(guest, 'create-customer', requestId)).toEqual([requestId]);
    const { body } = await yourRequests(guest, 'operation=create-customer');
    expect(body.requests[0].link).toBe(`/api/requests/${requestId}`);
    expect((await browse(sharedBase(), body.requests[0].link, guest)).status).toBe(200);

    // Another visitor, and a member, see none of it.
    const stranger = new CookieJar();
    await browse(sharedBase(), '/docs/api/customers', stranger);
    expect((await yourRequests(stranger, 'operation=create-customer')).body.requests).toEqual([]);
    const member = await newReaderWithKeys();
    expect((await yourRequests(member.jar, 'operation=create-customer')).body.requests).toEqual([]);
  });

  it('refuses an unknown operation and a limit out of bounds, and honours a good limit', async () => {
    const reader = await newReaderWithKeys();
    for (const query of ['', 'operation=', 'operation=create-charge', 'operation=POST%20/v1/customers']) {
      const { status, body, headers } = await yourRequests(reader.jar, query);
      expect(status, query).toBe(400);
      expect(body.error, query).toMatch(/^Unknown operation .*: use one of create-customer, /);
      expect(headers.get('cache-control')).toBe('private, no-store');
    }
    for (const limit of ['0', '21', '-1', '1.5', 'abc', '', '1000000']) {
      const { status, body } = await yourRequests(reader.jar, `operation=list-customers&limit=${limit}`);
      expect(status, limit).toBe(400);
      expect(body.error).toBe('limit must be a whole number from 1 to 20.');
    }
    const first = await createCustomer(reader.secretKey);
    const second = await createCustomer(reader.secretKey);
    await idsFor(reader.jar, 'create-customer', second.requestId);
    const { body } = await yourRequests(reader.jar, 'operation=create-customer&limit=1');
    expect(body.requests.map((request: Listed) => request.id)).toEqual([second.requestId]);
    expect(first.requestId).not.toBe(second.requestId);
  });

  it("keeps every reader's request ids out of the reference page, which is one cached template", async () => {
    const member = await newReaderWithKeys();
    const guest = new CookieJar();
    const guestKey = (await (await browse(sharedBase(), '/docs/api/customers', guest)).text()).match(
      SECRET_KEY_PATTERN,
    )![0];
    const ids = [
      (await createCustomer(member.secretKey)).requestId,
      (await createCustomer(guestKey)).requestId,
    ];
    await idsFor(member.jar, 'create-customer', ids[0]!);
    await idsFor(guest, 'create-customer', ids[1]!);
    for (const jar of [member.jar, guest, new CookieJar()]) {
      const html = await (await browse(sharedBase(), '/docs/api/customers', jar)).text();
      // The block is there, empty: the reader's browser fills it.
      expect(html).toContain('data-kw-your-requests');
      expect(html).toContain('data-operation="create-customer"');
      for (const id of ids) expect(html).not.toContain(id);
      expect(html).not.toMatch(/req_[0-9A-Za-z]{14}/);
    }
  });
});

describeEachDatabase('matching requests to operations, on $name', (kind) => {
  let scratch: ScratchDatabase;
  let server: RunningServer;
  let db: Kysely<Database>;
  beforeAll(async () => {
    scratch = await kind.create();
    server = await startServer({ DATABASE_URL: scratch.url });
    ({ db } = await openDatabase(parseDatabaseUrl(scratch.url)));
  });
  afterAll(async () => {
    await db?.destroy();
    await server?.stop();
    await scratch?.drop();
  });

  it('matches each declared operation by method and path, object ids included', async () => {
    const reader = await newReaderWithKeys(server.baseUrl);
    const key = reader.secretKey;
    const { requestId: created, customerId } = await createCustomer(key, server.baseUrl);
    const events = await call(server.baseUrl, 'GET', '/v1/events', { key, paced: true });
    const eventId = events.json.data[0].id as string;
    const sent: Record<string, string[]> = { 'create-customer': [created], 'list-events': [] };
    const run = async (operation: string, method: string, path: string, form?: Record<string, string>) => {
      const response = await call(server.baseUrl, method, path, { key, form, paced: true });
      (sent[operation] ??= []).unshift(response.headers.get('request-id')!);
      return response;
    };
    sent['list-events']!.unshift(events.headers.get('request-id')!);
    await run('retrieve-customer', 'GET', `/v1/customers/${customerId}`);
    // A refused request to the operation is one of the reader's requests to it too.
    expect((await run('retrieve-customer', 'GET', '/v1/customers/cus_doesnotexist')).status).toBe(404);
    await run('update-customer', 'POST', `/v1/customers/${customerId}`, { name: 'Jane' });
    await run('list-customers', 'GET', '/v1/customers?limit=3');
    // `/v1/customers/search` fits `/v1/customers/{id}` too: it must count as a search only.
    await run('search-customers', 'GET', `/v1/customers/search?query=${encodeURIComponent('name:"Jane"')}`);
    await run('retrieve-event', 'GET', `/v1/events/${eventId}`);
    await run('delete-customer', 'DELETE', `/v1/customers/${customerId}`);
    await run('list-events', 'GET', '/v1/events');
    const endpoint = await run('create-webhook-endpoint', 'POST', '/v1/webhook_endpoints', {
      url: 'http://localhost:3000/webhook',
      'enabled_events[]': '*',
    });
    const endpointId = endpoint.json.id as string;
    await run('retrieve-webhook-endpoint', 'GET', `/v1/webhook_endpoints/${endpointId}`);
    await run('update-webhook-endpoint', 'POST', `/v1/webhook_endpoints/${endpointId}`, {
      description: 'Mine',
    });
    await run('list-webhook-endpoints', 'GET', '/v1/webhook_endpoints');
    await run('delete-webhook-endpoint', 'DELETE', `/v1/webhook_endpoints/${endpointId}`);

    expect(Object.keys(sent).sort()).toEqual(OPERATIONS.map((operation) => operation.id).sort());
    for (const [operation, ids] of Object.entries(sent)) {
      expect(await idsFor(reader.jar, operation, ids[0]!, server.baseUrl), operation).toEqual(ids);
    }
    const { body } = await yourRequests(reader.jar, 'operation=retrieve-customer', server.baseUrl);
    expect(body.requests.map((request: Listed) => [request.status, request.path])).toEqual([
      [404, '/v1/customers/cus_doesnotexist'],
      [200, `/v1/customers/${customerId}`],
    ]);
  });

  it('follows the dashboard mode: test requests in test mode, live ones in live mode', async () => {
    const reader = await newReaderWithKeys(server.baseUrl);
    const test = await createCustomer(reader.secretKey, server.baseUrl);
    await idsFor(reader.jar, 'create-customer', test.requestId, server.baseUrl);
    // The sandbox refuses live keys before logging, so the live entry is written here, as
    // the test entry was but in live mode.
    const logged = await db
      .selectFrom('request_logs')
      .selectAll()
      .where('id', '=', test.requestId)
      .executeTakeFirstOrThrow();
    const liveId = 'req_LiveModeEntry1';
    await db
      .insertInto('request_logs')
      .values({ ...logged, id: liveId, mode: 'live', created_ms: logged.created_ms + 1 })
      .execute();

    const live = await yourRequests(inMode(reader.jar, 'live'), 'operation=create-customer', server.baseUrl);
    expect(live.body).toMatchObject({
      mode: 'live',
      requests: [{ id: liveId, link: `/dashboard/logs/${liveId}` }],
    });
    expect(live.body.requests).toHaveLength(1);
    const inTest = await yourRequests(
      inMode(reader.jar, 'test'),
      'operation=create-customer',
      server.baseUrl,
    );
    expect(inTest.body).toMatchObject({ mode: 'test', requests: [{ id: test.requestId }] });
    expect(inTest.body.requests).toHaveLength(1);
  });
});
