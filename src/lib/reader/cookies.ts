import { parse, serialize } from 'cookie';
import { cookieDefaults, PREFERENCE_MAX_AGE } from '../http/cookie-defaults.ts';

/**
 * The cookie that holds an anonymous reader's sample secret key for the visit. The key works
 * against the sandbox, so over HTTPS it gets the `__Host-` prefix as the session cookie
 * does: browsers then insist on Secure, Path=/ and no Domain, so no subdomain can plant
 * or read it.
 */
export function sampleKeysCookieName(secure: boolean): string {
  return secure ? '__Host-kw_sample' : 'kw_sample';
}

/** Holds the reader's chosen language tab; page scripts write it too, so not HttpOnly. */
export const LANGUAGE_COOKIE = 'kw_lang';

export type CookieJar = Record<string, string | undefined>;

/** Parses a `Cookie` header; a malformed pair is dropped, never thrown on. */
export function parseCookies(header: string | null | undefined): CookieJar {
  return header ? parse(header) : {};
}

/** `Set-Cookie` for the sample keys: HttpOnly, and a session cookie, so it lasts one visit. */
export function sampleKeysCookie(value: string, secure: boolean): string {
  return serialize(sampleKeysCookieName(secure), value, cookieDefaults(secure));
}

/**
 * Set when an anonymous reader signs up or in, so the next docs page says once that its
 * samples now use the reader's own keys; that page clears it. A cookie, not an account
 * flag: the switch happens in this browser, and a session cookie costs no query.
 */
export const KEYS_SWITCHED_COOKIE = 'kw_keys_switched';

/** `Set-Cookie` that sets (`true`) or clears the keys-switched mark. */
export function keysSwitchedCookie(set: boolean, secure: boolean): string {
  return serialize(KEYS_SWITCHED_COOKIE, set ? '1' : '', {
    ...cookieDefaults(secure),
    maxAge: set ? undefined : 0,
  });
}

/** `Set-Cookie` for the language choice. */
export function languageCookie(value: string, secure: boolean): string {
  return serialize(LANGUAGE_COOKIE, value, {
    ...cookieDefaults(secure, false),
    maxAge: PREFERENCE_MAX_AGE,
  });
}
