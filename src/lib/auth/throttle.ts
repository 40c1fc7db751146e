import { sql, type Expression, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Sign-in throttling, kept in the database so every process sees the same counts.
 *
 * Attempts are counted by the client address together with the email tried, and by the
 * client address alone. There is no count per email alone: a stranger who knows an
 * address could then keep its owner locked out from anywhere. With the pair, a stranger's
 * failures lock only the stranger's own address, for that email and (past the larger
 * allowance) for every email, while the owner signs in from their own network. A guesser
 * spread over many addresses gets a few attempts from each; the common-password list and
 * argon2id are the defence there, not a lock anyone could use against the owner.
 *
 * An attempt is counted before its password is checked (reserveAttempt), in one
 * conditional UPDATE per key, so parallel attempts cannot all pass a check made before any
 * of them was recorded: a burst gets exactly the free attempts checked. Reaching the free
 * number locks the key for 30 seconds; each attempt after a lock runs out locks it twice
 * as long as the last, up to 15 minutes. Counts are forgotten an hour after the last attempt.
 * A success clears the pair's count and gives the address its attempt back.
 */
export const THROTTLE_RULES = {
  /** Attempts one address may make at one email before a lock. */
  addressAndEmail: { freeAttempts: 5 },
  /** Attempts one address may make at all emails together before a lock. */
  address: { freeAttempts: 20 },
  firstLockMs: 30 * 1000,
  maxLockMs: 15 * 60 * 1000,
  forgetAfterMs: 60 * 60 * 1000,
} as const;

export type ThrottleScope = 'address' | 'addressAndEmail';

/** A throttle row's key, and which rule it follows. */
export interface ThrottleKey {
  key: string;
  scope: ThrottleScope;
}

/**
 * The keys a sign-in attempt counts against, the address alone first: an address already
 * locked overall is refused before its pair count moves.
 */
export function signInThrottleKeys(clientAddress: string, email: string): ThrottleKey[] {
  const address = clientAddress.toLowerCase();
  return [
    { key: `ip:${address}`, scope: 'address' },
    { key: `ip-email:${address} ${email.toLowerCase()}`, scope: 'addressAndEmail' },
  ];
}

/**
 * The keys a request for a password reset link counts against: the sign-in rules, on
 * counts of their own, so asking for links neither uses up nor extends a sign-in lock.
 */
export function passwordResetThrottleKeys(clientAddress: string, email: string): ThrottleKey[] {
  return signInThrottleKeys(clientAddress, email).map(({ key, scope }) => ({ key: `reset:${key}`, scope }));
}

export type Reservation = { ok: true } | { ok: false; waitMs: number };

/**
 * Counts an attempt against every key, or refuses it (with the wait) when one is locked.
 * Only an allowed reservation may go on to check the password. A key refused after others
 * were counted gives theirs back, so a refused attempt counts nowhere.
 */
export async function reserveAttempt(
  db: Kysely<Database>,
  keys: ThrottleKey[],
  now = Date.now(),
): Promise<Reservation> {
  const reserved: ThrottleKey[] = [];
  for (const key of keys) {
    if (await reserveOne(db, key, now)) {
      reserved.push(key);
      continue;
    }
    for (const done of reserved) await giveBack(db, done);
    const row = await db
      .selectFrom('login_throttles')
      .select('locked_until')
      .where('key', '=', key.key)
      .executeTakeFirst();
    // The lock may have run out in the meantime; a wait of a second is still honest.
    return { ok: false, waitMs: Math.max(1000, (row?.locked_until ?? now) - now) };
  }
  return { ok: true };
}

/**
 * After a right password: the pair's count is forgotten and the address gets its attempt
 * back, so people signing in from one office do not use up each other's allowance.
 */
export async function attemptSucceeded(db: Kysely<Database>, keys: ThrottleKey[]): Promise<void> {
  for (const key of keys) {
    if (key.scope === 'addressAndEmail') {
      await db.deleteFrom('login_throttles').where('key', '=', key.key).execute();
    } else {
      await giveBack(db, key);
    }
  }
}

/**
 * One statement decides and counts: the row is updated only when it is not locked, and
 * the update sets the lock itself once the count reaches the free number. PostgreSQL
 * re-checks the WHERE of a row another transaction changed first, and SQLite runs one
 * writer at a time, so no two attempts can both see the last free slot.
 */
async function reserveOne(db: Kysely<Database>, { key, scope }: ThrottleKey, now: number): Promise<boolean> {
  await db
    .insertInto('login_throttles')
    .values({ key, failures: 0, locked_until: 0, last_failure_at: 0 })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .execute();
  // Numbers are written as literals: PostgreSQL cannot type a bare parameter in a CASE.
  const counted = sql<number>`case when ${sql.lit(now)} - last_failure_at > ${sql.lit(THROTTLE_RULES.forgetAfterMs)} then 1 else failures + 1 end`;
  const updated = await db
    .updateTable('login_throttles')
    .set({
      failures: counted,
      last_failure_at: now,
      locked_until: lockAfter(counted, THROTTLE_RULES[scope].freeAttempts, now),
    })
    .where('key', '=', key)
    .where('locked_until', '<=', now)
    .returning('failures')
    .executeTakeFirst();
  return updated !== undefined;
}

/**
 * The lock an attempt leaves: none below the free number, then 30 s, 60 s, … up to the
 * maximum, written out as a CASE because SQLite has no power function to rely on.
 */
function lockAfter(counted: Expression<number>, free: number, now: number): Expression<number> {
  const { firstLockMs, maxLockMs } = THROTTLE_RULES;
  const steps = [];
  for (let over = 0; firstLockMs * 2 ** over < maxLockMs; over++) {
    steps.push(sql`when ${sql.lit(free + over)} then ${sql.lit(now + firstLockMs * 2 ** over)}`);
  }
  return sql<number>`case when ${counted} < ${sql.lit(free)} then 0 else case ${counted} ${sql.join(steps, sql` `)} else ${sql.lit(now + maxLockMs)} end end`;
}

/**
 * Takes back one counted attempt. A lock that only that attempt brought about goes with
 * it; a lock earned before stays (it may be a step longer than the remaining count would
 * have set, which errs on the careful side).
 */
async function giveBack(db: Kysely<Database>, { key, scope }: ThrottleKey): Promise<void> {
  const free = THROTTLE_RULES[scope].freeAttempts;
  await db
    .updateTable('login_throttles')
    .set({
      failures: sql<number>`case when failures > 0 then failures - 1 else 0 end`,
      locked_until: sql<number>`case when failures - 1 < ${sql.lit(free)} then 0 else locked_until end`,
    })
    .where('key', '=', key)
    .execute();
}

/** "2 minutes", "45 seconds": the wait, rounded up, for a person to read. */
export function describeWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
