import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { signUp } from '../../src/lib/auth/accounts.ts';
import { startSessionAndRedirect } from '../../src/lib/reader/start-session.ts';
import type { Database, Role } from '../../src/lib/db/schema.ts';
import {
  activateGuest,
  adoptGuest,
  GUEST_RULES,
  purgeIdleGuests,
} from '../../src/lib/guests/guest-sandbox.ts';
import { authenticateKey } from '../../src/lib/keys/api-keys.ts';
import { encodeSampleKeys, newSampleKeys as mint, type SampleKeys } from '../../src/lib/keys/sample-keys.ts';
import { resolveReader } from '../../src/lib/reader/reader.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';
import { insertSandboxHistory } from '../support/sandbox-rows.ts';

const secret = randomBytes(32);
const newSampleKeys = () => mint(secret);

describeEachDatabase('guest sandboxes on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  beforeAll(() => {
    db = database();
  });

  let address = 0;
  const nextAddress = () => `198.51.100.${++address}`;

  it('make the sample keys work, once, and only in their own account', async () => {
    const keys = newSampleKeys();
    expect(await authenticateKey(db, keys.secretKey)).toEqual({ rejected: 'unknown' });
    const first = await activateGuest(db, keys, nextAddress());
    expect(first).toMatchObject({ ok: true, created: true });
    const again = await activateGuest(db, keys, nextAddress());
    expect(again).toEqual({
      ok: true,
      accountId: (first as { accountId: string }).accountId,
      created: false,
    });
    const found = await authenticateKey(db, keys.secretKey);
    expect(found).toMatchObject({
      key: { accountId: (first as { accountId: string }).accountId, mode: 'test', kind: 'secret' },
    });
    expect(await authenticateKey(db, keys.publishableKey)).toMatchObject({ key: { kind: 'publishable' } });
  });

  it('limit how many one client address may create in a day', async () => {
    const ip = nextAddress();
    const now = Date.now();
    for (let i = 0; i < GUEST_RULES.perAddressPerDay; i++) {
      expect((await activateGuest(db, newSampleKeys(), ip, now + i)).ok).toBe(true);
    }
    const refused = await activateGuest(db, newSampleKeys(), ip, now + 100);
    expect(refused).toEqual({ ok: false, reason: 'limit', waitMs: GUEST_RULES.idleMs - 100 });
    expect((await activateGuest(db, newSampleKeys(), nextAddress(), now + 100)).ok).toBe(true);
  });

  it("move into the reader's account at sign-up, and retire the guest keys", async () => {
    const keys = newSampleKeys();
    const guest = await activateGuest(db, keys, nextAddress());
    const guestId = (guest as { accountId: string }).accountId;
    const now = Date.now();
    await db
      .insertInto('customers')
      .values({
        id: `cus_guest${Date.now() % 100000}`,
        account_id: guestId,
        mode: 'test',
        email: 'g@example.com',
        created: Math.floor(now / 1000),
        created_ms: now,
        deleted_at: null,
        object: '{}',
      })
      .execute();
    const account = await signUp(db, {
      email: `adopt.${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    if (!account.ok) throw new Error('sign-up failed');
    expect(await adoptGuest(db, keys, account.accountId)).toBe(true);
    const moved = await db
      .selectFrom('customers')
      .select(['account_id', 'mode'])
      .where('email', '=', 'g@example.com')
      .execute();
    expect(moved).toEqual([{ account_id: account.accountId, mode: 'test' }]);
    // Retired, not forgotten: a sample key that still verifies must not start a new guest.
    // Its refusals are traced to the account the guest moved into.
    expect(await authenticateKey(db, keys.secretKey)).toEqual({
      rejected: 'expired',
      traced: { id: expect.any(String), accountId: account.accountId, mode: 'test' },
    });
    expect(
      await db.selectFrom('accounts').select('id').where('id', '=', guestId).executeTakeFirst(),
    ).toBeUndefined();
  });

  describe('at sign-in, by the role in the account the session starts in', () => {
    const TABLES = ['customers', 'events', 'request_logs'] as const;
    let made = 0;

    /** A guest sandbox holding one customer, one event and one request log. */
    async function guestWithData(keys: SampleKeys): Promise<string> {
      const guest = await activateGuest(db, keys, nextAddress());
      const accountId = (guest as { accountId: string }).accountId;
      const suffix = `${++made}`.padStart(14, '0');
      await insertSandboxHistory(db, { accountId, suffix, createdMs: Date.now(), customer: true });
      return accountId;
    }

    /** How many customers, events and logs an account holds, table by table. */
    async function rowsIn(accountId: string): Promise<number[]> {
      return Promise.all(
        TABLES.map(async (table) => {
          const rows = await db.selectFrom(table).select('id').where('account_id', '=', accountId).execute();
          return rows.length;
        }),
      );
    }

    /** A team owner's account and a second person who has their own account and `role` in it. */
    async function teamWith(role: Role) {
      const stamp = `${Date.now()}.${++made}`;
      const team = await signUp(db, {
        email: `team.${stamp}@example.com`,
        password: 'correct horse battery',
      });
      const person = await signUp(db, {
        email: `member.${stamp}@example.com`,
        password: 'correct horse battery',
      });
      if (!team.ok || !person.ok) throw new Error('sign-up failed');
      await db
        .insertInto('memberships')
        .values({ account_id: team.accountId, user_id: person.userId, role, created_at: Date.now() })
        .execute();
      return { teamAccountId: team.accountId, userId: person.userId, ownAccountId: person.accountId };
    }

    async function signInWithGuest(keys: SampleKeys, userId: string, accountId: string) {
      const reader = { keySource: 'sample', ...keys, member: null } as const;
      const response = await startSessionAndRedirect(db, reader, { userId, accountId }, '/', false);
      expect(response.status).toBe(303);
    }

    it("a View-only member's guest data goes to their own account, never the team's", async () => {
      const { teamAccountId, userId, ownAccountId } = await teamWith('viewer');
      const keys = newSampleKeys();
      const guestId = await guestWithData(keys);
      await signInWithGuest(keys, userId, teamAccountId);
      expect(await rowsIn(teamAccountId)).toEqual([0, 0, 0]);
      expect(await rowsIn(ownAccountId)).toEqual([1, 1, 1]);
      expect(await rowsIn(guestId)).toEqual([0, 0, 0]);
    });

    it('stays in the guest when the member may write test data in no account of theirs', async () => {
      const { teamAccountId, userId, ownAccountId } = await teamWith('viewer');
      // Handed their own account over: View only is all they have.
      await db
        .deleteFrom('memberships')
        .where('account_id', '=', ownAccountId)
        .where('user_id', '=', userId)
        .execute();
      const keys = newSampleKeys();
      const guestId = await guestWithData(keys);
      await signInWithGuest(keys, userId, teamAccountId);
      expect(await rowsIn(teamAccountId)).toEqual([0, 0, 0]);
      expect(await rowsIn(ownAccountId)).toEqual([0, 0, 0]);
      expect(await rowsIn(guestId)).toEqual([1, 1, 1]);
      expect(await authenticateKey(db, keys.secretKey)).toMatchObject({ key: { accountId: guestId } });
    });

    for (const role of ['admin', 'developer'] as const) {
      for (const joined of ['before', 'after'] as const) {
        it(`a View-only member's guest data goes to the account they own, not one where they are ${role} (joined ${joined} it)`, async () => {
          const { teamAccountId, userId, ownAccountId } = await teamWith('viewer');
          const other = await signUp(db, {
            email: `other.${Date.now()}.${++made}@example.com`,
            password: 'correct horse battery',
          });
          if (!other.ok) throw new Error('sign-up failed');
          const ownJoined = (
            await db
              .selectFrom('memberships')
              .select('created_at')
              .where('account_id', '=', ownAccountId)
              .where('user_id', '=', userId)
              .executeTakeFirstOrThrow()
          ).created_at;
          // Which membership the query lists first must not decide: the owned account wins either way.
          await db
            .insertInto('memberships')
            .values({
              account_id: other.accountId,
              user_id: userId,
              role,
              created_at: joined === 'before' ? ownJoined - 1 : ownJoined + 1,
            })
            .execute();
          const keys = newSampleKeys();
          await guestWithData(keys);
          await signInWithGuest(keys, userId, teamAccountId);
          expect(await rowsIn(ownAccountId)).toEqual([1, 1, 1]);
          expect(await rowsIn(other.accountId)).toEqual([0, 0, 0]);
          expect(await rowsIn(teamAccountId)).toEqual([0, 0, 0]);
        });
      }
    }

    it("a Developer's guest data goes to the team account the session starts in", async () => {
      const { teamAccountId, userId, ownAccountId } = await teamWith('developer');
      const keys = newSampleKeys();
      await guestWithData(keys);
      await signInWithGuest(keys, userId, teamAccountId);
      expect(await rowsIn(teamAccountId)).toEqual([1, 1, 1]);
      expect(await rowsIn(ownAccountId)).toEqual([0, 0, 0]);
    });
  });

  it('purge guests idle for a day, with their data, and keep recently used ones', async () => {
    const start = Date.now();
    const idle = newSampleKeys();
    const busy = newSampleKeys();
    const idleGuest = (await activateGuest(db, idle, nextAddress(), start)) as { accountId: string };
    const busyGuest = (await activateGuest(db, busy, nextAddress(), start)) as { accountId: string };
    await db
      .insertInto('customers')
      .values({
        id: `cus_idle${start % 100000}`,
        account_id: idleGuest.accountId,
        mode: 'test',
        email: null,
        created: 0,
        created_ms: start,
        deleted_at: null,
        object: '{}',
      })
      .execute();
    // The busy guest's key was used an hour before the purge.
    const later = start + GUEST_RULES.idleMs + 1;
    await db
      .updateTable('api_keys')
      .set({ last_used_at: later - 3_600_000 })
      .where('account_id', '=', busyGuest.accountId)
      .execute();
    expect(await purgeIdleGuests(db, later)).toBeGreaterThanOrEqual(1);
    expect(await authenticateKey(db, idle.secretKey)).toEqual({ rejected: 'unknown' });
    expect(
      await db.selectFrom('customers').select('id').where('account_id', '=', idleGuest.accountId).execute(),
    ).toEqual([]);
    expect(await authenticateKey(db, busy.secretKey)).toMatchObject({
      key: { accountId: busyGuest.accountId },
    });
  });

  it('a docs page view keeps a fresh sample key, replaces a stale one, and keeps a stale one whose guest lives', async () => {
    const now = Date.now();
    const rows = async () =>
      Number(
        (
          await db
            .selectFrom('accounts')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const view = (keys: SampleKeys) =>
      resolveReader({ kw_sample: encodeSampleKeys(keys) }, false, db, secret, now);
    const before = await rows();

    const fresh = mint(secret, now - 60 * 60 * 1000);
    expect(await view(fresh)).toMatchObject({ reader: { secretKey: fresh.secretKey }, setCookies: [] });

    const stale = mint(secret, now - GUEST_RULES.idleMs - 60 * 60 * 1000);
    const replaced = await view(stale);
    expect(replaced.reader.secretKey).not.toBe(stale.secretKey);
    expect(replaced.setCookies).toEqual([expect.stringContaining(`kw_sample=${replaced.reader.secretKey}`)]);
    // Minting and checking happen in memory: page views wrote nothing.
    expect(await rows()).toBe(before);

    // A guest started within its key's day lives on while used, and its reader keeps the key.
    const used = mint(secret, now - GUEST_RULES.idleMs - 60 * 60 * 1000);
    await activateGuest(db, used, nextAddress(), now - GUEST_RULES.idleMs);
    expect(await view(used)).toMatchObject({ reader: { secretKey: used.secretKey }, setCookies: [] });
  });
});
