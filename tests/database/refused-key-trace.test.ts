import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { signUp } from '../../src/lib/auth/accounts.ts';
import { sha256Hex } from '../../src/lib/crypto.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { GUEST_RULES } from '../../src/lib/guests/guest-sandbox.ts';
import { listKeys, rollKey } from '../../src/lib/keys/api-keys.ts';
import { newSampleKeys } from '../../src/lib/keys/sample-keys.ts';
import type { GuestRefusal } from '../../src/sandbox/context.ts';
import { handleSandboxRequest } from '../../src/sandbox/handler.ts';
import type { LogEntry } from '../../src/sandbox/request-log.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';

/**
 * Refusals of a key that can be traced to its reader reach that reader: a key of an account
 * is logged to that account (and so told to its live walkthrough), a sample key whose guest
 * sandbox does not exist is told to its reader's walkthrough alone. A key that belongs to
 * no one is logged nowhere and told to no one, and a flood of refusals cannot outgrow the
 * rate limit. Called in-process, as the server calls the sandbox.
 */
const ORIGIN = 'https://docs.example.com';
const SECRET = randomBytes(32);
const DAY = 24 * 60 * 60 * 1000;
const LIMIT = 5;

describeEachDatabase('refusals traced to their reader on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  beforeAll(() => {
    db = database();
  });

  let people = 0;
  /** A new account whose test secret key was rolled with expiry "now": the old key, refused. */
  async function accountWithExpiredKey(now: number) {
    const result = await signUp(db, {
      email: `traced${++people}.${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    if (!result.ok) throw new Error('sign-up failed');
    const secret = (await listKeys(db, result.accountId, 'test')).find((key) => key.kind === 'secret')!;
    await rollKey(db, result.accountId, secret.id, 'now', now);
    return { accountId: result.accountId, keyId: secret.id, expired: secret.plaintext! };
  }

  /** Sends a request; returns its answer and what the sandbox told the walkthroughs. */
  async function send(key: string, { now = Date.now(), address = '192.0.2.1' } = {}) {
    const logged: LogEntry[] = [];
    const refusals: GuestRefusal[] = [];
    const response = await handleSandboxRequest(
      new Request(`${ORIGIN}/v1/customers`, { headers: { authorization: `Bearer ${key}` } }),
      {
        db,
        origin: ORIGIN,
        rateLimitPerSecond: LIMIT,
        guests: { secret: SECRET, clientAddress: address },
        now: () => now,
        onLogged: (entry) => logged.push(entry),
        onGuestRefusal: (refusal) => refusals.push(refusal),
      },
    );
    const body = (await response.json()) as { error?: { code?: string } };
    // The log is written after the answer: give it time to land.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { status: response.status, code: body.error?.code, logged, refusals };
  }

  const count = async (table: 'request_logs' | 'accounts' | 'api_keys', accountId?: string) => {
    let query = db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'));
    if (accountId) query = query.where('account_id', '=', accountId);
    return Number((await query.executeTakeFirstOrThrow()).n);
  };

  it("logs an expired rolled key's refusal to its own account only, masked, and tells its walkthrough", async () => {
    const now = Date.now();
    const a = await accountWithExpiredKey(now);
    const b = await accountWithExpiredKey(now);
    const refused = await send(a.expired, { now: now + 1 });
    expect([refused.status, refused.code]).toEqual([401, 'api_key_expired']);
    expect(refused.logged).toHaveLength(1);
    expect(refused.logged[0]).toMatchObject({
      accountId: a.accountId,
      keyId: a.keyId,
      maskedKey: `sk_test_…${a.expired.slice(-4)}`,
      status: 401,
    });
    expect(refused.refusals).toEqual([]);
    const rows = await db
      .selectFrom('request_logs')
      .selectAll()
      .where('account_id', '=', a.accountId)
      .execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(a.expired.slice(8));
    expect(JSON.stringify(refused.logged)).not.toContain(a.expired.slice(8));
    expect(await count('request_logs', b.accountId), "nothing of A's reaches B").toBe(0);
  });

  it('logs and tells nothing for a random or forged key, which belongs to no one', async () => {
    const before = await count('request_logs');
    const sample = newSampleKeys(SECRET).secretKey;
    const forged = sample.slice(0, -1) + (sample.endsWith('A') ? 'B' : 'A');
    const random = `sk_test_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x').slice(0, 24)}`;
    const foreign = newSampleKeys(randomBytes(32)).secretKey;
    for (const key of [forged, random, foreign, 'rk_test_nothing']) {
      const refused = await send(key);
      expect(refused.status).toBe(401);
      expect([refused.logged, refused.refusals]).toEqual([[], []]);
    }
    expect(await count('request_logs')).toBe(before);
  });

  it('writes at most the rate limit of refusals a second for a flooded expired key, answering each', async () => {
    const now = Date.now();
    const { accountId, expired } = await accountWithExpiredKey(now);
    const second = (Math.floor(now / 1000) + 10) * 1000;
    const answers = await Promise.all(
      Array.from({ length: LIMIT * 4 }, () => send(expired, { now: second + 1 })),
    );
    expect(answers.every((answer) => answer.status === 401)).toBe(true);
    expect(await count('request_logs', accountId)).toBe(LIMIT);
    // The next second has a budget of its own.
    await send(expired, { now: second + 1000 });
    expect(await count('request_logs', accountId)).toBe(LIMIT + 1);
  });

  it("tells a stale sample key's reader why no guest sandbox started, writing nothing", async () => {
    const before = {
      accounts: await count('accounts'),
      keys: await count('api_keys'),
      logs: await count('request_logs'),
    };
    const stale = newSampleKeys(SECRET, Date.now() - DAY - 60_000).secretKey;
    const refused = await send(stale);
    expect([refused.status, refused.code]).toEqual([401, 'sample_key_expired']);
    expect(refused.logged).toEqual([]);
    expect(refused.refusals).toHaveLength(1);
    expect(refused.refusals[0]).toMatchObject({ guestKeyHash: sha256Hex(stale), status: 401 });
    expect(JSON.stringify(refused.refusals)).not.toContain(stale.slice(8));
    expect({
      accounts: await count('accounts'),
      keys: await count('api_keys'),
      logs: await count('request_logs'),
    }).toEqual(before);
  });

  it("tells a sample key's reader that their guest sandbox could not start past the address's limit", async () => {
    const address = '198.51.100.77';
    for (let i = 0; i < GUEST_RULES.perAddressPerDay; i++) {
      expect((await send(newSampleKeys(SECRET).secretKey, { address })).status).toBe(200);
    }
    const before = await count('accounts');
    const key = newSampleKeys(SECRET).secretKey;
    const refused = await send(key, { address });
    expect([refused.status, refused.code]).toEqual([429, 'guest_limit']);
    expect(refused.refusals.map((refusal) => refusal.guestKeyHash)).toEqual([sha256Hex(key)]);
    expect(refused.logged).toEqual([]);
    expect(await count('accounts')).toBe(before);
  });
});
