import { createHmac, timingSafeEqual } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import { readerCache } from '../cache/reader-cache.ts';
import { KEY_ALPHABET } from '../ids.ts';
import { isKeyOfShape } from './format.ts';

/**
 * Sample keys: the test pair an anonymous reader sees in every sample. They carry proof that
 * this site issued them, so the sandbox can recognise one the first time it is used (however
 * the reader got it into their terminal) and only then create its guest sandbox; a page view
 * mints and verifies in memory and writes nothing.
 *
 * A key keeps the shape of every other key (`sk_test_` + 24 of `[0-9A-Za-z]`), so samples,
 * SDKs and patterns that know that shape need no change. The 24 characters are:
 *   - 5: the minute it was issued, since 1970 (base62 reaches far past any use of this site);
 *   - 10: random (about 59 bits), unique to the pair;
 *   - 9: the first bits of an HMAC-SHA256 over the prefix and the 15 characters before it,
 *     keyed with the site's secret (about 53 bits: forging one by trial means that many
 *     requests, each of which the sandbox refuses).
 * The publishable key's random part is an HMAC of the secret key's, so the secret key alone
 * names the whole pair (a reader who copies only it still gets both) while the publishable
 * key, which is public by design, says nothing about the secret one.
 */

/** The pair of test keys an anonymous reader sees in every sample during a visit. */
export interface SampleKeys {
  secretKey: string;
  publishableKey: string;
}

/** How long an unused sample key can start a guest sandbox: a day from the page view. */
export const SAMPLE_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

const MINUTE_MS = 60_000;
const ISSUED_LENGTH = 5;
const RANDOM_LENGTH = 10;
const TAG_LENGTH = 9;
const SECRET_PREFIX = 'sk_test_';
const PUBLISHABLE_PREFIX = 'pk_test_';

const randomPart = customAlphabet(KEY_ALPHABET, RANDOM_LENGTH);

/** A sample key this site issued, as its characters tell. */
export interface VerifiedSampleKey {
  kind: 'secret' | 'publishable';
  /** When its page view minted it (to the minute), in milliseconds. */
  issuedAt: number;
  /** The whole pair; present only when the secret key was the one verified. */
  pair: SampleKeys | null;
}

/** What a presented key turned out to be. */
export type SampleKeyCheck =
  | { ok: true; key: VerifiedSampleKey }
  /** Shaped like a test key, but its tag is not ours: mistyped, changed or made up. */
  | { ok: false; reason: 'forged' }
  /** Not shaped like a sample key at all. */
  | { ok: false; reason: 'not-sample' };

/** A fresh pair, issued now; nothing is stored. */
export function newSampleKeys(secret: Buffer, now = Date.now()): SampleKeys {
  const issued = toBase62(BigInt(Math.floor(now / MINUTE_MS)), ISSUED_LENGTH);
  return pairFrom(secret, issued, randomPart());
}

/** A key found to be ours, kept with the site secret it was checked against. */
interface CachedCheck {
  secret: Buffer;
  check: SampleKeyCheck & { ok: true };
}

/**
 * Works out what a presented key is; the tag is compared in constant time. A key found to be
 * ours is kept in the reader cache, so a reader's later page views and requests skip the four
 * HMACs: its answer cannot change (the issue time it carries is judged by the caller). Keys
 * found forged are not kept, so made-up keys cannot fill the cache.
 */
export function checkSampleKey(secret: Buffer, key: string): SampleKeyCheck {
  const cache = readerCache();
  const hit = cache?.get(`sample:${key}`) as CachedCheck | undefined;
  if (hit && (hit.secret === secret || hit.secret.equals(secret))) return hit.check;
  const check = verifySampleKey(secret, key);
  if (check.ok && cache) {
    const entry: CachedCheck = { secret, check };
    cache.set(`sample:${key}`, entry);
  }
  return check;
}

function verifySampleKey(secret: Buffer, key: string): SampleKeyCheck {
  const prefix = isKeyOfShape(key, SECRET_PREFIX)
    ? SECRET_PREFIX
    : isKeyOfShape(key, PUBLISHABLE_PREFIX)
      ? PUBLISHABLE_PREFIX
      : null;
  if (!prefix) return { ok: false, reason: 'not-sample' };
  const body = key.slice(prefix.length);
  const signed = body.slice(0, ISSUED_LENGTH + RANDOM_LENGTH);
  const expected = Buffer.from(tag(secret, prefix, signed));
  if (!timingSafeEqual(expected, Buffer.from(body.slice(signed.length)))) {
    return { ok: false, reason: 'forged' };
  }
  const issued = signed.slice(0, ISSUED_LENGTH);
  const issuedAt = Number(fromBase62(issued)) * MINUTE_MS;
  const pair = prefix === SECRET_PREFIX ? pairFrom(secret, issued, signed.slice(ISSUED_LENGTH)) : null;
  return { ok: true, key: { kind: pair ? 'secret' : 'publishable', issuedAt, pair } };
}

/** True when a sample key issued at `issuedAt` can no longer start a guest sandbox. */
export function isStale(issuedAt: number, now = Date.now()): boolean {
  return now - issuedAt > SAMPLE_KEY_LIFETIME_MS;
}

/** Cookie value: the secret key alone (it names the whole pair). */
export function encodeSampleKeys(keys: SampleKeys): string {
  return keys.secretKey;
}

/**
 * Reads a sample-key cookie. Anything that is not a secret sample key this site issued gives
 * null, so a forged or damaged value is replaced rather than shown.
 */
export function decodeSampleKeys(
  secret: Buffer,
  cookieValue: string | undefined,
): { keys: SampleKeys; issuedAt: number } | null {
  if (!cookieValue) return null;
  const check = checkSampleKey(secret, cookieValue);
  if (!check.ok || !check.key.pair) return null;
  return { keys: check.key.pair, issuedAt: check.key.issuedAt };
}

function pairFrom(secret: Buffer, issued: string, random: string): SampleKeys {
  const signedSecret = issued + random;
  const publishableRandom = toBase62(digestNumber(secret, `publishable:${signedSecret}`), RANDOM_LENGTH);
  const signedPublishable = issued + publishableRandom;
  return {
    secretKey: SECRET_PREFIX + signedSecret + tag(secret, SECRET_PREFIX, signedSecret),
    publishableKey:
      PUBLISHABLE_PREFIX + signedPublishable + tag(secret, PUBLISHABLE_PREFIX, signedPublishable),
  };
}

function tag(secret: Buffer, prefix: string, signed: string): string {
  return toBase62(digestNumber(secret, `tag:${prefix}${signed}`), TAG_LENGTH);
}

/** The first 128 bits of an HMAC-SHA256, as a number (far wider than what is kept of it). */
function digestNumber(secret: Buffer, message: string): bigint {
  return BigInt(`0x${createHmac('sha256', secret).update(message).digest('hex').slice(0, 32)}`);
}

/** The last `length` base62 digits of `value`, zero-padded. */
function toBase62(value: bigint, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = KEY_ALPHABET[Number(rest % 62n)]! + out;
    rest /= 62n;
  }
  return out;
}

function fromBase62(digits: string): bigint {
  let value = 0n;
  for (const digit of digits) value = value * 62n + BigInt(KEY_ALPHABET.indexOf(digit));
  return value;
}
