import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Sign-in throttling, kept in the database so every process sees the same counts. Each
 * email address and each client address may fail a few times freely; after that every
 * failure locks further attempts for twice as long as the last, up to 15 minutes.
 * Counts are forgotten an hour after the last failure; a success clears the email's.
 */
export const THROTTLE_RULES = {
  email: { freeFailures: 5 },
  ip: { freeFailures: 20 },
  firstLockMs: 30 * 1000,
  maxLockMs: 15 * 60 * 1000,
  forgetAfterMs: 60 * 60 * 1000,
} as const;

export type ThrottleScope = 'email' | 'ip';

export function throttleKey(scope: ThrottleScope, value: string): string {
  return `${scope}:${value.toLowerCase()}`;
}

/** Milliseconds until the first of these keys accepts attempts again, or 0. */
export async function lockedFor(db: Kysely<Database>, keys: string[], now = Date.now()): Promise<number> {
  const rows = await db
    .selectFrom('login_throttles')
    .select(['locked_until'])
    .where('key', 'in', keys)
    .execute();
  return Math.max(0, ...rows.map((row) => row.locked_until - now));
}

/**
 * Records a failed attempt against each key. The count moves in one UPDATE, so attempts
 * that race in several processes are all counted.
 */
export async function recordFailure(
  db: Kysely<Database>,
  keys: Array<{ key: string; scope: ThrottleScope }>,
  now = Date.now(),
): Promise<void> {
  for (const { key, scope } of keys) {
    await db
      .insertInto('login_throttles')
      .values({ key, failures: 0, locked_until: 0, last_failure_at: 0 })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .execute();
    const { failures } = await db
      .updateTable('login_throttles')
      .set((eb) => ({
        failures: eb
          .case()
          .when(eb(eb.val(now), '-', eb.ref('last_failure_at')), '>', THROTTLE_RULES.forgetAfterMs)
          .then(1)
          .else(eb(eb.ref('failures'), '+', 1))
          .end(),
        last_failure_at: now,
      }))
      .where('key', '=', key)
      .returning('failures')
      .executeTakeFirstOrThrow();
    const over = failures - THROTTLE_RULES[scope].freeFailures;
    if (over > 0) {
      const lockMs = Math.min(THROTTLE_RULES.maxLockMs, THROTTLE_RULES.firstLockMs * 2 ** (over - 1));
      await db
        .updateTable('login_throttles')
        .set({ locked_until: now + lockMs })
        .where('key', '=', key)
        .execute();
    }
  }
}

/** Forgets an email's failures after it signs in. */
export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('login_throttles').where('key', '=', key).execute();
}

/** "2 minutes", "45 seconds": the wait, rounded up, for a person to read. */
export function describeWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
