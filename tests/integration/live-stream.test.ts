import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SESSION_INACTIVITY_MS } from '../../src/lib/auth/session.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { needsPostgres, openMigrated, POSTGRES, type ScratchDatabase } from '../support/databases.ts';
import { CookieJar, get, postForm, SECRET_KEY_PATTERN, signUpReader } from '../support/http.ts';
import { browse } from '../support/sandbox.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { freshEmail, joinAs, memberUserId } from '../support/teams.ts';
import { EventReader } from '../support/sse.ts';

const baseUrl = inject('baseUrl');

async function readerKey(jar: CookieJar, base = baseUrl): Promise<string> {
  const html = await (await fetch(`${base}/dashboard/apikeys`, { headers: { cookie: jar.header() } })).text();
  return html.match(SECRET_KEY_PATTERN)![0];
}

async function openStream(
  jar: CookieJar,
  base = baseUrl,
  query = '',
): Promise<{ response: Response; events: EventReader | null }> {
  const response = await fetch(`${base}/api/stream${query}`, { headers: { cookie: jar.header() } });
  return { response, events: response.ok ? new EventReader(response) : null };
}

function createCustomer(key: string, base = baseUrl) {
  return fetch(`${base}/v1/customers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'email=live%40example.com',
  });
}

describe('the live request stream', () => {
  it("tells a reader about their own requests, from anywhere, and never about another reader's", async () => {
    const owner = new CookieJar();
    const other = new CookieJar();
    await signUpReader(owner);
    await signUpReader(other);
    const ownerKey = await readerKey(owner);
    const otherKey = await readerKey(other);
    const { events } = await openStream(owner);
    await events!.waitFor((event) => event.event === 'waiting');

    const theirs = await createCustomer(otherKey);
    const mine = await createCustomer(ownerKey);
    const requestId = mine.headers.get('request-id')!;
    const notice = await events!.waitFor((event) => event.event === 'request');
    const data = JSON.parse(notice.data) as {
      requestId: string;
      status: number;
      method: string;
      path: string;
      objectId: string;
    };
    expect(data).toMatchObject({ requestId, status: 200, method: 'POST', path: '/v1/customers' });
    expect(data.objectId).toMatch(/^cus_/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events!.events.map((event) => event.data).join()).not.toContain(theirs.headers.get('request-id')!);
    events!.close();

    // The details behind the notice are the reader's alone.
    const details = await get(`/api/requests/${requestId}`, owner);
    expect(await details.json()).toMatchObject({
      request: { id: requestId },
      events: [{ type: 'customer.created' }],
    });
    expect((await get(`/api/requests/${requestId}`, other)).status).toBe(404);
  });

  it("follows an anonymous reader's guest sandbox, and starts with the latest request", async () => {
    const jar = new CookieJar();
    const page = await (await get('/docs/first-request', jar)).text();
    const sample = page.match(SECRET_KEY_PATTERN)![0];
    const { events } = await openStream(jar);
    await events!.waitFor((event) => event.event === 'waiting');
    // The sample key's first use starts the guest the stream is waiting for.
    const created = await createCustomer(sample);
    await events!.waitFor(
      (event) => event.event === 'request' && event.data.includes(created.headers.get('request-id')!),
    );
    events!.close();
    const again = await openStream(jar);
    const latest = await again.events!.waitFor((event) => event.event === 'latest');
    expect(latest.data).toContain(created.headers.get('request-id')!);
    again.events!.close();
  });

  it("starts a step's stream with the latest request to the step's operation, never an unrelated one", async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const key = await readerKey(jar);
    const created = await createCustomer(key);
    const createdId = created.headers.get('request-id')!;
    // A later, unrelated failure: the newest request of the account, but not the step's.
    const missing = await fetch(`${baseUrl}/v1/customers/cus_nope`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(missing.status).toBe(404);

    const step = await openStream(jar, baseUrl, '?operation=create-customer');
    const latest = await step.events!.waitFor((event) => event.event === 'latest');
    expect(JSON.parse(latest.data)).toMatchObject({
      requestId: createdId,
      operation: 'create-customer',
      status: 200,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(step.events!.events.map((event) => event.data).join()).not.toContain('cus_nope');
    step.events!.close();

    // An operation never called: the stream waits, however recent the account's other requests.
    const none = await openStream(jar, baseUrl, '?operation=delete-customer');
    await none.events!.waitFor((event) => event.event === 'waiting');
    expect(none.events!.events.filter((event) => event.event === 'latest')).toEqual([]);
    none.events!.close();
  });

  it('counts slots per reader: a member with three streams does not shut out a colleague', async () => {
    const owner = new CookieJar();
    await signUpReader(owner);
    const { jar: developer } = await joinAs(owner, 'developer');
    const owners = await Promise.all([1, 2, 3].map(() => openStream(owner)));
    for (const stream of owners) expect(stream.response.status).toBe(200);
    expect((await openStream(owner)).response.status).toBe(429);
    const colleague = await openStream(developer);
    expect(colleague.response.status).toBe(200);
    for (const stream of [...owners, colleague]) stream.events!.close();
  });

  it("ends a member's stream when they sign out", async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const { events } = await openStream(jar);
    await events!.waitFor((event) => event.event === 'waiting');
    expect((await postForm('/logout', {}, jar)).status).toBe(303);
    await endsWithin(events!, 5000, 'the stream outlived the sign-out');
  });

  it("ends a member's stream when they switch to another of their accounts", async () => {
    const owner = new CookieJar();
    await signUpReader(owner);
    const { jar } = await joinAs(owner, 'developer');
    const docs = await (await get('/docs/first-request', jar)).text();
    const ownAccount = /name="account" value="(acct_[0-9A-Za-z]+)" class/.exec(docs)![1]!;
    const { events } = await openStream(jar);
    await events!.waitFor((event) => event.event === 'waiting');
    const switched = await postForm('/account/switch', { account: ownAccount, next: '/' }, jar);
    expect(switched.status).toBe(303);
    await endsWithin(events!, 5000, 'the stream outlived the switch');
  });

  it('holds at most three streams per reader', async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const streams = await Promise.all([1, 2, 3].map(() => openStream(jar)));
    for (const stream of streams) expect(stream.response.status).toBe(200);
    const fourth = await openStream(jar);
    expect(fourth.response.status).toBe(429);
    streams[0]!.events!.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const replacement = await openStream(jar);
    expect(replacement.response.status).toBe(200);
    for (const stream of [...streams.slice(1), replacement]) stream.events!.close();
  });
});

/** Settles when the stream ends, or fails after `ms`. */
function endsWithin(events: EventReader, ms: number, failure: string): Promise<void> {
  return Promise.race([
    events.ended,
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error(failure)), ms)),
  ]);
}

/**
 * Opens a stream from a chosen loopback address (fetch cannot choose one), to stand for
 * another client on the network.
 */
function openStreamFrom(
  base: string,
  jar: CookieJar,
  localAddress: string,
): Promise<{ status: number; body: string; events: EventReader | null }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.get(
      { hostname, port, path: '/api/stream', localAddress, headers: { cookie: jar.header() } },
      (message) => {
        const status = message.statusCode!;
        if (status === 200) {
          const body = Readable.toWeb(message) as ReadableStream<Uint8Array>;
          return resolve({ status, body: '', events: new EventReader(new Response(body)) });
        }
        let body = '';
        message.setEncoding('utf8');
        message.on('data', (chunk: string) => (body += chunk));
        message.on('end', () => resolve({ status, body, events: null }));
      },
    );
    request.on('error', reject);
  });
}

describe('live stream limits and session checks, on a server of their own', () => {
  let folder: string;
  let server: RunningServer;
  let db: Kysely<Database>;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'keyway-live-'));
    const url = `file:${join(folder, 'keyway.sqlite')}`;
    server = await startServer({
      DATABASE_URL: url,
      LIVE_STREAMS_PER_ADDRESS: '2',
      LIVE_STREAMS_MAX: '3',
      LIVE_STREAM_HEARTBEAT_MS: '200',
    });
    db = await openMigrated(url);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  /** An anonymous reader who has seen a page, so their jar holds sample keys. */
  async function anonymousReader(): Promise<CookieJar> {
    const jar = new CookieJar();
    jar.store(await fetch(`${server.baseUrl}/docs/first-request`));
    expect(jar.cookies.has('kw_sample')).toBe(true);
    return jar;
  }

  it('refuses readers without sample keys, holding no slot, then caps each address and the process', async () => {
    const refused = await Promise.all([
      ...Array.from({ length: 6 }, () => fetch(`${server.baseUrl}/api/stream`)),
      fetch(`${server.baseUrl}/api/stream`, { headers: { cookie: 'kw_sample=forged' } }),
    ]);
    for (const response of refused) {
      expect(response.status).toBe(409);
      expect(await response.text()).toMatch(/open a docs page first/);
    }

    const first = await openStreamFrom(server.baseUrl, await anonymousReader(), '127.0.0.1');
    const second = await openStreamFrom(server.baseUrl, await anonymousReader(), '127.0.0.1');
    expect([first.status, second.status]).toEqual([200, 200]);
    const overAddress = await openStreamFrom(server.baseUrl, await anonymousReader(), '127.0.0.1');
    expect(overAddress.status).toBe(429);
    expect(overAddress.body).toMatch(/from your network/);

    const elsewhere = await openStreamFrom(server.baseUrl, await anonymousReader(), '127.0.0.2');
    expect(elsewhere.status).toBe(200);
    const overProcess = await openStreamFrom(server.baseUrl, await anonymousReader(), '127.0.0.3');
    expect(overProcess.status).toBe(429);
    expect(overProcess.body).toMatch(/as many live streams as it can/);

    // A slot given back is a slot free again.
    first.events!.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await openStreamFrom(server.baseUrl, await anonymousReader(), '127.0.0.1');
    expect(again.status).toBe(200);
    for (const stream of [second, elsewhere, again]) stream.events!.close();
  });

  it("ends a member's stream by the next heartbeat once their session expires", async () => {
    const jar = new CookieJar();
    await browse(server.baseUrl, '/signup', jar, {
      email: freshEmail('expiring'),
      password: 'correct horse battery',
    });
    const sessionId = jar.cookies.get('kw_session')!.split('.')[0]!;
    const { events } = await openStream(jar, server.baseUrl);
    await events!.waitFor((event) => event.event === 'waiting');
    // Several heartbeats with the session open: the stream stays.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await Promise.race([events!.ended.then(() => 'ended'), Promise.resolve('open')])).toBe('open');
    await db
      .updateTable('sessions')
      .set({ last_verified_at: Date.now() - SESSION_INACTIVITY_MS - 1000 })
      .where('id', '=', sessionId)
      .execute();
    await endsWithin(events!, 3000, 'the stream outlived its session');
  });
});

describe('an idle live stream, on a server of its own', () => {
  const IDLE_MS = 800;
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ LIVE_STREAM_IDLE_MS: String(IDLE_MS), LIVE_STREAM_HEARTBEAT_MS: '100' });
  });
  afterAll(() => server?.stop());

  const stillOpen = (events: EventReader) =>
    Promise.race([
      events.ended.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 0)),
    ]);

  it('is closed once it has had nothing to say for the idle time', async () => {
    const jar = new CookieJar();
    await browse(server.baseUrl, '/signup', jar, {
      email: freshEmail('idle'),
      password: 'correct horse battery',
    });
    const { events } = await openStream(jar, server.baseUrl);
    await events!.waitFor((event) => event.event === 'waiting');
    await endsWithin(events!, 5000, 'an idle stream stayed open');
  });

  it('stays open while requests keep arriving, then closes when they stop', async () => {
    const jar = new CookieJar();
    await browse(server.baseUrl, '/signup', jar, {
      email: freshEmail('idle'),
      password: 'correct horse battery',
    });
    const key = await readerKey(jar, server.baseUrl);
    const { events } = await openStream(jar, server.baseUrl);
    await events!.waitFor((event) => event.event === 'waiting');
    // Three idle times' worth of activity, a request every quarter of one.
    for (let sent = 0; sent < 12; sent++) {
      expect((await createCustomer(key, server.baseUrl)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS / 4));
    }
    expect(await stillOpen(events!), 'a busy stream was closed as idle').toBe(true);
    expect(events!.events.filter((event) => event.event === 'request').length).toBeGreaterThan(0);
    await endsWithin(events!, 5000, 'the stream stayed open after the requests stopped');
  });
});

describe('the live stream across two processes on PostgreSQL', needsPostgres, () => {
  let scratch: ScratchDatabase;
  let first: RunningServer;
  let second: RunningServer;
  beforeAll(async () => {
    scratch = await POSTGRES.create();
    [first, second] = await Promise.all([
      startServer({ DATABASE_URL: scratch.url }),
      startServer({ DATABASE_URL: scratch.url }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await scratch?.drop();
  });

  it('a request served by one process reaches a stream held by the other', async () => {
    const jar = new CookieJar();
    const response = await fetch(`${first.baseUrl}/signup`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: first.baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        email: `live.pg.${Date.now()}@example.com`,
        password: 'correct horse battery',
      }),
    });
    jar.store(response);
    const key = await readerKey(jar, first.baseUrl);
    const { events } = await openStream(jar, first.baseUrl);
    await events!.waitFor((event) => event.event === 'waiting');
    const created = await createCustomer(key, second.baseUrl);
    expect(created.status).toBe(200);
    await events!.waitFor(
      (event) => event.event === 'request' && event.data.includes(created.headers.get('request-id')!),
    );
    events!.close();
  });

  it('a member removed through one process loses the stream held by the other', async () => {
    const post = async (base: string, path: string, fields: Record<string, string>, jar: CookieJar) => {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { origin: base, cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      });
      jar.store(response);
      return response;
    };
    const owner = new CookieJar();
    await post(
      first.baseUrl,
      '/signup',
      { email: `owner.pg.${Date.now()}@example.com`, password: 'correct horse battery' },
      owner,
    );
    const email = `member.pg.${Date.now()}@example.com`;
    const invited = await (
      await post(first.baseUrl, '/dashboard/members', { intent: 'invite', email, role: 'developer' }, owner)
    ).text();
    const link = /\/invite\/[a-z2-7]{24}/.exec(invited)![0];
    const member = new CookieJar();
    expect(
      (await post(first.baseUrl, link, { intent: 'signup', password: 'correct horse battery' }, member))
        .status,
    ).toBe(303);
    const { events } = await openStream(member, first.baseUrl);
    await events!.waitFor(() => true);
    const userId = await memberUserId(owner, email, second.baseUrl);
    expect(
      (await post(second.baseUrl, '/dashboard/members', { intent: 'remove', user_id: userId }, owner)).status,
    ).toBe(200);
    await endsWithin(events!, 5000, 'the other process kept the stream open');
  });
});
