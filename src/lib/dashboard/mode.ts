import { serialize } from 'cookie';
import type { KeyMode } from '../db/schema.ts';
import { cookieDefaults, PREFERENCE_MAX_AGE } from '../http/cookie-defaults.ts';
import type { CookieJar } from '../reader/cookies.ts';

/** Which mode the dashboard shows; a preference, not a secret. */
export const MODE_COOKIE = 'kw_mode';

export function dashboardMode(cookies: CookieJar): KeyMode {
  return cookies[MODE_COOKIE] === 'live' ? 'live' : 'test';
}

export function modeCookie(mode: KeyMode, secure: boolean): string {
  return serialize(MODE_COOKIE, mode, { ...cookieDefaults(secure), maxAge: PREFERENCE_MAX_AGE });
}
