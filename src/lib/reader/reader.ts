import type { Kysely } from 'kysely';
import { validateSessionToken, type SessionReader } from '../auth/session.ts';
import { clearedSessionCookie, sessionCookie, sessionCookieName } from '../auth/session-cookie.ts';
import type { Database } from '../db/schema.ts';
import { escapeHtml } from '../html.ts';
import { can } from '../teams/roles.ts';
import { findGuest } from '../guests/guest-sandbox.ts';
import { decodeSampleKeys, encodeSampleKeys, isStale, newSampleKeys } from '../keys/sample-keys.ts';
import { DEFAULT_LANGUAGE, isLanguageId, type LanguageId } from '../snippets/languages/index.ts';
import type { SlotValues } from '../snippets/standins.ts';
import { accountMenuHtml } from './account-menu.ts';
import { OBJECT_ID_PLACEHOLDERS } from './object-ids.ts';
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

/** A Host header we are willing to print into samples: a name or address, and a port. */
const HOST_HEADER = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The origin samples should call: the configured public origin, or else the origin the
 * reader used to reach us. A Host header that is not a plain host falls back to `fallback`.
 */
export function apiOrigin(
  publicOrigin: URL | null,
  hostHeader: string | null | undefined,
  secure: boolean,
  fallback: string,
): URL {
  if (publicOrigin) return publicOrigin;
  const scheme = secure ? 'https' : 'http';
  if (hostHeader && HOST_HEADER.test(hostHeader)) {
    try {
      return new URL(`${scheme}://${hostHeader}`);
    } catch {
      // A well-formed but impossible host (a port past 65535): use the fallback.
    }
  }
  return new URL(`${scheme}://${fallback}`);
}

const KEY_NOTES = {
  sample: 'Sample key: sign in to see your own test key',
  account: 'Your own test key: it works against this sandbox',
  member: 'Sample key: ask an account owner for a role that can see API keys',
} as const;

/**
 * The notice docs pages show a member whose role may not see keys, with the way to the
 * people who can change that; empty for everyone else.
 */
export function keyBannerHtml(reader: Reader): string {
  if (reader.keySource !== 'sample' || !reader.member) return '';
  const { accountName } = reader.member;
  return (
    `<p class="kw-key-banner" role="note">The samples show sample keys: your role in ` +
    `<strong>${escapeHtml(accountName)}</strong> cannot see API keys. ` +
    `Ask an account owner for a role that can see API keys. ` +
    `<a href="/dashboard/members#owners">See who the owners are</a>.</p>`
  );
}

/** The values that fill a cached page's slots for this reader. */
export function slotValues(reader: Reader, origin: URL, currentPath = '/'): SlotValues {
  const port = origin.port || (origin.protocol === 'https:' ? '443' : '80');
  return {
    secretKey: escapeHtml(reader.secretKey),
    publishableKey: escapeHtml(reader.publishableKey),
    apiBase: escapeHtml(origin.origin),
    apiHost: escapeHtml(origin.hostname),
    apiPort: port,
    apiProtocol: origin.protocol.slice(0, -1),
    keySource: reader.keySource,
    keyNote: KEY_NOTES[reader.keySource === 'sample' && reader.member ? 'member' : reader.keySource],
    keyBanner: keyBannerHtml(reader),
    accountMenu: accountMenuHtml(reader, currentPath),
    // Pages that name objects look the real ids up (see object-ids.ts).
    ...OBJECT_ID_PLACEHOLDERS,
  };
}
