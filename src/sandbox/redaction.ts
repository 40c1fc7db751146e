import type { Decoded, DecodedValue } from './params.ts';

/**
 * Keys, passwords and card numbers never reach the request log or a live notice, wherever a
 * request carries them: a parameter's value or name, the path, a logged header, or the
 * response that echoes them. Every place goes through the functions here.
 */

/**
 * A secret or restricted key, or a webhook signing secret (`whsec_…`, which a webhook endpoint's
 * creation returns), anywhere in a text. No `\b` before it: in JSON text a key that follows a
 * newline comes after the escape `\n`, a word character, and must still match.
 */
const SECRET_VALUE = /(?:(?:sk|rk)_(?:test|live)_|whsec_)[0-9A-Za-z]{8,}/g;
const SECRET_NAME = /pass(?:word)?|secret|token|api_key|card\[number\]|cvc/i;

/**
 * A user name and password written into a URL (`https://user:pass@host/`): a webhook URL that
 * carries them is refused, but the refused request is logged, and they must not be in it.
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"]+@/gi;

/**
 * A text with every key cut to its prefix (`sk_test_[redacted]`, `whsec_[redacted]`) and the
 * credentials of any URL in it hidden (`https://[redacted]@host/`).
 */
export function redactText(text: string): string {
  return text
    .replace(SECRET_VALUE, (key) => `${key.slice(0, key.startsWith('whsec_') ? 6 : 8)}[redacted]`)
    .replace(URL_CREDENTIALS, '$1[redacted]@');
}

/** Decoded parameters with keys cut from names and values, and secret-named values hidden. */
export function redactParams(params: Decoded | null, path = ''): Decoded | null {
  if (!params) return null;
  const walk = (value: DecodedValue, name: string): DecodedValue => {
    if (typeof value === 'string') return SECRET_NAME.test(name) ? '[redacted]' : redactText(value);
    if (Array.isArray(value)) return value.map((item, index) => walk(item, `${name}[${index}]`));
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [redactText(key), walk(inner, `${name}[${key}]`)]),
    );
  };
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [
      redactText(key),
      walk(value, path ? `${path}[${key}]` : key),
    ]),
  );
}

/**
 * The same patterns without the global flag, to ask whether a text holds any (a global
 * pattern's `test` remembers where it stopped).
 */
const ANY_SECRET_VALUE = new RegExp(SECRET_VALUE.source);
const ANY_URL_CREDENTIALS = new RegExp(URL_CREDENTIALS.source, 'i');

/**
 * Whether a JSON text holds nothing redaction would cut. Every string and name of the value
 * is in its JSON text, and JSON escapes no character a key is made of, so a text that matches
 * neither pattern has no string that does. (An escape can make the text match where no
 * string does; then the value is walked, as before.)
 */
function cleanJsonText(text: string): boolean {
  return !ANY_SECRET_VALUE.test(text) && !ANY_URL_CREDENTIALS.test(text);
}

/**
 * Any JSON value (a response body) with keys cut from every string, names included. Most
 * bodies hold none, which one look at their JSON text tells: those come back as they are,
 * without the walk that cost a regular-expression pass per string on every logged request.
 */
export function redactJson(value: unknown): unknown {
  if (value && typeof value === 'object') {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch {
      // Not JSON (a cycle, a bigint): walk it.
    }
    if (text !== undefined && cleanJsonText(text)) return value;
  }
  return redactWalk(value);
}

function redactWalk(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactWalk);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [redactText(key), redactWalk(inner)]),
    );
  }
  return value;
}
