import { beforeAll, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { signUp } from '../../src/lib/auth/accounts.ts';
import { createSession, validateSessionToken } from '../../src/lib/auth/session.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import {
  authenticateKey,
  createRestrictedKey,
  deleteRestrictedKey,
  listKeys,
  rollKey,
} from '../../src/lib/keys/api-keys.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';

describeEachDatabase('API keys on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  beforeAll(() => {
    db = database();
  });

  let counter = 0;
  async function newAccount() {
    const result = await signUp(db, {
      email: `keys${++counter}.${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    if (!result.ok) throw new Error('sign-up failed');
    const token = await createSession(db, result.userId, result.accountId);
    return { ...result, token };
  }

  it('authenticate by hash, and tell an unknown key from an expired one', async () => {
    const { accountId } = await newAccount();
    const [secret] = (await listKeys(db, accountId, 'test')).filter((key) => key.kind === 'secret');
    const found = await authenticateKey(db, secret!.plaintext!);
    expect(found).toEqual({ key: expect.objectContaining({ accountId, mode: 'test', kind: 'secret' }) });
    expect(await authenticateKey(db, `sk_test_${'x'.repeat(24)}`)).toEqual({ rejected: 'unknown' });
  });

  it('roll now: the old key stops at once and the docs key changes', async () => {
    const { accountId, token } = await newAccount();
    const before = await validateSessionToken(db, token);
    const old = (await listKeys(db, accountId, 'test')).find((key) => key.kind === 'secret')!;
    const now = Date.now();
    const fresh = await rollKey(db, accountId, old.id, 'now', now);
    expect(fresh!.plaintext).toMatch(/^sk_test_[0-9A-Za-z]{24}$/);
    // Refused, naming the key it was, so the refusal reaches its account's log and walkthrough.
    expect(await authenticateKey(db, old.plaintext!, now)).toEqual({
      rejected: 'expired',
      traced: { id: old.id, accountId, mode: 'test' },
    });
    expect(await authenticateKey(db, fresh!.plaintext, now)).toMatchObject({ key: { accountId } });
    const after = await validateSessionToken(db, token);
    expect(after!.testSecretKey).toBe(fresh!.plaintext);
    expect(after!.testSecretKey).not.toBe(before!.testSecretKey);
    // A rolled key cannot be rolled again.
    expect(await rollKey(db, accountId, old.id, 'now', now)).toBeNull();
  });

  it('roll with a window: the old key works until it ends, and the list shows when', async () => {
    const { accountId } = await newAccount();
    const old = (await listKeys(db, accountId, 'live')).find((key) => key.kind === 'secret')!;
    const now = Date.now();
    const fresh = await rollKey(db, accountId, old.id, '24h', now);
    expect(fresh!.plaintext).toMatch(/^sk_live_/);
    const listed = await listKeys(db, accountId, 'live', now);
    const oldListed = listed.find((key) => key.id === old.id)!;
    expect(oldListed.expiresAt).toBe(now + 24 * 60 * 60 * 1000);
    // Live secrets are shown once: the list never holds their text.
    expect(listed.every((key) => key.kind !== 'secret' || key.plaintext === null)).toBe(true);
    const liveKeys = await db
      .selectFrom('api_keys')
      .select(['id', 'key_hash'])
      .where('id', '=', old.id)
      .executeTakeFirstOrThrow();
    expect(liveKeys.key_hash).toMatch(/^[0-9a-f]{64}$/);
    // After the window the old key is gone from the list and refused.
    const later = now + 24 * 60 * 60 * 1000 + 1;
    expect((await listKeys(db, accountId, 'live', later)).some((key) => key.id === old.id)).toBe(false);
    expect(await authenticateKey(db, fresh!.plaintext, later)).toMatchObject({ key: { mode: 'live' } });
  });

  // Written out, not read from ROLL_WINDOWS, so a changed window fails here.
  const WINDOWS = {
    '1h': 60 * 60 * 1000,
    '24h': 24 * 60 * 60 * 1000,
    '7d': 7 * 24 * 60 * 60 * 1000,
  } as const;

  it.each(Object.entries(WINDOWS))(
    'roll with %s: the old key works one tick before the window ends and is refused at its end',
    async (window, length) => {
      const { accountId } = await newAccount();
      const old = (await listKeys(db, accountId, 'test')).find((key) => key.kind === 'secret')!;
      const now = Date.now();
      const fresh = await rollKey(db, accountId, old.id, window as keyof typeof WINDOWS, now);
      for (const at of [now, now + length - 1]) {
        expect(await authenticateKey(db, old.plaintext!, at), `at +${at - now} ms`).toMatchObject({
          key: { id: old.id },
        });
      }
      for (const at of [now + length, now + length + 1]) {
        expect(await authenticateKey(db, old.plaintext!, at), `at +${at - now} ms`).toEqual({
          rejected: 'expired',
          traced: { id: old.id, accountId, mode: 'test' },
        });
      }
      expect(await authenticateKey(db, fresh!.plaintext, now + length + 1)).toMatchObject({
        key: { id: fresh!.id },
      });
      const listed = (await listKeys(db, accountId, 'test', now)).find((key) => key.id === old.id);
      expect(listed?.expiresAt).toBe(now + length);
    },
  );

  it('make restricted keys with permissions, shown once, deletable', async () => {
    const { accountId } = await newAccount();
    const key = await createRestrictedKey(db, accountId, 'test', 'Billing worker <b>', {
      customers: 'write',
      events: 'read',
      webhook_endpoints: 'none',
    });
    expect(key.plaintext).toMatch(/^rk_test_[0-9A-Za-z]{24}$/);
    const listed = (await listKeys(db, accountId, 'test')).find((entry) => entry.id === key.id)!;
    expect(listed).toMatchObject({
      name: 'Billing worker <b>',
      plaintext: null,
      permissions: { customers: 'write', events: 'read', webhook_endpoints: 'none' },
    });
    expect(listed.masked).toBe(`rk_test_…${key.plaintext.slice(-4)}`);
    expect(await authenticateKey(db, key.plaintext)).toMatchObject({
      key: { kind: 'restricted', permissions: { customers: 'write' } },
    });
    expect(await deleteRestrictedKey(db, accountId, key.id)).toBe(true);
    expect(await authenticateKey(db, key.plaintext)).toEqual({ rejected: 'unknown' });
  });

  it("never let one account roll or delete another's key", async () => {
    const owner = await newAccount();
    const stranger = await newAccount();
    const key = await createRestrictedKey(db, owner.accountId, 'test', 'mine', {
      customers: 'read',
      events: 'none',
      webhook_endpoints: 'none',
    });
    expect(await deleteRestrictedKey(db, stranger.accountId, key.id)).toBe(false);
    expect(await rollKey(db, stranger.accountId, key.id, 'now')).toBeNull();
    expect(await authenticateKey(db, key.plaintext)).toMatchObject({ key: { accountId: owner.accountId } });
  });
});
