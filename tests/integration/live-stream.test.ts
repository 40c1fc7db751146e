import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DATABASE_KINDS, type ScratchDatabase } from '../support/databases.ts';
import { CookieJar, get, SECRET_KEY_PATTERN, signUpReader } from '../support/http.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { memberUserId } from '../support/teams.ts';
import { EventReader } from '../support/sse.ts';

const baseUrl = inject('baseUrl');

async function readerKey(jar: CookieJar, base = baseUrl): Promise<string> {
  const html = await (await fetch(`${base}/dashboard/apikeys`, { headers: { cookie: jar.header() } })).text();
  return html.match(SECRET_KEY_PATTERN)![0];
}

async function openStream(
  jar: CookieJar,
  base = baseUrl,
): Promise<{ response: Response; events: EventReader | null }> {
  const response = await fetch(`${base}/api/stream`, { headers: { cookie: jar.header() } });
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

const postgres = DATABASE_KINDS.find((kind) => kind.name === 'postgres');

describe.skipIf(!postgres)('the live stream across two processes on PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let first: RunningServer;
  let second: RunningServer;
  beforeAll(async () => {
    scratch = await postgres!.create();
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
    await Promise.race([
      events!.ended,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('the other process kept the stream open')), 5000),
      ),
    ]);
  });
});
