import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { accountNameProblem, defaultAccountName, normalizeAccountName } from './account-name.ts';
import { issueDefaultKeys } from '../keys/api-keys.ts';
import { decoyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { attemptSucceeded, reserveAttempt, signInThrottleKeys } from './throttle.ts';

/** What the sign-up and sign-in forms report next to each field. */
export interface FieldErrors {
  email?: string;
  password?: string;
  accountName?: string;
  form?: string;
}

/**
 * `existingUserId`: the address already has an account, and nothing was made. Callers must
 * not tell the reader so (see sign-up-answer.ts): that would say which addresses have accounts.
 */
export type SignUpResult =
  | { ok: true; userId: string; accountId: string }
  | { ok: false; errors: FieldErrors }
  | { ok: false; existingUserId: string };

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
  if (email.length > 254 || !EMAIL_SHAPE.test(email))
    return 'Enter an email address like jenny.rosen@example.com.';
  return null;
}

/**
 * Creates a user, an account they own, and the account's four default keys, all or
 * nothing. Users and accounts are apart from the start, so teams can share an account.
 * `accountName` is optional: left empty, the account is named from the email's local part.
 */
export async function signUp(
  db: Kysely<Database>,
  input: { email: string; password: string; accountName?: string },
  now = Date.now(),
): Promise<SignUpResult> {
  const email = normalizeEmail(input.email);
  const errors: FieldErrors = {};
  const badEmail = emailProblem(email);
  if (badEmail) errors.email = badEmail;
  const badPassword = passwordProblem(input.password, email);
  if (badPassword) errors.password = badPassword;
  const badName = accountNameProblem(input.accountName ?? '');
  if (badName) errors.accountName = badName;
  if (errors.email || errors.password || errors.accountName) return { ok: false, errors };
  const accountName = normalizeAccountName(input.accountName ?? '') || defaultAccountName(email);

  // Hashed before the lookup, whether or not the address is taken, so the time a sign-up
  // takes does not tell the two apart.
  const passwordHash = await hashPassword(input.password);
  const taken = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (taken) return { ok: false, existingUserId: taken.id };

  const userId = newId('user');
  const accountId = newId('acct');
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values({ id: userId, email, password_hash: passwordHash, created_at: now })
        .execute();
      await createOwnedAccount(trx, { accountId, userId, name: accountName }, now);
    });
  } catch (error) {
    // Two sign-ups with one email at the same moment: the unique index lets one through.
    const again = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (again) return { ok: false, existingUserId: again.id };
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
export async function accountToStartIn(db: Kysely<Database>, userId: string, now: number): Promise<string> {
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
  await db
    .transaction()
    .execute((trx) =>
      createOwnedAccount(trx, { accountId, userId, name: defaultAccountName(user.email) }, now),
    );
  return accountId;
}

/**
 * An account, its owner's membership and its four default keys: how every user's account
 * begins, at sign-up or when they are left without one. Run inside the caller's transaction.
 */
async function createOwnedAccount(
  trx: Transaction<Database>,
  account: { accountId: string; userId: string; name: string },
  now: number,
): Promise<void> {
  const { accountId, userId, name } = account;
  await trx.insertInto('accounts').values({ id: accountId, name, created_at: now }).execute();
  await trx
    .insertInto('memberships')
    .values({ account_id: accountId, user_id: userId, role: 'owner', created_at: now })
    .execute();
  await issueDefaultKeys(trx, accountId, now);
}
