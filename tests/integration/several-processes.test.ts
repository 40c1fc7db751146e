import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { authenticateKey } from '../../src/lib/keys/api-keys.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { needsPostgres, POSTGRES, openMigrated, type ScratchDatabase } from '../support/databases.ts';
import { CookieJar } from '../support/http.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const SECRET = /sk_test_[0-9A-Za-z]{24}/g;

/** Two servers on different ports over one PostgreSQL database, as behind a load balancer. */
describe('two processes over one PostgreSQL (TEST_DATABASE_URL)', needsPostgres, () => {
  let scratch: ScratchDatabase;
  let first: RunningServer;
  let second: RunningServer;
  let db: Kysely<Database>;

  beforeAll(async () => {
    scratch = await POSTGRES.create();
    [first, second] = await Promise.all([
      startServer({ DATABASE_URL: scratch.url }),
      startServer({ DATABASE_URL: scratch.url }),
    ]);
    db = await openMigrated(scratch.url);
  });
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await db?.destroy();
    await scratch?.drop();
  });

  async function request(server: RunningServer, path: string, jar: CookieJar, form?: Record<string, string>) {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(form ? { origin: server.baseUrl, 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    jar.store(response);
    return response;
  }

  const docsKey = async (server: RunningServer, jar: CookieJar) => {
    const keys = [
      ...new Set((await (await request(server, '/docs/first-request', jar)).text()).match(SECRET)),
    ];
    expect(keys).toHaveLength(1);
    return keys[0]!;
  };

  it('a session made on one is valid on the other, and a roll on one holds on the other', async () => {
    const jar = new CookieJar();
    const signUp = await request(first, '/signup', jar, {
      email: `two.processes.${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    expect(signUp.status).toBe(303);
    const key = await docsKey(first, jar);
    expect(await docsKey(second, jar)).toBe(key);

    const dashboard = await (await request(first, '/dashboard/apikeys', jar)).text();
    const keyId = dashboard.match(/data-key-id="(key_[0-9A-Za-z]+)">\s*<th scope="row">\s*Secret key/)![1]!;
    const rolled = await request(first, '/dashboard/apikeys', jar, {
      intent: 'roll',
      key_id: keyId,
      expires: 'now',
      confirm: 'now',
    });
    expect(rolled.status).toBe(200);

    const fresh = await docsKey(second, jar);
    expect(fresh).not.toBe(key);
    expect(await authenticateKey(db, key)).toEqual({
      rejected: 'expired',
      traced: { id: keyId, accountId: expect.any(String), mode: 'test' },
    });
    expect(await authenticateKey(db, fresh)).toMatchObject({ key: { mode: 'test', kind: 'secret' } });

    // Signing out on the second ends the session on the first too.
    await request(second, '/logout', jar, {});
    const out = await (await request(first, '/docs/keys', jar)).text();
    expect(out).toContain('data-key-source="sample"');
  });

  it('a sample key shown by one works on first use against the other, which never saw it', async () => {
    // Both processes sign sample keys with the secret the database keeps, with nothing set.
    const key = await docsKey(first, new CookieJar());
    const created = await fetch(`${second.baseUrl}/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(created.status).toBe(200);
    const listed = await fetch(`${first.baseUrl}/v1/customers`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(((await listed.json()) as { data: unknown[] }).data).toHaveLength(1);
  });
});
