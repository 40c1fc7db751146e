import type { ParamValue, Params } from '../../../isomorphic/api-call.ts';

/**
 * Flattens params into the bracket-notation pairs that Stripe's form encoding uses:
 * `metadata[order_id]`, `address[city]`, `expand[]`. The sandbox decodes exactly these.
 * Lists use `[]` (as Stripe's own docs do); the sandbox accepts `[n]` too.
 */
export function formPairs(params: Params): Array<[name: string, value: string]> {
  const pairs: Array<[string, string]> = [];
  const walk = (name: string, value: ParamValue) => {
    if (Array.isArray(value)) {
      for (const item of value) walk(`${name}[]`, item);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) walk(`${name}[${key}]`, inner);
    } else {
      pairs.push([name, String(value)]);
    }
  };
  for (const [name, value] of Object.entries(params)) walk(name, value);
  return pairs;
}

/** Characters that need no quoting in a POSIX shell word. */
const SHELL_BARE = /^[A-Za-z0-9_.,:/@%+=-]+$/;

/**
 * Quotes a word for a POSIX shell so that it reaches the program unchanged:
 * bare when safe, in double quotes when that needs no escapes, else in single quotes.
 */
export function shellQuote(word: string): string {
  if (SHELL_BARE.test(word)) return word;
  if (!/["$`\\!]/.test(word)) return `"${word}"`;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
