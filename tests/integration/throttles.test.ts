import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { THROTTLE_RULES } from '../../src/lib/auth/throttle.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { DATABASE_KINDS, openMigrated, type ScratchDatabase } from '../support/databases.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const sqlite = DATABASE_KINDS.find((kind) => kind.name === 'sqlite')!;

// Throttles and limits by client address, over HTTP against servers of their own: these
// tests use up the address allowances of 127.0.0.1, which the shared test server needs.

/** Posts the sign-in or sign-up form as a client behind `forwardedFor`, if given. */
function submit(
  server: RunningServer,
  form: '/login' | '/signup',
  email: string,
  password: string,
  forwardedFor?: string,
): Promise<Response> {
  return fetch(`${server.baseUrl}${form}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      origin: server.baseUrl,
      'content-type': 'application/x-www-form-urlencoded',
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: new URLSearchParams({ email, password }).toString(),
  });
}

describe('without TRUSTED_PROXIES', () => {
  const SIGNUP_LIMIT = 3;
  let scratch: ScratchDatabase;
  let server: RunningServer;
  let db: Kysely<Database>;
  beforeAll(async () => {
    scratch = await sqlite.create();
    server = await startServer({ DATABASE_URL: scratch.url, SIGNUP_RATE_LIMIT: String(SIGNUP_LIMIT) });
    db = await openMigrated(scratch.url);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.destroy();
    await scratch?.drop();
  });

  it('ignores X-Forwarded-For: a spoofed header does not escape the address throttle', async () => {
    for (let i = 0; i < THROTTLE_RULES.address.freeAttempts; i++) {
      const response = await submit(
        server,
        '/login',
        `someone${i}@example.com`,
        'guess guess',
        `198.51.100.${i}`,
      );
      expect(response.status).toBe(400);
    }
    const response = await submit(
      server,
      '/login',
      'someone.else@example.com',
      'guess guess',
      '203.0.113.77',
    );
    expect(response.status).toBe(429);
    expect(await response.text()).toMatch(/Too many sign-in attempts\. Try again in \d+ seconds?\./);
  });

  it('limits sign-ups per address, says when to retry, and creates no account past the limit', async () => {
    for (let i = 0; i < SIGNUP_LIMIT; i++) {
      const response = await submit(
        server,
        '/signup',
        `new${i}@example.com`,
        'correct horse battery',
        `198.51.100.${i}`,
      );
      expect(response.status).toBe(303);
    }
    const refused = await submit(
      server,
      '/signup',
      'one.too.many@example.com',
      'correct horse battery',
      '203.0.113.78',
    );
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(refused.headers.getSetCookie().join('\n')).not.toMatch(/kw_session=[^;]*\./);
    expect(await refused.text()).toMatch(
      /<p class="kw-form__error" role="alert" id="signup-error">\s*Too many sign-ups from your network\. Try again in 60 minutes\.\s*<\/p>/,
    );
    const users = await db.selectFrom('users').select('email').orderBy('email').execute();
    expect(users.map((user) => user.email)).toEqual([
      'new0@example.com',
      'new1@example.com',
      'new2@example.com',
    ]);
  });
});

describe('behind a trusted proxy (TRUSTED_PROXIES=loopback)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ TRUSTED_PROXIES: 'loopback' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('checks the password of parallel attempts only the free number of times', async () => {
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        submit(server, '/login', 'target@example.com', `wrong ${i}`, '198.51.100.1'),
      ),
    );
    const statuses = responses.map((response) => response.status);
    // 400 is a password checked and found wrong; 429 a refusal before any check.
    expect(statuses.filter((status) => status === 400)).toHaveLength(
      THROTTLE_RULES.addressAndEmail.freeAttempts,
    );
    expect(statuses.filter((status) => status === 429)).toHaveLength(
      30 - THROTTLE_RULES.addressAndEmail.freeAttempts,
    );
  });

  it("locks a stranger's address out of an email, not the owner on their own network", async () => {
    const email = 'owner@example.com';
    const password = 'correct horse battery';
    expect((await submit(server, '/signup', email, password, '198.51.100.20')).status).toBe(303);
    for (let i = 0; i < THROTTLE_RULES.addressAndEmail.freeAttempts; i++) {
      expect((await submit(server, '/login', email, `wrong ${i}`, '203.0.113.5')).status).toBe(400);
    }
    const stranger = await submit(server, '/login', email, password, '203.0.113.5');
    expect(stranger.status).toBe(429);
    expect(stranger.headers.get('location')).toBeNull();
    const owner = await submit(server, '/login', email, password, '198.51.100.20');
    expect(owner.status).toBe(303);
  });

  it('gives two forwarded clients separate address locks', async () => {
    for (let i = 0; i < THROTTLE_RULES.address.freeAttempts; i++) {
      await submit(server, '/login', `guess${i}@example.com`, 'guess guess', '203.0.113.6');
    }
    const locked = await submit(server, '/login', 'guess.more@example.com', 'x', '203.0.113.6');
    expect(locked.status).toBe(429);
    // A client left of the proxy's entry is not who the proxy saw: the lock still holds.
    const spoofed = await submit(
      server,
      '/login',
      'guess.more@example.com',
      'x',
      '198.51.100.99, 203.0.113.6',
    );
    expect(spoofed.status).toBe(429);
    const other = await submit(server, '/login', 'guess.more@example.com', 'x', '203.0.113.7');
    expect(other.status).toBe(400);
  });
});
