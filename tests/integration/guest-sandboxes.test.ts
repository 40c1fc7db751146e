import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/db/schema.ts';
import { GUEST_RULES } from '../../src/lib/guests/guest-sandbox.ts';
import { newSampleKeys } from '../../src/lib/keys/sample-keys.ts';
import { describeEachDatabase, openMigrated, type ScratchDatabase } from '../support/databases.ts';
import { CookieJar, distinct, get, postForm, SECRET_KEY_PATTERN, signUpReader } from '../support/http.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { freshEmail, invite } from '../support/teams.ts';

const baseUrl = inject('baseUrl');
const run = promisify(execFile);

async function sampleKey(jar: CookieJar): Promise<string> {
  const html = await (await get('/docs/first-request', jar)).text();
  return distinct(html, SECRET_KEY_PATTERN)[0]!;
}

function createCustomer(key: string, email: string, base = baseUrl) {
  return fetch(`${base}/v1/customers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email }).toString(),
  });
}

/** The text of every `<code>` block, as a reader sees it on the page (markup gone, entities read). */
function codeBlocks(html: string): string[] {
  return [...html.matchAll(/<code[^>]*>([\s\S]*?)<\/code>/g)].map((match) =>
    match[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

type ErrorBody = { error: { message: string; code?: string; doc_url?: string; request_log_url?: string } };

describe('guest sandboxes for anonymous readers', () => {
  it("keeps two anonymous readers' sandboxes apart", async () => {
    const firstKey = await sampleKey(new CookieJar());
    const secondKey = await sampleKey(new CookieJar());
    const created = (await (await createCustomer(firstKey, 'mine@example.com')).json()) as { id: string };
    const peek = await fetch(`${baseUrl}/v1/customers/${created.id}`, {
      headers: { authorization: `Bearer ${secondKey}` },
    });
    expect(peek.status).toBe(404);
    // A guest has no dashboard, so its errors link to none.
    expect(((await peek.json()) as ErrorBody).error.request_log_url).toBeUndefined();
    const list = (await (
      await fetch(`${baseUrl}/v1/customers`, { headers: { authorization: `Bearer ${secondKey}` } })
    ).json()) as {
      data: unknown[];
    };
    expect(list.data).toEqual([]);
  });

  it('moves what the guest made into the account at sign-up', async () => {
    const jar = new CookieJar();
    const key = await sampleKey(jar);
    const customer = (await (await createCustomer(key, 'keepme@example.com')).json()) as { id: string };
    await signUpReader(jar);
    const customers = await (await get('/dashboard/customers', jar)).text();
    expect(customers).toContain(customer.id);
    // The guest keys are retired (not forgotten, so they cannot start a new guest); the
    // account's own keys carry on.
    const after = await createCustomer(key, 'after@example.com');
    expect(after.status).toBe(401);
    expect(((await after.json()) as ErrorBody).error.code).toBe('api_key_expired');
  });

  /**
   * An anonymous reader makes a customer in their guest sandbox, then takes an invitation
   * to the owner's account with `role` and signs up through it.
   */
  async function joinWithGuestCustomer(owner: CookieJar, role: 'viewer' | 'developer') {
    const jar = new CookieJar();
    const key = await sampleKey(jar);
    const created = await createCustomer(key, `${role}@example.com`);
    const customer = (await created.json()) as { id: string };
    const events = await fetch(`${baseUrl}/v1/events?limit=1`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const [event] = ((await events.json()) as { data: { id: string }[] }).data;
    const link = await invite(owner, freshEmail(role), role);
    await get(link, jar);
    const joined = await postForm(link, { intent: 'signup', password: 'correct horse battery' }, jar);
    expect(joined.status).toBe(303);
    return {
      jar,
      customerId: customer.id,
      eventId: event!.id,
      requestId: created.headers.get('request-id')!,
    };
  }

  it("keeps a View-only member's guest data out of the team account: it goes to their own", async () => {
    const owner = new CookieJar();
    await signUpReader(owner);
    const { jar, customerId, eventId, requestId } = await joinWithGuestCustomer(owner, 'viewer');
    expect(requestId).toMatch(/^req_/);
    expect(await (await get('/dashboard/customers', owner)).text()).not.toContain(customerId);
    expect(await (await get('/dashboard/events', owner)).text()).not.toContain(eventId);
    expect(await (await get('/dashboard/logs', owner)).text()).not.toContain(requestId);
    // The member's own account (the picker's other choice) has it.
    const page = await (await get('/docs/first-request', jar)).text();
    const own = [...page.matchAll(/name="account" value="(acct_[0-9A-Za-z]+)"(?! aria-current)/g)][0]![1]!;
    expect((await postForm('/account/switch', { account: own, next: '/' }, jar)).status).toBe(303);
    expect(await (await get('/dashboard/customers', jar)).text()).toContain(customerId);
    expect(await (await get('/dashboard/events', jar)).text()).toContain(eventId);
    expect(await (await get('/dashboard/logs', jar)).text()).toContain(requestId);
  });

  it("moves a Developer's guest data into the team account", async () => {
    const owner = new CookieJar();
    await signUpReader(owner);
    const { customerId, eventId, requestId } = await joinWithGuestCustomer(owner, 'developer');
    expect(await (await get('/dashboard/customers', owner)).text()).toContain(customerId);
    expect(await (await get('/dashboard/events', owner)).text()).toContain(eventId);
    expect(await (await get('/dashboard/logs', owner)).text()).toContain(requestId);
  });

  it('a publishable sample key is refused without sending the reader to a dashboard', async () => {
    const html = await (await get('/docs/first-request', new CookieJar())).text();
    const publishable = distinct(html, /pk_test_[0-9A-Za-z]{24}/g)[0]!;
    const response = await createCustomer(publishable, 'pk@example.com');
    expect(response.status).toBe(403);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.code).toBe('secret_key_required');
    expect(error.message).toContain('sk_test_');
    expect(error.message).not.toContain('/dashboard');
  });
});

/**
 * Sample keys that work however they reach a terminal. A server of its own, with a known
 * signing secret and a database this test reads, so it can count rows and mint keys as the
 * site would have a day ago.
 */
describeEachDatabase('sample keys on first use ($name)', (kind) => {
  const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
  let scratch: ScratchDatabase;
  let server: RunningServer;
  let db: Kysely<Database>;

  beforeAll(async () => {
    scratch = await kind.create();
    server = await startServer({ DATABASE_URL: scratch.url, SAMPLE_KEY_SECRET: SECRET });
    db = await openMigrated(scratch.url);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.destroy();
    await scratch?.drop();
  });

  const count = async (table: 'accounts' | 'api_keys') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const page = (cookie?: string) =>
    fetch(`${server.baseUrl}/docs/first-request`, { headers: cookie ? { cookie } : {} });
  /** The system's curl, as a reader's terminal runs it: no cookie, nothing from the page. */
  const curl = async <Body = ErrorBody>(...args: string[]) => {
    const { stdout } = await run('curl', ['-sS', '-w', '\n%{http_code}', ...args]);
    const status = Number(stdout.slice(stdout.lastIndexOf('\n') + 1));
    return { status, body: JSON.parse(stdout.slice(0, stdout.lastIndexOf('\n'))) as Body };
  };
  const expectRefusal = (body: ErrorBody, code: string) => {
    expect(body.error.code).toBe(code);
    expect(body.error.doc_url).toBe(`${server.baseUrl}/docs/api/errors#${code}`);
    expect(body.error.message).not.toContain('/dashboard');
    expect(body.error.request_log_url).toBeUndefined();
  };

  it('page views write nothing', async () => {
    const before = { accounts: await count('accounts'), keys: await count('api_keys') };
    for (let i = 0; i < 3; i++) expect((await page()).status).toBe(200);
    expect({ accounts: await count('accounts'), keys: await count('api_keys') }).toEqual(before);
  });

  it('a curl sample read off the page works in a terminal on first use, and a typed key joins it', async () => {
    const html = await (await page()).text();
    const sample = codeBlocks(html).find(
      (code) => code.startsWith('curl ') && code.includes('/v1/customers') && code.includes('-d email='),
    )!;
    expect(sample).toBeDefined();
    const key = /sk_test_[0-9A-Za-z]{24}/.exec(sample)![0];
    const accounts = await count('accounts');

    // As pasted into a terminal: the whole sample, run by a shell (no Copy, no Run, no cookie).
    const { stdout } = await run('sh', ['-c', sample]);
    const customer = JSON.parse(stdout) as { id: string; email: string };
    expect(customer.email).toBe('jenny.rosen@example.com');
    expect(await count('accounts')).toBe(accounts + 1);

    // The key typed out by hand into another command: the same guest.
    const listed = await curl<{ data: Array<{ id: string }> }>(
      `${server.baseUrl}/v1/customers`,
      '-u',
      `${key}:`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((item) => item.id)).toEqual([customer.id]);
    expect(await count('accounts')).toBe(accounts + 1);
  });

  it('a forged key gets a 401 that says so, and creates nothing', async () => {
    const { secretKey } = newSampleKeys(Buffer.from(SECRET));
    const forged = secretKey.slice(0, -1) + (secretKey.endsWith('a') ? 'b' : 'a');
    const before = await count('accounts');
    const { status, body } = await curl(`${server.baseUrl}/v1/customers`, '-u', `${forged}:`);
    expect(status).toBe(401);
    expectRefusal(body, 'sample_key_invalid');
    expect(body.error.message).toContain('this site did not issue it');
    expect(body.error.message).toContain('Reload the docs page');
    expect(await count('accounts')).toBe(before);
  });

  it('a sample key shown over a day ago and never used gets a 401 that says to reload, and creates nothing', async () => {
    const { secretKey } = newSampleKeys(Buffer.from(SECRET), Date.now() - 25 * 60 * 60 * 1000);
    const before = await count('accounts');
    const { status, body } = await curl(`${server.baseUrl}/v1/customers`, '-u', `${secretKey}:`);
    expect(status).toBe(401);
    expectRefusal(body, 'sample_key_expired');
    expect(body.error.message).toContain('Reload the docs page');
    expect(await count('accounts')).toBe(before);
  });

  it('past the per-address limit, first use gets a 429 with when to retry, and creates no guest', async () => {
    const secret = Buffer.from(SECRET);
    const made = await db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('kind', '=', 'guest')
      .executeTakeFirstOrThrow();
    for (let i = Number(made.n); i < GUEST_RULES.perAddressPerDay; i++) {
      expect(
        (await createCustomer(newSampleKeys(secret).secretKey, 'x@example.com', server.baseUrl)).status,
      ).toBe(200);
    }
    const before = { accounts: await count('accounts'), keys: await count('api_keys') };
    const refused = await createCustomer(newSampleKeys(secret).secretKey, 'y@example.com', server.baseUrl);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as ErrorBody;
    expectRefusal(body, 'guest_limit');
    expect(body.error.message).toMatch(/Try again in \d+ minutes?, or sign up at .*\/signup/);
    expect({ accounts: await count('accounts'), keys: await count('api_keys') }).toEqual(before);
  });
});

describe('the sample-key cookie over HTTPS', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ PUBLIC_ORIGIN: 'https://docs.example.com' });
  });
  afterAll(() => server?.stop());

  it('is a __Host- cookie: Secure, Path=/, no Domain, and read back under that name', async () => {
    const first = await fetch(`${server.baseUrl}/docs/first-request`);
    const cookie = first.headers.getSetCookie().find((line) => line.includes('kw_sample'))!;
    expect(cookie).toMatch(/^__Host-kw_sample=sk_test_[0-9A-Za-z]{24};/);
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).not.toMatch(/Domain=/i);
    const key = /sk_test_[0-9A-Za-z]{24}/.exec(cookie)![0];
    const again = await fetch(`${server.baseUrl}/docs/first-request`, {
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(distinct(await again.text(), SECRET_KEY_PATTERN)).toEqual([key]);
    expect(again.headers.getSetCookie().some((line) => line.includes('kw_sample'))).toBe(false);
  });
});
