import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { signUp } from '../../src/lib/auth/accounts.ts';
import { createSession, invalidateSession, validateSessionToken } from '../../src/lib/auth/session.ts';
import { newReaderCache, readerCache, setReaderCache } from '../../src/lib/cache/reader-cache.ts';
import { changeWatchOf } from '../../src/lib/db/change-watch.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { markKeyUsed, rollKey } from '../../src/lib/keys/api-keys.ts';
import { checkSampleKey, newSampleKeys } from '../../src/lib/keys/sample-keys.ts';
import { changeRole, removeMember, renameAccount } from '../../src/lib/teams/memberships.ts';
import { needsPostgres, POSTGRES, SQLITE, useScratchDatabase } from '../support/databases.ts';

const PASSWORD = 'correct horse battery';
let people = 0;
const freshEmail = () => `cached${++people}.${process.pid}.${Date.now()}@example.com`;

/** A signed-up owner, a developer added to their account, and a session of each. */
async function team(db: Kysely<Database>) {
  const owner = await signUp(db, { email: freshEmail(), password: PASSWORD });
  const developer = await signUp(db, { email: freshEmail(), password: PASSWORD });
  if (!owner.ok || !developer.ok) throw new Error('sign-up failed');
  await db
    .insertInto('memberships')
    .values({
      account_id: owner.accountId,
      user_id: developer.userId,
      role: 'developer',
      created_at: Date.now(),
    })
    .execute();
  return {
    accountId: owner.accountId,
    owner: { userId: owner.userId, token: await createSession(db, owner.userId, owner.accountId) },
    developer: {
      userId: developer.userId,
      token: await createSession(db, developer.userId, owner.accountId),
    },
  };
}

