import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { issueDefaultKeys } from '../keys/api-keys.ts';
import { decoyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { attemptSucceeded, reserveAttempt, signInThrottleKeys } from './throttle.ts';

/** What the sign-up and sign-in forms report next to each field. */
export interface FieldErrors {
  email?: string;
  password?: string;
  form?: string;
}

export type SignUpResult =
  { ok: true; userId: string; accountId: string } | { ok: false; errors: FieldErrors };

export type SignInResult =
  | { ok: true; userId: string; accountId: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; waitMs: number };

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Trimmed and lower-cased, so one person cannot hold two accounts by capitalisation. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailProblem(email: string): string | null {
  if (!email) return 'Enter your email address.';
  if (email.length > 254 || !EMAIL_SHAPE.test(email)) return 'Enter an email address like jane@example.com.';
  return null;
}

/**
 * Creates a user, an account they own, and the account's four default keys, all or
 * nothing. Users and accounts are apart from the start, so teams can share an account.
 */
export async function signUp(
  db: Kysely<Database>,
  input: { email: string; password: string },
  now = Date.now(),
): Promise<SignUpResult> {
  const email = normalizeEmail(input.email);
  const errors: FieldErrors = {};
  const badEmail = emailProblem(email);
  if (badEmail) errors.email = badEmail;
  const badPassword = passwordProblem(input.password, email);
  if (badPassword) errors.password = badPassword;
  if (errors.email || errors.password) return { ok: false, errors };

  const taken = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (taken)
    return { ok: false, errors: { email: 'An account with this email already exists. Sign in instead.' } };

  const passwordHash = await hashPassword(input.password);
  const userId = newId('user');
  const accountId = newId('acct');
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values({ id: userId, email, password_hash: passwordHash, created_at: now })
        .execute();
      await trx.insertInto('accounts').values({ id: accountId, name: email, created_at: now }).execute();
      await trx
        .insertInto('memberships')
        .values({ account_id: accountId, user_id: userId, role: 'owner', created_at: now })
        .execute();
      await issueDefaultKeys(trx, accountId, now);
    });
  } catch (error) {
    // Two sign-ups with one email at the same moment: the unique index lets one through.
    const again = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (again)
      return { ok: false, errors: { email: 'An account with this email already exists. Sign in instead.' } };
    throw error;
  }
  return { ok: true, userId, accountId };
}

/**
 * Checks an email and password. The answer never says which of the two was wrong, and an
 * unknown email costs the same password check as a known one. The attempt is counted
 * against the client address, alone and with the email, before the password is checked,
 * and refused unchecked when either is locked (see throttle.ts).
 */
export async function signIn(
  db: Kysely<Database>,
  input: { email: string; password: string; clientAddress: string },
  now = Date.now(),
): Promise<SignInResult> {
  const email = normalizeEmail(input.email);
  const throttleKeys = signInThrottleKeys(input.clientAddress, email);
  const reservation = await reserveAttempt(db, throttleKeys, now);
  if (!reservation.ok) return { ok: false, reason: 'throttled', waitMs: reservation.waitMs };

  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash'])
    .where('email', '=', email)
    .executeTakeFirst();
  const valid = await verifyPassword(user?.password_hash ?? (await decoyPasswordHash()), input.password);
  if (!user || !valid) return { ok: false, reason: 'invalid' };
  await attemptSucceeded(db, throttleKeys);
  return { ok: true, userId: user.id, accountId: await accountToStartIn(db, user.id, now) };
}

/**
 * The account a new session works with: the one the user last chose, else one they own,
 * else the first they joined. Someone removed from every account (even their own, after
 * handing it over) gets a fresh one, as at sign-up, so a session always has an account.
 */
async function accountToStartIn(db: Kysely<Database>, userId: string, now: number): Promise<string> {
  const memberships = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['memberships.account_id', 'memberships.role', 'users.last_account_id', 'users.email'])
    .where('memberships.user_id', '=', userId)
    .orderBy('memberships.created_at', 'asc')
    .execute();
  const chosen = memberships.find((row) => row.account_id === row.last_account_id);
  const owned = memberships.find((row) => row.role === 'owner');
  const found = chosen ?? owned ?? memberships[0];
  if (found) return found.account_id;
  const user = await db
    .selectFrom('users')
    .select('email')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const accountId = newId('acct');
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('accounts').values({ id: accountId, name: user.email, created_at: now }).execute();
    await trx
      .insertInto('memberships')
      .values({ account_id: accountId, user_id: userId, role: 'owner', created_at: now })
      .execute();
    await issueDefaultKeys(trx, accountId, now);
  });
  return accountId;
}
