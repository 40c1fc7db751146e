/**
 * What `keyway listen` takes on its command line about where events go: `--forward-to`, spelled
 * as the Stripe CLI accepts it, and `-H/--headers`. Shared by the terminal CLI and the docs' shell.
 */

/** A forward target or header list that cannot be used; the message says what would work. */
export class ForwardTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForwardTargetError';
  }
}

/**
 * `--forward-to` as the Stripe CLI reads it: a bare port (`3000`) is `http://localhost:3000`, a
 * path (`/hook`) is on `http://localhost`, and an address without a scheme gets `http://`.
 * Anything that is still not an http(s) URL is refused here, before a single event arrives.
 */
export function normalizeForwardTo(input: string): string {
  let target = input.trim();
  if (target === '')
    throw new ForwardTargetError('--forward-to needs a URL, such as localhost:3000/webhook.');
  if (/^\d+$/.test(target)) target = `localhost:${target}`;
  if (target.startsWith('/')) target = `localhost${target}`;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(target)?.[1];
  if (scheme === undefined) target = `http://${target}`;
  else if (!/^https?$/i.test(scheme)) {
    throw new ForwardTargetError(`--forward-to must be an http:// or https:// URL, not "${input}".`);
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new ForwardTargetError(`--forward-to "${input}" is not a URL, such as localhost:3000/webhook.`);
  }
  if (url.username || url.password) {
    throw new ForwardTargetError(
      `--forward-to "${input}" has a user name or password in it: pass credentials with -H "Authorization: …".`,
    );
  }
  return target;
}

/** An HTTP header name (RFC 9110 token). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers only this command may set: what a handler verifies must be what was signed. */
const RESERVED = new Set(['stripe-signature', 'content-length', 'host', 'transfer-encoding']);

/**
 * `-H "Key1: Value1, Key2: Value2"` as the Stripe CLI splits it: on commas, then at each
 * entry's first colon, trimmed. The signature and framing headers cannot be replaced.
 */
export function parseForwardHeaders(input: string): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  for (const entry of input.split(',')) {
    if (entry.trim() === '') continue;
    const colon = entry.indexOf(':');
    const name = colon < 0 ? entry.trim() : entry.slice(0, colon).trim();
    const value = colon < 0 ? '' : entry.slice(colon + 1).trim();
    if (colon < 0 || !TOKEN.test(name)) {
      throw new ForwardTargetError(
        `--headers takes "Key: Value" pairs separated by commas, such as -H "X-Env: dev, X-Team: web"; "${entry.trim()}" is not one.`,
      );
    }
    if (/[\r\n\0]/.test(value))
      throw new ForwardTargetError(`The value of header ${name} has a line break in it.`);
    if (RESERVED.has(name.toLowerCase())) {
      throw new ForwardTargetError(`--headers cannot set ${name}: keyway listen sets it for each event.`);
    }
    headers.push([name, value]);
  }
  return headers;
}