/** The session check, counting the queries it sent to the database. */
async function validateCounting(db: Kysely<Database>, token: string) {
  const spy = vi.spyOn(db, 'executeQuery');
  try {
    const reader = await validateSessionToken(db, token);
    return { reader, queries: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}

const ownerKey = (db: Kysely<Database>, accountId: string) =>
  db
    .selectFrom('api_keys')
    .select(['id', 'plaintext'])
    .where('account_id', '=', accountId)
    .where('mode', '=', 'test')
    .where('kind', '=', 'secret')
    .where('replaced_by', 'is', null)
    .executeTakeFirstOrThrow();

// One process serves an SQLite file, so its own connection sees every change: the sessions'
// cache is kept there only.
describe('the reader cache on SQLite', () => {
  const database = useScratchDatabase(SQLITE);
  let db: Kysely<Database>;
  beforeAll(() => {
    db = database();
  });
  afterEach(() => setReaderCache(undefined));

  it('answers a second check of a session without a query', async () => {
    const { developer } = await team(db);
    const first = await validateCounting(db, developer.token);
    expect(first.queries).toBe(1);
    const second = await validateCounting(db, developer.token);
    expect(second.queries).toBe(0);
    expect(second.reader).toEqual(first.reader);
  });

  it('shows a rolled key at once', async () => {
    const { accountId, owner } = await team(db);
    const before = await validateSessionToken(db, owner.token);
    const old = await ownerKey(db, accountId);
    expect(before?.testSecretKey).toBe(old.plaintext);
    const fresh = await rollKey(db, accountId, old.id, 'now');
    const after = await validateSessionToken(db, owner.token);
    expect(after?.testSecretKey).toBe(fresh?.plaintext);
    expect(after?.testSecretKey).not.toBe(old.plaintext);
  });

  it('shows a changed role, a removed member and a renamed account at once', async () => {
    const { accountId, owner, developer } = await team(db);
    const actor = { userId: owner.userId, role: 'owner' as const };
    expect((await validateSessionToken(db, developer.token))?.role).toBe('developer');

    await changeRole(db, accountId, actor, { userId: developer.userId, role: 'viewer' });
    expect((await validateSessionToken(db, developer.token))?.role).toBe('viewer');

    await renameAccount(db, accountId, 'Renamed Labs');
    expect((await validateSessionToken(db, owner.token))?.accountName).toBe('Renamed Labs');

    await removeMember(db, accountId, actor, developer.userId);
    const removed = await validateSessionToken(db, developer.token);
    // The session moves to the developer's own account; the team's is gone from it.
    expect(removed?.accountId).not.toBe(accountId);
    expect(removed?.accounts.map((account) => account.id)).not.toContain(accountId);
  });

  it('ends a signed-out session at once', async () => {
    const { developer } = await team(db);
    const reader = await validateSessionToken(db, developer.token);
    await invalidateSession(db, reader!.sessionId);
    expect(await validateSessionToken(db, developer.token)).toBeNull();
  });

  it('still checks the secret half of a cached session', async () => {
    const { developer } = await team(db);
    await validateSessionToken(db, developer.token);
    const [id] = developer.token.split('.');
    const forged = `${id}.${'a'.repeat(24)}`;
    expect(await validateSessionToken(db, forged)).toBeNull();
    // The real token still works: the forgery changed nothing.
    expect(await validateSessionToken(db, developer.token)).not.toBeNull();
  });

  it('does not count a change inside a transaction until it commits', async () => {
    const { accountId, developer } = await team(db);
    const watch = changeWatchOf(db)!;
    expect((await validateSessionToken(db, developer.token))?.role).toBe('developer');
    await db.transaction().execute(async (trx) => {
      const before = watch.generation;
      await trx
        .updateTable('memberships')
        .set({ role: 'admin' })
        .where('account_id', '=', accountId)
        .where('user_id', '=', developer.userId)
        .execute();
      expect(watch.generation).toBe(before);
    });
    expect((await validateSessionToken(db, developer.token))?.role).toBe('admin');
  });

  it('counts nothing for a rolled-back change, and for writes no reader shows', async () => {
    const { accountId } = await team(db);
    const watch = changeWatchOf(db)!;
    const before = watch.generation;
    await db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('accounts').set({ name: 'Never' }).where('id', '=', accountId).execute();
        throw new Error('roll back');
      })
      .catch(() => {});
    const key = await ownerKey(db, accountId);
    await markKeyUsed(
      db,
      { id: key.id, accountId, mode: 'test', kind: 'secret', permissions: null, lastUsedAt: null } as never,
      Date.now(),
    );
    await db
      .updateTable('accounts')
      .set({ last_active_at: Date.now() })
      .where('id', '=', accountId)
      .execute();
    await db.selectFrom('sessions').selectAll().execute();
    expect(watch.generation).toBe(before);
  });

  it('counts a raw statement that writes a reader table, and no other raw statement', async () => {
    const { accountId } = await team(db);
    const watch = changeWatchOf(db)!;
    const before = watch.generation;
    await sql`select count(*) from api_keys where account_id = ${accountId}`.execute(db);
    await sql`update customers set email = email where account_id = ${accountId}`.execute(db);
    expect(watch.generation).toBe(before);
    await sql`update api_keys set name = name where account_id = ${accountId}`.execute(db);
    expect(watch.generation).toBe(before + 1);
  });

  it('keeps no entry for made-up session ids or forged sample keys', async () => {
    const cache = newReaderCache(64 * 1024)!;
    setReaderCache(cache);
    for (let i = 0; i < 50; i++) {
      const id = String(i).padStart(24, 'a').replace(/[0-9]/g, 'b');
      expect(await validateSessionToken(db, `${id}.${'c'.repeat(24)}`)).toBeNull();
      expect(
        checkSampleKey(Buffer.alloc(32, 7), `sk_test_${'A'.repeat(15)}${String(i).padStart(9, 'Z')}`).ok,
      ).toBe(false);
    }
    expect(cache.size).toBe(0);
  });

  it('stays within its bound in bytes, however many readers come', async () => {
    const cache = newReaderCache(8 * 1024)!;
    setReaderCache(cache);
    const secret = Buffer.alloc(32, 9);
    for (let i = 0; i < 200; i++) checkSampleKey(secret, newSampleKeys(secret).secretKey);
    const { developer, owner } = await team(db);
    await validateSessionToken(db, developer.token);
    await validateSessionToken(db, owner.token);
    expect(cache.calculatedSize).toBeGreaterThan(0);
    expect(cache.calculatedSize).toBeLessThanOrEqual(8 * 1024);
    // The newest entries are the ones kept.
    expect(cache.size).toBeLessThan(200);
    expect((await validateCounting(db, owner.token)).queries).toBe(0);
  });

  it('with READER_CACHE_BYTES=0, keeps nothing and reads every time', async () => {
    setReaderCache(newReaderCache(0));
    expect(readerCache()).toBeNull();
    const { developer } = await team(db);
    expect((await validateCounting(db, developer.token)).queries).toBe(1);
    expect((await validateCounting(db, developer.token)).queries).toBe(1);
  });
});

describe('sessions on PostgreSQL, which several processes may share', needsPostgres, () => {
  const database = useScratchDatabase(POSTGRES);

  it('reads every session afresh, so a change made through another connection shows at once', async () => {
    const db = database();
    expect(changeWatchOf(db)).toBeUndefined();
    const { accountId, owner, developer } = await team(db);
    expect((await validateCounting(db, developer.token)).queries).toBe(1);
    expect((await validateCounting(db, developer.token)).queries).toBe(1);
    // A change through the database directly, as another process would make it.
    await db
      .updateTable('memberships')
      .set({ role: 'viewer' })
      .where('account_id', '=', accountId)
      .where('user_id', '=', developer.userId)
      .execute();
    expect((await validateSessionToken(db, developer.token))?.role).toBe('viewer');
    expect((await validateSessionToken(db, owner.token))?.role).toBe('owner');
  });
});
