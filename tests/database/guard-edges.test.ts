import { randomBytes } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { signUp } from '../../src/lib/auth/accounts.ts';
import { createSession, openSessionIds, validateSessionToken } from '../../src/lib/auth/session.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { activateGuest, adoptGuest } from '../../src/lib/guests/guest-sandbox.ts';
import {
  authenticateKey,
  createRestrictedKey,
  issueDefaultKeys,
  listKeys,
  markKeyUsed,
  rollKey,
} from '../../src/lib/keys/api-keys.ts';
import { isStale, newSampleKeys } from '../../src/lib/keys/sample-keys.ts';
import { startGuestOnFirstUse } from '../../src/sandbox/sample-key-auth.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';

/**
 * Edges of the modules that guard sessions, keys and guests, each with its number written
 * out here rather than read from the module: what the mutation run found no test holding.
 */
const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

it('a sample key is stale only after a full day', () => {
  const issued = Date.now();
  expect(isStale(issued, issued + DAY)).toBe(false);
  expect(isStale(issued, issued + DAY + 1)).toBe(true);
});

describeEachDatabase('guard edges on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  beforeAll(() => {
    db = database();
  });

  let people = 0;
  async function newAccount() {
    const result = await signUp(db, {
      email: `edges${++people}.${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    if (!result.ok) throw new Error('sign-up failed');
    return result;
  }

  it('refreshes a session once an hour of use has passed, not sooner', async () => {
    const { userId, accountId } = await newAccount();
    const start = Date.now();
    const token = await createSession(db, userId, accountId, start);
    expect((await validateSessionToken(db, token, start + HOUR - 1))!.refreshed).toBe(false);
    expect((await validateSessionToken(db, token, start + HOUR))!.refreshed).toBe(true);
  });

  it('reports no open sessions for no ids, without asking the database an empty question', async () => {
    expect(await openSessionIds(db, [])).toEqual(new Set());
  });

  it('issues the four default keys, each with its prefix, and gives ids and restricted prefixes their shape', async () => {
    const { accountId } = await newAccount();
    const extra = await db.transaction().execute((trx) => issueDefaultKeys(trx, accountId, Date.now()));
    expect(extra.map((key) => key.plaintext.slice(0, 8))).toEqual([
      'sk_test_',
      'pk_test_',
      'sk_live_',
      'pk_live_',
    ]);
    for (const key of extra) expect(key.id).toMatch(/^key_[0-9A-Za-z]+$/);
    const live = await createRestrictedKey(db, accountId, 'live', 'live worker', {
      customers: 'read',
      events: 'none',
      webhook_endpoints: 'none',
    });
    expect(live.plaintext).toMatch(/^rk_live_[0-9A-Za-z]{24}$/);
    expect((await listKeys(db, accountId, 'live')).find((key) => key.id === live.id)).toMatchObject({
      name: 'live worker',
      masked: `rk_live_…${live.plaintext.slice(-4)}`,
    });
  });

  it("a guest's second activation refreshes it rather than making another", async () => {
    const keys = newSampleKeys(randomBytes(32));
    const first = await activateGuest(db, keys, '203.0.113.9', 1_000);
    if (!first.ok) throw new Error('not activated');
    expect(first.accountId).toMatch(/^acct_[0-9A-Za-z]+$/);
    expect(first.created).toBe(true);
    const again = await activateGuest(db, keys, '203.0.113.9', 5_000);
    expect(again).toEqual({ ok: true, accountId: first.accountId, created: false });
    const row = await db
      .selectFrom('accounts')
      .select(['last_active_at', 'name', 'kind'])
      .where('id', '=', first.accountId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ last_active_at: 5_000, name: 'Guest sandbox', kind: 'guest' });
  });

  it('never adopts a guest into itself, and reports adopting nothing when there is no guest', async () => {
    const keys = newSampleKeys(randomBytes(32));
    const guest = await activateGuest(db, keys, '203.0.113.10');
    if (!guest.ok) throw new Error('not activated');
    expect(await adoptGuest(db, keys, guest.accountId)).toBe(false);
    expect(
      await db.selectFrom('accounts').select('id').where('id', '=', guest.accountId).executeTakeFirst(),
    ).toEqual({ id: guest.accountId });
    const { accountId } = await newAccount();
    expect(await adoptGuest(db, newSampleKeys(randomBytes(32)), accountId)).toBe(false);
  });

  it('refuses a session token with anything after its two parts, though its first two parts are valid', async () => {
    const { userId, accountId } = await newAccount();
    const token = await createSession(db, userId, accountId);
    expect(await validateSessionToken(db, token)).toMatchObject({ userId, accountId });
    expect(await validateSessionToken(db, `${token}.extra`)).toBeNull();
    // Exactly <24>.<24> base32 letters, nothing before or after.
    expect(token).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{24}$/);
    expect(await validateSessionToken(db, `x${token}`)).toBeNull();
    expect(await validateSessionToken(db, `${token}x`)).toBeNull();
    expect(await validateSessionToken(db, token.slice(0, -1))).toBeNull();
  });

  it("notes a key's use at most once a minute, on that key only", async () => {
    const { accountId } = await newAccount();
    const keys = await listKeys(db, accountId, 'test');
    const secret = keys.find((key) => key.kind === 'secret')!;
    const lastUsed = async (id: string) =>
      (await db.selectFrom('api_keys').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow())
        .last_used_at;
    const use = async (now: number) => {
      const result = await authenticateKey(db, secret.plaintext!, now);
      if (!('key' in result)) throw new Error('the key was refused');
      await markKeyUsed(db, result.key, now);
    };
    const start = Date.now();
    expect(await lastUsed(secret.id)).toBeNull();
    await use(start);
    expect(await lastUsed(secret.id)).toBe(start);
    await use(start + MINUTE - 1);
    expect(await lastUsed(secret.id), 'a second use within the minute writes nothing').toBe(start);
    await use(start + MINUTE);
    expect(await lastUsed(secret.id), 'a use a minute later is written').toBe(start + MINUTE);
    for (const other of keys.filter((key) => key.id !== secret.id))
      expect(await lastUsed(other.id)).toBeNull();
  });

  it("writes a key's first use whatever the clock says, even in the epoch's first minute", async () => {
    const { accountId } = await newAccount();
    const secret = (await listKeys(db, accountId, 'test')).find((key) => key.kind === 'secret')!;
    const result = await authenticateKey(db, secret.plaintext!, 30_000);
    if (!('key' in result)) throw new Error('the key was refused');
    await markKeyUsed(db, result.key, 30_000);
    expect((await listKeys(db, accountId, 'test', 30_000)).find((key) => key.id === secret.id)).toMatchObject(
      {
        lastUsedAt: 30_000,
      },
    );
  });

  it('rolls a restricted key into one with the same name and permissions', async () => {
    const { accountId } = await newAccount();
    const permissions = { customers: 'write', events: 'read', webhook_endpoints: 'none' } as const;
    const old = await createRestrictedKey(db, accountId, 'test', 'billing worker', permissions);
    const fresh = await rollKey(db, accountId, old.id, 'now');
    expect(fresh!.plaintext).toMatch(/^rk_test_/);
    expect((await listKeys(db, accountId, 'test')).find((key) => key.id === fresh!.id)).toMatchObject({
      kind: 'restricted',
      name: 'billing worker',
      permissions,
    });
  });

  it("refuses to roll an adopted guest's key, which stopped working when it moved, and writes no key", async () => {
    const { accountId } = await newAccount();
    const keys = newSampleKeys(randomBytes(32));
    const guest = await activateGuest(db, keys, '203.0.113.11', 1_000);
    if (!guest.ok) throw new Error('not activated');
    const adoptedAt = Date.now();
    expect(await adoptGuest(db, keys, accountId, adoptedAt)).toBe(true);
    const moved = await db
      .selectFrom('api_keys')
      .select(['id', 'expires_at', 'replaced_by'])
      .where('account_id', '=', accountId)
      .where('plaintext', '=', keys.secretKey)
      .executeTakeFirstOrThrow();
    // Never replaced, so the query's replaced_by filter lets it through: only its expiry refuses it.
    expect(moved).toMatchObject({ expires_at: adoptedAt, replaced_by: null });
    const count = async () =>
      (await db.selectFrom('api_keys').select('id').where('account_id', '=', accountId).execute()).length;
    const before = await count();
    expect(await rollKey(db, accountId, moved.id, '1h', adoptedAt)).toBeNull();
    expect(await count()).toBe(before);
    // A millisecond before its expiry it still works, so it may still be rolled.
    expect(await rollKey(db, accountId, moved.id, '1h', adoptedAt - 1)).not.toBeNull();
    expect(await count()).toBe(before + 1);
  });

  it('leaves a key that is not a sample key to the ordinary refusal, starting nothing', async () => {
    const gate = { secret: randomBytes(32), clientAddress: '203.0.113.12' };
    const notSample = `sk_test_${'A'.repeat(22)}wxyz`;
    expect(
      await startGuestOnFirstUse(db, gate, notSample, 'masked', 'https://docs.example.com', Date.now()),
    ).toBe(false);
  });
});
