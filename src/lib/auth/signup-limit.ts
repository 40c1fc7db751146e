import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** How long a client address's sign-up count runs before it starts again. */
export const SIGNUP_WINDOW_MS = 60 * 60 * 1000;

export type SignUpAllowance = { ok: true } | { ok: false; waitMs: number };

/**
 * Counts a sign-up attempt from a client address, or refuses it past `limit` in the hour
 * that began with the address's first attempt. Every attempt counts, accepted or not:
 * each costs a password hash, and each answer says whether an email is taken. The count
 * lives in the login_throttles table under `signup:<address>` (failures: attempts in the
 * window; last_failure_at: when the window began), so every process agrees, and moves in
 * one UPDATE, so parallel attempts cannot pass together.
 */
export async function reserveSignUp(
  db: Kysely<Database>,
  clientAddress: string,
  limit: number,
  now = Date.now(),
): Promise<SignUpAllowance> {
  const key = `signup:${clientAddress.toLowerCase()}`;
  await db
    .insertInto('login_throttles')
    .values({ key, failures: 0, locked_until: 0, last_failure_at: now })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .execute();
  // Numbers are written as literals: PostgreSQL cannot type a bare parameter in a CASE.
  const windowOver = sql<boolean>`${sql.lit(now)} - last_failure_at >= ${sql.lit(SIGNUP_WINDOW_MS)}`;
  const row = await db
    .updateTable('login_throttles')
    .set({
      failures: sql<number>`case when ${windowOver} then 1 else failures + 1 end`,
      last_failure_at: sql<number>`case when ${windowOver} then ${sql.lit(now)} else last_failure_at end`,
    })
    .where('key', '=', key)
    .returning(['failures', 'last_failure_at'])
    .executeTakeFirstOrThrow();
  if (row.failures <= limit) return { ok: true };
  return { ok: false, waitMs: Number(row.last_failure_at) + SIGNUP_WINDOW_MS - now };
}
