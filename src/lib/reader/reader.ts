import type { Kysely } from 'kysely';
import { validateSessionToken, type SessionReader } from '../auth/session.ts';
import { clearedSessionCookie, sessionCookie, sessionCookieName } from '../auth/session-cookie.ts';
import type { Database } from '../db/schema.ts';
import { can } from '../teams/roles.ts';
import { findGuest } from '../guests/guest-sandbox.ts';
import { decodeSampleKeys, encodeSampleKeys, isStale, newSampleKeys } from '../keys/sample-keys.ts';
import { DEFAULT_LANGUAGE, isLanguageId, type LanguageId } from '../snippets/languages/index.ts';
import {
  LANGUAGE_COOKIE,
  languageCookie,
  sampleKeysCookie,
  sampleKeysCookieName,
  type CookieJar,
} from './cookies.ts';

/** The signed-in reader as their session sees them: the session, the account it works with, and their role there. */
export type SessionMember = Omit<SessionReader, 'testSecretKey' | 'testPublishableKey' | 'refreshed'>;

/** Who is reading, as far as the keys in samples are concerned. */
export type Reader =
  | {
      /**
       * Random sample keys, the same on every page of the visit: an anonymous visit, or a
       * member whose role may not see the account's keys (then `member` says who).
       */
      keySource: 'sample';
      secretKey: string;
      publishableKey: string;
      member: SessionMember | null;
    }
  | {
      /** A signed-in member who may see keys: their account's current test keys. Never live keys. */
      keySource: 'account';
      secretKey: string;
      publishableKey: string;
      member: SessionMember;
    };

/** A reader, plus the cookies the response must set to keep things as they are. */
export interface ReaderResolution {
  reader: Reader;
  setCookies: string[];
}

/**
 * Works out the reader from their cookies: a valid session means a signed-in member, who
 * sees their account's test keys when their role may (the sample-key cookie is then
 * ignored, and comes back into use after sign-out). Everyone else without a valid
 * sample-key cookie (none yet, a forged one, or one too old to start a guest and with no
 * guest behind it) gets a fresh pair and a cookie for it; minting writes nothing. A
 * session cookie that no longer works is cleared.
 */
export async function resolveReader(
  cookies: CookieJar,
  secure: boolean,
  db: Kysely<Database>,
  sampleSecret: Buffer,
  now = Date.now(),
): Promise<ReaderResolution> {
  const setCookies: string[] = [];
  let member: SessionMember | null = null;
  const token = cookies[sessionCookieName(secure)];
  if (token) {
    const session = await validateSessionToken(db, token);
    if (session) {
      const { testSecretKey, testPublishableKey, refreshed, ...who } = session;
      if (refreshed) setCookies.push(sessionCookie(token, secure));
      member = who;
      if (can(session.role, 'keys:test') && testSecretKey && testPublishableKey) {
        return {
          reader: {
            keySource: 'account',
            secretKey: testSecretKey,
            publishableKey: testPublishableKey,
            member,
          },
          setCookies,
        };
      }
    } else {
      setCookies.push(clearedSessionCookie(secure));
    }
  }
  const existing = decodeSampleKeys(sampleSecret, cookies[sampleKeysCookieName(secure)]);
  // A key past its day can no longer start a guest; it stays only while its guest lives.
  if (existing && (!isStale(existing.issuedAt, now) || (await findGuest(db, existing.keys)))) {
    return { reader: { keySource: 'sample', ...existing.keys, member }, setCookies };
  }
  const fresh = newSampleKeys(sampleSecret, now);
  setCookies.push(sampleKeysCookie(encodeSampleKeys(fresh), secure));
  return { reader: { keySource: 'sample', ...fresh, member }, setCookies };
}

/** The language tab to render, and the cookie to set when `?lang=` changed the choice. */
export function chooseLanguage(
  url: URL,
  cookies: CookieJar,
  secure: boolean,
): { language: LanguageId; setCookie: string | null } {
  const fromQuery = url.searchParams.get('lang');
  const fromCookie = cookies[LANGUAGE_COOKIE];
  if (isLanguageId(fromQuery)) {
    const setCookie = fromQuery === fromCookie ? null : languageCookie(fromQuery, secure);
    return { language: fromQuery, setCookie };
  }
  return { language: isLanguageId(fromCookie) ? fromCookie : DEFAULT_LANGUAGE, setCookie: null };
}
