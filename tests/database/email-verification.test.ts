import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { signIn, signUp } from '../../src/lib/auth/accounts.ts';
import { sha256Hex } from '../../src/lib/crypto.ts';
import {
  confirmVerification,
  createVerification,
  isEmailVerified,
  lookUpVerification,
  VERIFICATION_RESEND_MS,
  VERIFICATION_TTL_MS,
} from '../../src/lib/auth/email-verification.ts';
import { answerSignUp } from '../../src/lib/auth/sign-up-answer.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { acceptInvitation, createInvitation } from '../../src/lib/teams/invitations.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';

const PASSWORD = 'correct horse battery';
const LINKS = { origin: 'http://localhost:4321', next: '/dashboard/apikeys' };

describeEachDatabase('sign-up answers and email verification on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  beforeAll(() => {
    db = database();
  });

  let counter = 0;
  const freshEmail = () => `verify${++counter}.${Date.now()}@example.com`;
  async function person() {
    const email = freshEmail();
    const result = await signUp(db, { email, password: PASSWORD });
    if (!result.ok) throw new Error('sign-up failed');
    return { ...result, email };
  }

  describe('without a mail server', () => {
    it('signs a new address in at once', async () => {
      const email = freshEmail();
      const answer = await answerSignUp(db, null, { email, password: PASSWORD }, LINKS);
      expect(answer).toMatchObject({ kind: 'signed-up', userId: expect.stringMatching(/^user_/) });
    });

    it('answers a taken address with "check your email", making nothing and changing nothing', async () => {
      const taken = await person();
      const usersBefore = await db.selectFrom('users').select('id').execute();
      const answer = await answerSignUp(
        db,
        null,
        { email: ` ${taken.email.toUpperCase()}`, password: 'a different phrase' },
        LINKS,
      );
      expect(answer).toEqual({ kind: 'check-email', email: taken.email });
      expect(await db.selectFrom('users').select('id').execute()).toHaveLength(usersBefore.length);
      expect(
        (await signIn(db, { email: taken.email, password: PASSWORD, clientAddress: '10.7.0.1' })).ok,
      ).toBe(true);
    });

    it('still reports a bad email or password by field', async () => {
      expect(await answerSignUp(db, null, { email: 'nope', password: 'short' }, LINKS)).toEqual({
        kind: 'invalid',
        errors: {
          email: 'Enter an email address like jenny.rosen@example.com.',
          password: 'Use at least 8 characters.',
        },
      });
    });
  });

  describe('verification links', () => {
    it('are stored only as a hash, work once, and confirm the address', async () => {
      const { userId, email } = await person();
      expect(await isEmailVerified(db, userId)).toBe(false);
      const made = await createVerification(db, userId);
      if (!made.ok) throw new Error('no token');
      const rows = await db
        .selectFrom('email_verifications')
        .selectAll()
        .where('user_id', '=', userId)
        .execute();
      expect(rows).toEqual([expect.objectContaining({ token_hash: sha256Hex(made.token), used_at: null })]);
      expect(JSON.stringify(rows)).not.toContain(made.token);
      expect(await confirmVerification(db, made.token)).toEqual({ ok: true, userId, email });
      expect(await isEmailVerified(db, userId)).toBe(true);
      expect(await confirmVerification(db, made.token)).toMatchObject({ ok: false });
    });

    it('expire a day after they were made, to the millisecond', async () => {
      const { userId } = await person();
      const start = Date.now();
      const made = await createVerification(db, userId, start);
      if (!made.ok) throw new Error('no token');
      expect(await lookUpVerification(db, made.token, start + VERIFICATION_TTL_MS - 1)).toMatchObject({
        ok: true,
      });
      expect(await confirmVerification(db, made.token, start + VERIFICATION_TTL_MS)).toMatchObject({
        ok: false,
      });
      expect(await isEmailVerified(db, userId)).toBe(false);
    });

    it('are sent at most once a minute, and a new one retires the old', async () => {
      const { userId } = await person();
      const start = Date.now();
      const first = await createVerification(db, userId, start);
      expect(await createVerification(db, userId, start + VERIFICATION_RESEND_MS - 1)).toEqual({
        ok: false,
        waitMs: 1,
      });
      const second = await createVerification(db, userId, start + VERIFICATION_RESEND_MS);
      if (!first.ok || !second.ok) throw new Error('no token');
      expect(await lookUpVerification(db, first.token)).toMatchObject({ ok: false });
      expect(await lookUpVerification(db, second.token)).toMatchObject({ ok: true });
    });

    it('refuse anything not shaped like a token', async () => {
      for (const bad of ['', 'x', `${'a'.repeat(24)}'--`, 'A'.repeat(24)]) {
        expect(await lookUpVerification(db, bad)).toMatchObject({ ok: false });
      }
    });
  });

  describe('invitations when a mail server is set up', () => {
    it('can be accepted only by a confirmed address', async () => {
      const owner = await person();
      const invitee = await person();
      const made = await createInvitation(
        db,
        owner.accountId,
        { userId: owner.userId, role: 'owner' },
        { email: invitee.email, role: 'developer' },
      );
      if (!made.ok) throw new Error('invitation failed');
      const options = { requireVerifiedEmail: true };
      expect(await acceptInvitation(db, made.token, invitee, undefined, options)).toMatchObject({
        ok: false,
        problem: 'unverified',
      });
      // Refused: no membership, and the link is still unused.
      const membership = () =>
        db
          .selectFrom('memberships')
          .select('role')
          .where('account_id', '=', owner.accountId)
          .where('user_id', '=', invitee.userId)
          .executeTakeFirst();
      expect(await membership()).toBeUndefined();
      const invitation = await db
        .selectFrom('invitations')
        .select('accepted_at')
        .where('id', '=', made.invitation.id)
        .executeTakeFirstOrThrow();
      expect(invitation.accepted_at).toBeNull();

      const verification = await createVerification(db, invitee.userId);
      if (!verification.ok) throw new Error('no token');
      await confirmVerification(db, verification.token);
      expect(await acceptInvitation(db, made.token, invitee, undefined, options)).toMatchObject({ ok: true });
      expect(await membership()).toEqual({ role: 'developer' });
    });
  });
});
