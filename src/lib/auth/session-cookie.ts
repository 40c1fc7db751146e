import { serialize } from 'cookie';
import { cookieDefaults } from '../http/cookie-defaults.ts';
import { SESSION_INACTIVITY_MS } from './session.ts';

/**
 * The session cookie's name: with `__Host-` over HTTPS, which browsers accept only when the
 * cookie is Secure, has no Domain and has Path=/, so no subdomain can plant or read it.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-kw_session' : 'kw_session';
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Path=/, for the inactivity window. */
export function sessionCookie(token: string, secure: boolean): string {
  return serialize(sessionCookieName(secure), token, {
    ...cookieDefaults(secure),
    maxAge: Math.floor(SESSION_INACTIVITY_MS / 1000),
  });
}

/** Removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return serialize(sessionCookieName(secure), '', { ...cookieDefaults(secure), maxAge: 0 });
}
