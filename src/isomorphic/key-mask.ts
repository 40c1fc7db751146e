/**
 * The one way Keyway shows a key it will not show whole: the prefix, an ellipsis and the last
 * four characters, `sk_test_…AbCd`. The dashboard, request logs, the walkthrough, sandbox
 * error messages and the try-it all use it, so a reader can match a key across them at a glance.
 */

/** `sk_test_`, `rk_live_`, `acct_test_`: what says which kind of key it is, never secret. */
const KEY_PREFIX = /^[a-z]{2,4}_(?:test|live)_/;

/** How many trailing characters a mask keeps: enough to tell keys apart, too few to guess from. */
const SHOWN = 4;

/** A key's mask from the parts stored with it: `maskKeyParts('sk_test_', 'AbCd')` is `sk_test_…AbCd`. */
export function maskKeyParts(prefix: string, lastFour: string): string {
  return `${prefix}…${lastFour}`;
}

/**
 * Masks a whole key, or whatever a request presented as one. A value too short to keep four
 * characters back shows none of them, so a mask never prints a short secret in full.
 */
export function maskKey(key: string): string {
  const prefix = KEY_PREFIX.exec(key)?.[0] ?? '';
  const rest = key.slice(prefix.length);
  return maskKeyParts(prefix, rest.length > SHOWN ? rest.slice(-SHOWN) : '');
}
