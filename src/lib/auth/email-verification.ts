import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { randomToken, sha256Hex } from '../crypto.ts';

/** A verification link works once, for a day. */
export const VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;

/** A user asking for another link waits this long after the last, so nobody floods a mailbox. */
export const VERIFICATION_RESEND_MS = 60 * 1000;

const TOKEN_SHAPE = /^[a-z2-7]{24}$/;

export type NewVerification = { ok: true; token: string } | { ok: false; waitMs: number };

/**
 * Makes a verification link's token for a user; only its hash is kept. The user's earlier
 * unused links stop working, so only the newest email counts.
 */
export async function createVerification(
  db: Kysely<Database>,
  userId: string,
  now = Date.now(),
): Promise<NewVerification> {
  const last = await db
    .selectFrom('email_verifications')
    .select('created_at')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (last && now - last.created_at < VERIFICATION_RESEND_MS) {
    return { ok: false, waitMs: last.created_at + VERIFICATION_RESEND_MS - now };
  }
  const token = randomToken();
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('email_verifications')
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .execute();
    await trx
      .insertInto('email_verifications')
      .values({
        token_hash: sha256Hex(token),
        user_id: userId,
        created_at: now,
        expires_at: now + VERIFICATION_TTL_MS,
        used_at: null,
      })
      .execute();
  });
  return { ok: true, token };
}

export type VerificationLookup = { ok: true; userId: string; email: string } | { ok: false; message: string };

const SPENT =
  'This confirmation link no longer works: each works once, for a day, and only the newest one sent does. For a new one, sign up again with the same address (your password stays as it was).';

/** Whose address a link would confirm, if it still can. */
export async function lookUpVerification(
  db: Kysely<Database>,
  token: string,
  now = Date.now(),
): Promise<VerificationLookup> {
  if (!TOKEN_SHAPE.test(token)) return { ok: false, message: SPENT };
  const row = await db
    .selectFrom('email_verifications')
    .innerJoin('users', 'users.id', 'email_verifications.user_id')
    .select(['users.id', 'users.email', 'email_verifications.expires_at', 'email_verifications.used_at'])
    .where('email_verifications.token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.used_at !== null || row.expires_at <= now) return { ok: false, message: SPENT };
  return { ok: true, userId: row.id, email: row.email };
}

/**
 * Uses a link: marks it spent and its user's address verified. Of two requests racing with
 * one link, only the one that marks it spent goes on.
 */
export async function confirmVerification(
  db: Kysely<Database>,
  token: string,
  now = Date.now(),
): Promise<VerificationLookup> {
  const lookup = await lookUpVerification(db, token, now);
  if (!lookup.ok) return lookup;
  return db.transaction().execute(async (trx): Promise<VerificationLookup> => {
    const spent = await trx
      .updateTable('email_verifications')
      .set({ used_at: now })
      .where('token_hash', '=', sha256Hex(token))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) return { ok: false, message: SPENT };
    await trx
      .updateTable('users')
      .set({ email_verified_at: now })
      .where('id', '=', lookup.userId)
      .where('email_verified_at', 'is', null)
      .execute();
    return lookup;
  });
}

/** Whether a user has confirmed their address. */
export async function isEmailVerified(db: Kysely<Database>, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('email_verified_at')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.email_verified_at != null;
}
