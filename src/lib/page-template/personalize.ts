import type { KeywayConfig } from '../config/config.ts';
import { getDatabase } from '../db/index.ts';
import { sampleKeySecret } from '../keys/sample-key-secret.ts';
import { KEYS_SWITCHED_COOKIE, keysSwitchedCookie, parseCookies } from '../reader/cookies.ts';
import { apiOrigin } from '../http/api-origin.ts';
import { chooseLanguage, resolveReader, type Reader } from '../reader/reader.ts';
import { slotValues } from './slot-values.ts';
import type { LanguageId } from '../snippets/languages/index.ts';
import type { SlotValues } from './standins.ts';

/** What a request needs to be answered with a personalized page. */
export interface PageRequestFacts {
  url: URL;
  cookieHeader: string | null | undefined;
  hostHeader: string | null | undefined;
  /** The connection the reader used was HTTPS. */
  encrypted: boolean;
}

/** Everything about the reader a page response depends on, worked out once per request. */
export interface PagePersonalization {
  reader: Reader;
  language: LanguageId;
  /** Fills a cached template for this reader. */
  values: SlotValues;
  /** The origin samples call: PUBLIC_ORIGIN, or the one the reader used (a checked Host). */
  origin: URL;
  /** Cookies to set: a new sample-key pair, a refreshed session, a language from `?lang=`. */
  setCookies: string[];
  secure: boolean;
}

/** Cookies are `Secure` when the reader came over HTTPS or the public origin is HTTPS. */
export function isSecureRequest(config: KeywayConfig, encrypted: boolean): boolean {
  return encrypted || config.publicOrigin?.protocol === 'https:';
}

/**
 * Shared by Astro's middleware and the cached-page server, so both personalize a page the
 * same way. A signed-in reader costs one database query (see validateSessionToken).
 */
export async function personalizePage(
  config: KeywayConfig,
  facts: PageRequestFacts,
): Promise<PagePersonalization> {
  const secure = isSecureRequest(config, facts.encrypted);
  const cookies = parseCookies(facts.cookieHeader);
  const { db } = await getDatabase(config.database);
  const secret = await sampleKeySecret(db, config.sampleKeySecret);
  const { reader, setCookies } = await resolveReader(cookies, secure, db, secret);
  const { language, setCookie } = chooseLanguage(facts.url, cookies, secure);
  const origin = apiOrigin(config.publicOrigin, facts.hostHeader, facts.encrypted);
  // Only a docs page shows the keys-switched notice, so only a docs page uses the mark up.
  const keysSwitched = cookies[KEYS_SWITCHED_COOKIE] === '1' && facts.url.pathname.startsWith('/docs/');
  const cookiesToSet = [...setCookies, ...(setCookie ? [setCookie] : [])];
  if (keysSwitched) cookiesToSet.push(keysSwitchedCookie(false, secure));
  return {
    reader,
    language,
    values: slotValues(reader, origin, secret, facts.url.pathname, keysSwitched),
    origin,
    setCookies: cookiesToSet,
    secure,
  };
}
