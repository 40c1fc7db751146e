import { serialize } from 'cookie';
import { cookieDefaults } from '../http/cookie-defaults.ts';
import type { SessionMember } from '../reader/reader.ts';

/**
 * The cookie that carries "you just joined this account" from the invitation page to the
 * dashboard page it lands on, which shows it once and clears it. Its value is the account's
 * id; a cookie is how the notice survives the redirects without a query string that would
 * show it again on every reload.
 */
export const JOINED_COOKIE = 'kw_joined';

/** Long enough for the redirects after joining; a notice never read goes away by itself. */
const JOINED_COOKIE_MAX_AGE = 600;

/** The `Set-Cookie` line that has the next dashboard page say the account was joined. */
export function joinedCookie(accountId: string, secure: boolean): string {
  return serialize(JOINED_COOKIE, accountId, { ...cookieDefaults(secure), maxAge: JOINED_COOKIE_MAX_AGE });
}

/**
 * The name of the account the cookie says was just joined, when the member is now in it;
 * undefined otherwise (no cookie, or an account they have since left or switched from).
 */
export function joinedAccountName(
  member: SessionMember,
  cookieValue: string | undefined,
): string | undefined {
  if (!cookieValue || cookieValue !== member.accountId) return undefined;
  return member.accounts.find((account) => account.id === cookieValue)?.name ?? member.accountName;
}
