import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { signIn, signUp } from '../../src/lib/auth/accounts.ts';
import {
  createPasswordReset,
  lookUpPasswordReset,
  resetPassword,
  RESET_TTL_MS,
} from '../../src/lib/auth/password-reset.ts';
import { requestPasswordReset, RESET_RESEND_MS } from '../../src/lib/auth/password-reset-request.ts';
import { createSession, validateSessionToken } from '../../src/lib/auth/session.ts';
import { THROTTLE_RULES } from '../../src/lib/auth/throttle.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';
import { startMailCatcher, type MailCatcher } from '../support/mail.ts';

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new phrase';
const ORIGIN = new URL('http://localhost:4321');

describeEachDatabase('password reset links on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  let mail: MailCatcher;
  beforeAll(async () => {
    db = database();
    mail = await startMailCatcher();
  });
  afterAll(() => mail?.close());

  let counter = 0;
  let addresses = 0;
  const freshEmail = () => `reset${++counter}.${Date.now()}@example.com`;
  /** A client address of its own, so one test's throttle counts do not reach another's. */
  const freshAddress = () => `10.9.${Math.floor(++addresses / 250)}.${addresses % 250}`;
  async function person() {
    const email = freshEmail();
    const result = await signUp(db, { email, password: PASSWORD });
    if (!result.ok) throw new Error('sign-up failed');
    return { ...result, email };
  }
  const canSignIn = async (email: string, password: string) =>
    (await signIn(db, { email, password, clientAddress: freshAddress() })).ok;
  const passwordHashOf = async (userId: string) =>
    (await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow())
      .password_hash;
  const resetRows = (userId: string) =>
    db.selectFrom('password_resets').selectAll().where('user_id', '=', userId).execute();
  const smtp = () => ({ url: mail.url, from: 'Keyway <no-reply@keyway.localhost>' });

  it('keeps only a hash of the token, and a new link replaces the old one', async () => {
    const user = await person();
    const first = await createPasswordReset(db, user.userId);
    const second = await createPasswordReset(db, user.userId);
    const rows = await resetRows(user.userId);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(first);
    expect(JSON.stringify(rows)).not.toContain(second);
    expect(await lookUpPasswordReset(db, first)).toEqual({ ok: false });
    expect(await lookUpPasswordReset(db, second)).toEqual({
      ok: true,
      userId: user.userId,
      email: user.email,
    });
  });

  it('sets the password, spends the link and ends every session of that user only', async () => {
    const user = await person();
    const other = await person();
    const sessions = [
      await createSession(db, user.userId, user.accountId),
      await createSession(db, user.userId, user.accountId),
    ];
    const othersSession = await createSession(db, other.userId, other.accountId);
    const token = await createPasswordReset(db, user.userId);

    expect(await resetPassword(db, token, NEW_PASSWORD)).toEqual({
      ok: true,
      userId: user.userId,
      email: user.email,
    });
    for (const session of sessions) expect(await validateSessionToken(db, session)).toBeNull();
    expect(await validateSessionToken(db, othersSession)).not.toBeNull();
    expect(await canSignIn(user.email, PASSWORD)).toBe(false);
    expect(await canSignIn(user.email, NEW_PASSWORD)).toBe(true);
    expect(await resetRows(user.userId)).toHaveLength(0);

    // Used once: the second time it is refused and the password stays the new one.
    expect(await resetPassword(db, token, 'a third phrase entirely')).toEqual({ ok: false, reason: 'spent' });
    expect(await canSignIn(user.email, NEW_PASSWORD)).toBe(true);
  });

  it('lets only one of two resets racing with one link through', async () => {
    const user = await person();
    const token = await createPasswordReset(db, user.userId);
    const results = await Promise.all([
      resetPassword(db, token, NEW_PASSWORD),
      resetPassword(db, token, 'a racing other phrase'),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, reason: 'spent' }]);
  });

  it('refuses an expired link and changes nothing', async () => {
    const user = await person();
    const session = await createSession(db, user.userId, user.accountId);
    const made = Date.now() - RESET_TTL_MS - 1;
    const token = await createPasswordReset(db, user.userId, made);
    const hash = await passwordHashOf(user.userId);
    expect(await lookUpPasswordReset(db, token)).toEqual({ ok: false });
    expect(await resetPassword(db, token, NEW_PASSWORD)).toEqual({ ok: false, reason: 'spent' });
    expect(await passwordHashOf(user.userId)).toBe(hash);
    expect(await validateSessionToken(db, session)).not.toBeNull();
    // Still within its time it works: the refusal was the clock, not the token.
    expect((await resetPassword(db, token, NEW_PASSWORD, made + RESET_TTL_MS - 1)).ok).toBe(true);
  });

  it('refuses forged, garbage and oversized tokens before touching anything', async () => {
    const user = await person();
    const hash = await passwordHashOf(user.userId);
    for (const token of [
      '',
      'abc',
      'a'.repeat(24),
      'A'.repeat(24),
      `${'a'.repeat(24)}x`,
      'z'.repeat(10_000),
      "' or 1=1 --",
    ]) {
      expect(await resetPassword(db, token, NEW_PASSWORD)).toEqual({ ok: false, reason: 'spent' });
    }
    expect(await passwordHashOf(user.userId)).toBe(hash);
  });

  it('holds a new password to the sign-up rules and keeps the link for another try', async () => {
    const user = await person();
    const token = await createPasswordReset(db, user.userId);
    const hash = await passwordHashOf(user.userId);
    expect(await resetPassword(db, token, 'short')).toEqual({
      ok: false,
      reason: 'password',
      message: 'Use at least 8 characters.',
    });
    expect(await resetPassword(db, token, 'password')).toMatchObject({ ok: false, reason: 'password' });
    expect(await resetPassword(db, token, user.email)).toMatchObject({ ok: false, reason: 'password' });
    expect(await passwordHashOf(user.userId)).toBe(hash);
    expect((await resetPassword(db, token, NEW_PASSWORD)).ok).toBe(true);
  });

  describe('asking for a link', () => {
    it('answers an unknown address as a known one, and writes and sends nothing for it', async () => {
      const user = await person();
      const unknown = freshEmail();
      const rowsBefore = await db.selectFrom('password_resets').select('token_hash').execute();
      const answers = [];
      for (const email of [user.email, unknown]) {
        const answer = await requestPasswordReset(db, smtp(), {
          email,
          clientAddress: freshAddress(),
          origin: ORIGIN,
        });
        if (answer.kind !== 'sent') throw new Error(`expected "sent", got ${answer.kind}`);
        await answer.delivery;
        answers.push({ kind: answer.kind, email: answer.email.replace(email, 'EMAIL') });
      }
      expect(answers[0]).toEqual(answers[1]);
      const rowsAfter = await db.selectFrom('password_resets').select(['token_hash', 'user_id']).execute();
      expect(rowsAfter).toHaveLength(rowsBefore.length + 1);
      expect(rowsAfter.filter((row) => row.user_id === user.userId)).toHaveLength(1);
      expect(mail.to(user.email)).toHaveLength(1);
      expect(mail.to(user.email)[0]).toContain('/reset-password/');
      expect(mail.to(unknown)).toHaveLength(0);
    });

    it('sends one link a minute per address at most, whoever asks', async () => {
      const user = await person();
      const now = Date.now();
      for (const at of [now, now + 1000, now + RESET_RESEND_MS - 1]) {
        const answer = await requestPasswordReset(
          db,
          smtp(),
          { email: user.email, clientAddress: freshAddress(), origin: ORIGIN },
          at,
        );
        if (answer.kind === 'sent') await answer.delivery;
      }
      expect(mail.to(user.email)).toHaveLength(1);
    });

    it('is throttled like sign-in: past the free requests nothing is made or sent', async () => {
      const user = await person();
      const clientAddress = freshAddress();
      const now = Date.now();
      const ask = () =>
        requestPasswordReset(db, smtp(), { email: user.email, clientAddress, origin: ORIGIN }, now);
      for (let i = 0; i < THROTTLE_RULES.addressAndEmail.freeAttempts; i++) {
        const answer = await ask();
        expect(answer.kind).toBe('sent');
        if (answer.kind === 'sent') await answer.delivery;
      }
      // Without the minute's wait the next would send: the throttle is what stops it.
      await db.deleteFrom('password_resets').where('user_id', '=', user.userId).execute();
      const sentBefore = mail.to(user.email).length;
      const refused = await ask();
      expect(refused).toMatchObject({ kind: 'throttled', waitMs: THROTTLE_RULES.firstLockMs });
      expect(await resetRows(user.userId)).toHaveLength(0);
      expect(mail.to(user.email)).toHaveLength(sentBefore);
      // Asking for links does not lock sign-in from the same address.
      expect((await signIn(db, { email: user.email, password: PASSWORD, clientAddress })).ok).toBe(true);
    });

    it('refuses a malformed address by field, counting nothing', async () => {
      expect(
        await requestPasswordReset(db, smtp(), {
          email: 'not-an-address',
          clientAddress: '10.8.0.1',
          origin: ORIGIN,
        }),
      ).toEqual({ kind: 'invalid', error: 'Enter an email address like jenny.rosen@example.com.' });
      expect(
        await db
          .selectFrom('login_throttles')
          .select('key')
          .where('key', 'like', 'reset:%10.8.0.1%')
          .execute(),
      ).toHaveLength(0);
    });
  });
});
