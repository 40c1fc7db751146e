import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { signIn, signUp } from '../../src/lib/auth/accounts.ts';
import { sha256Hex } from '../../src/lib/crypto.ts';
import {
  SESSION_INACTIVITY_MS,
  SESSION_LIFETIME_MS,
  SESSION_REFRESH_MS,
  createSession,
  invalidateSession,
  openSessionIds,
  validateSessionToken,
} from '../../src/lib/auth/session.ts';
import { SIGNUP_WINDOW_MS, reserveSignUp } from '../../src/lib/auth/signup-limit.ts';
import { THROTTLE_RULES } from '../../src/lib/auth/throttle.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';

describeEachDatabase('accounts and sessions on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  beforeAll(() => {
    db = database();
  });

  let counter = 0;
  const freshEmail = () => `reader${++counter}.${Date.now()}@example.com`;

  describe('sign-up', () => {
    it('names the account as asked, trimmed, or after the email when left empty', async () => {
      const accountName = async (accountId: string) =>
        (await db.selectFrom('accounts').select('name').where('id', '=', accountId).executeTakeFirstOrThrow())
          .name;
      const named = await signUp(db, {
        email: freshEmail(),
        password: 'correct horse battery',
        accountName: '  Rosen   Labs ',
      });
      if (!named.ok) throw new Error('sign-up failed');
      expect(await accountName(named.accountId)).toBe('Rosen Labs');
      const email = freshEmail();
      const unnamed = await signUp(db, { email, password: 'correct horse battery', accountName: '   ' });
      if (!unnamed.ok) throw new Error('sign-up failed');
      expect(await accountName(unnamed.accountId)).toBe(`${email.slice(0, email.indexOf('@'))}'s account`);
    });

    it('refuses an account name too long or with control characters, and writes nothing', async () => {
      for (const accountName of ['x'.repeat(81), 'Rosen\nLabs', 'Rosen\u202eLabs']) {
        const email = freshEmail();
        const result = await signUp(db, { email, password: 'correct horse battery', accountName });
        expect(result).toEqual({ ok: false, errors: { accountName: expect.any(String) } });
        const user = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
        expect(user).toBeUndefined();
      }
    });

    it('creates a user, an account they own, and four keys of the right shapes', async () => {
      const result = await signUp(db, {
        email: `  Jane.${Date.now()}@Example.COM `,
        password: 'correct horse battery',
      });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const user = await db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', result.userId)
        .executeTakeFirstOrThrow();
      expect(user.email).toMatch(/^jane\.\d+@example\.com$/);
      expect(user.password_hash).toMatch(/^\$argon2id\$/);
      const membership = await db
        .selectFrom('memberships')
        .selectAll()
        .where('user_id', '=', result.userId)
        .execute();
      expect(membership).toEqual([expect.objectContaining({ account_id: result.accountId, role: 'owner' })]);
      const keys = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('account_id', '=', result.accountId)
        .execute();
      const byType = Object.fromEntries(keys.map((key) => [`${key.mode}/${key.kind}`, key]));
      expect(Object.keys(byType).sort()).toEqual([
        'live/publishable',
        'live/secret',
        'test/publishable',
        'test/secret',
      ]);
      expect(byType['test/secret']!.plaintext).toMatch(/^sk_test_[0-9A-Za-z]{24}$/);
      expect(byType['test/publishable']!.plaintext).toMatch(/^pk_test_[0-9A-Za-z]{24}$/);
      expect(byType['live/publishable']!.plaintext).toMatch(/^pk_live_[0-9A-Za-z]{24}$/);
      // The live secret exists only as a hash.
      expect(byType['live/secret']!.plaintext).toBeNull();
      expect(byType['live/secret']!.prefix).toBe('sk_live_');
      for (const key of keys) {
        expect(key.key_hash).toMatch(/^[0-9a-f]{64}$/);
        if (key.plaintext) expect(key.key_hash).toBe(sha256Hex(key.plaintext));
      }
    });

    it('refuses a duplicate email (naming the account, for the caller only), a short password and a common one', async () => {
      const email = freshEmail();
      const first = await signUp(db, { email, password: 'correct horse battery' });
      expect(first.ok).toBe(true);
      expect(await signUp(db, { email: email.toUpperCase(), password: 'another fine phrase' })).toEqual({
        ok: false,
        existingUserId: (first as { userId: string }).userId,
      });
      // Nothing was made, and the first password still works.
      expect(await db.selectFrom('users').select('id').where('email', '=', email).execute()).toHaveLength(1);
      expect(
        (await signIn(db, { email, password: 'correct horse battery', clientAddress: '10.0.0.9' })).ok,
      ).toBe(true);
      expect(await signUp(db, { email: 'not-an-email', password: 'short' })).toEqual({
        ok: false,
        errors: {
          email: 'Enter an email address like jenny.rosen@example.com.',
          password: 'Use at least 8 characters.',
        },
      });
      const common = await signUp(db, { email: freshEmail(), password: 'Password123' });
      expect(common).toEqual({
        ok: false,
        errors: { password: 'This password is too easy to guess. Choose a less common one.' },
      });
    });

    it('stores SQL-like and HTML-like input as plain text', async () => {
      const email = `x');drop_table_users;--<b>${Date.now()}@example.com`;
      const result = await signUp(db, { email, password: 'correct horse battery' });
      expect(result.ok).toBe(true);
      const stored = await db
        .selectFrom('users')
        .select('email')
        .where('email', '=', email)
        .executeTakeFirst();
      expect(stored?.email).toBe(email);
      expect(await db.selectFrom('users').select('id').execute()).not.toHaveLength(0);
    });
  });

  describe('sign-in', () => {
    it('accepts the right password and gives the same answer for a wrong password or an unknown email', async () => {
      const email = freshEmail();
      const created = await signUp(db, { email, password: 'correct horse battery' });
      const ok = await signIn(db, {
        email: ` ${email.toUpperCase()}`,
        password: 'correct horse battery',
        clientAddress: '10.0.0.1',
      });
      expect(ok).toEqual({
        ok: true,
        userId: (created as { userId: string }).userId,
        accountId: (created as { accountId: string }).accountId,
      });
      expect(await signIn(db, { email, password: 'wrong horse battery', clientAddress: '10.0.0.1' })).toEqual(
        { ok: false, reason: 'invalid' },
      );
      expect(
        await signIn(db, {
          email: freshEmail(),
          password: 'correct horse battery',
          clientAddress: '10.0.0.1',
        }),
      ).toEqual({ ok: false, reason: 'invalid' });
    });

    it('locks an address out of one email after repeated failures, while the owner signs in from elsewhere', async () => {
      const email = freshEmail();
      await signUp(db, { email, password: 'correct horse battery' });
      const stranger = '10.1.0.1';
      const now = Date.now();
      for (let i = 0; i < THROTTLE_RULES.addressAndEmail.freeAttempts; i++) {
        expect(await signIn(db, { email, password: `wrong ${i}`, clientAddress: stranger }, now)).toEqual({
          ok: false,
          reason: 'invalid',
        });
      }
      // The stranger's address is locked for this email, even with the right password…
      const locked = await signIn(
        db,
        { email, password: 'correct horse battery', clientAddress: stranger },
        now + 1000,
      );
      expect(locked).toEqual({ ok: false, reason: 'throttled', waitMs: THROTTLE_RULES.firstLockMs - 1000 });
      // …but the owner, from their own network, is not.
      expect(
        (
          await signIn(
            db,
            { email, password: 'correct horse battery', clientAddress: '10.1.2.2' },
            now + 1000,
          )
        ).ok,
      ).toBe(true);
      // After the wait, the right password works from the locked address and clears its count.
      const later = now + THROTTLE_RULES.firstLockMs;
      expect(
        (await signIn(db, { email, password: 'correct horse battery', clientAddress: stranger }, later)).ok,
      ).toBe(true);
      expect(
        (await signIn(db, { email, password: 'wrong once', clientAddress: stranger }, later + 1)).ok,
      ).toBe(false);
      expect(
        (await signIn(db, { email, password: 'correct horse battery', clientAddress: stranger }, later + 2))
          .ok,
      ).toBe(true);
    });

    it('throttles a client address that tries many emails', async () => {
      const address = `10.9.${counter}.${Date.now() % 250}`;
      const now = Date.now();
      for (let i = 0; i < THROTTLE_RULES.address.freeAttempts; i++) {
        const result = await signIn(
          db,
          { email: freshEmail(), password: 'guess guess', clientAddress: address },
          now,
        );
        expect(result).toEqual({ ok: false, reason: 'invalid' });
      }
      const result = await signIn(
        db,
        { email: freshEmail(), password: 'guess guess', clientAddress: address },
        now,
      );
      expect(result).toMatchObject({ ok: false, reason: 'throttled' });
    });

    it('does not count successful sign-ins against the address', async () => {
      const email = freshEmail();
      await signUp(db, { email, password: 'correct horse battery' });
      const address = '10.3.0.1';
      for (let i = 0; i <= THROTTLE_RULES.address.freeAttempts; i++) {
        const result = await signIn(db, { email, password: 'correct horse battery', clientAddress: address });
        expect(result.ok).toBe(true);
      }
    });

    it.each([
      ['one email', 'addressAndEmail' as const, (): string => 'same.target@example.com'],
      ['many emails', 'address' as const, (): string => `parallel${++counter}@example.com`],
    ])(
      'checks the password of parallel attempts at %s only the free number of times',
      async (_, scope, email) => {
        const address = `10.4.${counter}.${scope.length}`;
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            signIn(db, { email: email(), password: `wrong ${i}`, clientAddress: address }),
          ),
        );
        // Every "invalid" is a password that was checked; the rest were refused unchecked.
        const checked = results.filter((result) => !result.ok && result.reason === 'invalid').length;
        expect(checked).toBe(THROTTLE_RULES[scope].freeAttempts);
        expect(results.filter((result) => !result.ok && result.reason === 'throttled')).toHaveLength(
          30 - checked,
        );
      },
    );
  });

  describe('sign-up limit', () => {
    it('allows the limit per address in an hour, then says when to retry', async () => {
      const now = Date.now();
      for (let i = 0; i < 3; i++)
        expect(await reserveSignUp(db, '10.5.0.1', 3, now + i)).toEqual({ ok: true });
      expect(await reserveSignUp(db, '10.5.0.1', 3, now + 1000)).toEqual({
        ok: false,
        waitMs: SIGNUP_WINDOW_MS - 1000,
      });
      expect(await reserveSignUp(db, '10.5.0.2', 3, now + 1000)).toEqual({ ok: true });
      expect(await reserveSignUp(db, '10.5.0.1', 3, now + SIGNUP_WINDOW_MS)).toEqual({ ok: true });
    });

    it('lets exactly the limit through when attempts race', async () => {
      const results = await Promise.all(Array.from({ length: 12 }, () => reserveSignUp(db, '10.5.1.1', 3)));
      expect(results.filter((result) => result.ok)).toHaveLength(3);
    });
  });

  describe('sessions', () => {
    async function newReader() {
      const result = await signUp(db, { email: freshEmail(), password: 'correct horse battery' });
      if (!result.ok) throw new Error('sign-up failed');
      return result;
    }

    it('validate with one lookup that carries the test keys, never live ones', async () => {
      const { userId, accountId } = await newReader();
      const token = await createSession(db, userId, accountId);
      expect(token).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{24}$/);
      const session = await validateSessionToken(db, token);
      expect(session).toMatchObject({ userId, accountId, refreshed: false });
      expect(session!.testSecretKey).toMatch(/^sk_test_/);
      expect(session!.testPublishableKey).toMatch(/^pk_test_/);
    });

    it('store only a hash of the secret, which cannot be used as a cookie', async () => {
      const { userId, accountId } = await newReader();
      const token = await createSession(db, userId, accountId);
      const [id, secret] = token.split('.') as [string, string];
      const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.secret_hash).toBe(sha256Hex(secret));
      expect(JSON.stringify(row)).not.toContain(secret);
      // A stolen table row: the hash is 64 hex characters, not a secret of the token's shape.
      expect(await validateSessionToken(db, `${id}.${row.secret_hash}`)).toBeNull();
      expect(await validateSessionToken(db, `${id}.${row.secret_hash.slice(0, 24)}`)).toBeNull();
    });

    it('reject tampered tokens', async () => {
      const { userId, accountId } = await newReader();
      const token = await createSession(db, userId, accountId);
      const [id, secret] = token.split('.') as [string, string];
      const flipped = secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a');
      for (const bad of [
        `${id}.${flipped}`,
        `${id}`,
        `${id}.`,
        `${flipped}.${secret}`,
        `${id}.${secret}x`,
        `'; drop table sessions;--`,
      ]) {
        expect(await validateSessionToken(db, bad)).toBeNull();
      }
      expect(await validateSessionToken(db, token)).not.toBeNull();
    });

    it('slide: use within 30 days keeps them, refreshing at most hourly; 30 idle days end them', async () => {
      const { userId, accountId } = await newReader();
      const start = Date.now();
      const token = await createSession(db, userId, accountId, start);
      expect((await validateSessionToken(db, token, start + SESSION_REFRESH_MS - 1))!.refreshed).toBe(false);
      expect((await validateSessionToken(db, token, start + SESSION_REFRESH_MS))!.refreshed).toBe(true);
      const later = start + SESSION_REFRESH_MS + SESSION_INACTIVITY_MS - 1;
      expect(await validateSessionToken(db, token, later)).not.toBeNull();
      expect(await validateSessionToken(db, token, later + SESSION_INACTIVITY_MS)).toBeNull();
      const [id] = token.split('.');
      expect(
        await db.selectFrom('sessions').select('id').where('id', '=', id!).executeTakeFirst(),
      ).toBeUndefined();
    });

    it('end 90 days after they began, however often they are used', async () => {
      const { userId, accountId } = await newReader();
      const start = Date.now();
      const token = await createSession(db, userId, accountId, start);
      // Used every 20 days, so the idle limit never applies.
      const step = 20 * 24 * 60 * 60 * 1000;
      for (let at = start + step; at < start + SESSION_LIFETIME_MS; at += step) {
        expect(await validateSessionToken(db, token, at)).not.toBeNull();
      }
      expect(await validateSessionToken(db, token, start + SESSION_LIFETIME_MS - 1)).not.toBeNull();
      expect(await validateSessionToken(db, token, start + SESSION_LIFETIME_MS)).toBeNull();
      const [id] = token.split('.');
      expect(
        await db.selectFrom('sessions').select('id').where('id', '=', id!).executeTakeFirst(),
      ).toBeUndefined();
    });

    it('count as open for live streams only within both limits', async () => {
      const { userId, accountId } = await newReader();
      const start = Date.now();
      const token = await createSession(db, userId, accountId, start);
      const [id] = token.split('.') as [string];
      // Used a moment ago, so only the lifetime can close it.
      await db
        .updateTable('sessions')
        .set({ last_verified_at: start + SESSION_LIFETIME_MS - 1000 })
        .where('id', '=', id)
        .execute();
      expect(await openSessionIds(db, [id], start + SESSION_LIFETIME_MS - 1)).toEqual(new Set([id]));
      expect(await openSessionIds(db, [id], start + SESSION_LIFETIME_MS)).toEqual(new Set());
      // And idle past the inactivity limit, well within the lifetime.
      const idle = await createSession(db, userId, accountId, start);
      const [idleId] = idle.split('.') as [string];
      expect(await openSessionIds(db, [idleId], start + SESSION_INACTIVITY_MS - 1)).toEqual(
        new Set([idleId]),
      );
      expect(await openSessionIds(db, [idleId], start + SESSION_INACTIVITY_MS)).toEqual(new Set());
    });

    it('end server-side at sign-out', async () => {
      const { userId, accountId } = await newReader();
      const token = await createSession(db, userId, accountId);
      const session = await validateSessionToken(db, token);
      await invalidateSession(db, session!.sessionId);
      expect(await validateSessionToken(db, token)).toBeNull();
    });
  });
});
