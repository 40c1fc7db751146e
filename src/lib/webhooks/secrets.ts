import { createHmac } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import { KEY_ALPHABET } from '../ids.ts';

const thirtyTwo = customAlphabet(KEY_ALPHABET, 32);

/** A new endpoint's signing secret: `whsec_` + 32 random characters from `[0-9A-Za-z]`. */
export const newEndpointSecret = (): string => `whsec_${thirtyTwo()}`;

/**
 * The signing secret `keyway listen` uses for an API key: derived, not stored, from the site's
 * secret and the key itself, so it is the same every time the key listens (a handler configured
 * with it keeps working across runs, as the Stripe CLI's does), differs for every key, and a
 * rolled key gets a new one. Docs pages show it beside the key it belongs to.
 */
export function listenSigningSecret(siteSecret: Buffer, apiKey: string): string {
  const digest = createHmac('sha256', siteSecret).update(`keyway listen signing secret\0${apiKey}`).digest();
  let body = '';
  for (const byte of digest.subarray(0, 24)) body += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  return `whsec_${body}`;
}
