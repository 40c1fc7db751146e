import type { SerializeOptions } from 'cookie';

/** A year in seconds, for the preferences that should outlive a visit (language, dashboard mode). */
export const PREFERENCE_MAX_AGE = 60 * 60 * 24 * 365;

/**
 * The attributes every Keyway cookie starts from: the whole site (`Path=/`), not sent with
 * cross-site subrequests (`SameSite=Lax`), `Secure` over HTTPS, and out of page scripts' reach
 * (`HttpOnly`) unless a page script must write it too.
 */
export function cookieDefaults(secure: boolean, httpOnly = true): SerializeOptions {
  return { path: '/', sameSite: 'lax', httpOnly, secure };
}
