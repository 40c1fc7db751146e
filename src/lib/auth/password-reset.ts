import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { randomToken, sha256Hex } from '../crypto.ts';
import { hashPassword, passwordProblem } from './password.ts';

/** A reset link works once, for 30 minutes: long enough to read the mail, short if it leaks. */
export const RESET_TTL_MS = 30 * 60 * 1000;

/** Tokens are `randomToken()`s; anything else is refused before a query. */
const TOKEN_SHAPE = /^[a-z2-7]{24}$/;

/**
 * Makes a reset link's token for a user and keeps only its hash. The user's earlier links
 * stop working, so only the newest one sent counts.
 */
export async function createPasswordReset(
  db: Kysely<Database>,
  userId: string,
  now = Date.now(),
): Promise<string> {
  const token = randomToken();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('password_resets').where('user_id', '=', userId).execute();
    await trx
      .insertInto('password_resets')
      .values({
        token_hash: sha256Hex(token),
        user_id: userId,
        created_at: now,
        expires_at: now + RESET_TTL_MS,
      })
      .execute();
  });
  return token;
}

/** When the user was last sent a link that is still kept, if ever. */
export async function lastResetAt(db: Kysely<Database>, userId: string): Promise<number | null> {
  const row = await db
    .selectFrom('password_resets')
    .select('created_at')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.created_at ?? null;
}

export type ResetLookup = { ok: true; userId: string; email: string } | { ok: false };

/** Whose password a link would reset, if it still can. Opening a link does not spend it. */
export async function lookUpPasswordReset(
  db: Kysely<Database>,
  token: string,
  now = Date.now(),
): Promise<ResetLookup> {
  if (!TOKEN_SHAPE.test(token)) return { ok: false };
  const row = await db
    .selectFrom('password_resets')
    .innerJoin('users', 'users.id', 'password_resets.user_id')
    .select(['users.id', 'users.email', 'password_resets.expires_at'])
    .where('password_resets.token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.expires_at <= now) return { ok: false };
  return { ok: true, userId: row.id, email: row.email };
}

export type ResetResult =
  | { ok: true; userId: string; email: string }
  | { ok: false; reason: 'spent' }
  | { ok: false; reason: 'password'; message: string };

/**
 * Sets a new password through a link, under the sign-up rules. In one transaction the link
 * is deleted (of two requests racing with it, only the one that deletes it goes on), the
 * password changes and every session of the user ends, on every device: whoever held one
 * may be the reason for the reset.
 */
export async function resetPassword(
  db: Kysely<Database>,
  token: string,
  password: string,
  now = Date.now(),
): Promise<ResetResult> {
  const lookup = await lookUpPasswordReset(db, token, now);
  if (!lookup.ok) return { ok: false, reason: 'spent' };
  const problem = passwordProblem(password, lookup.email);
  if (problem) return { ok: false, reason: 'password', message: problem };
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx): Promise<ResetResult> => {
    const spent = await trx
      .deleteFrom('password_resets')
      .where('token_hash', '=', sha256Hex(token))
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(spent.numDeletedRows) !== 1) return { ok: false, reason: 'spent' };
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', lookup.userId)
      .execute();
    await trx.deleteFrom('sessions').where('user_id', '=', lookup.userId).execute();
    return lookup;
  });
}
