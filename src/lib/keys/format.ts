import { customAlphabet } from 'nanoid';
import { KEY_ALPHABET } from '../ids.ts';

/** How many random characters follow the prefix (24 chars = 142 bits). */
export const KEY_BODY_LENGTH = 24;

/** Every key prefix Keyway issues. */
export type KeyPrefix = 'sk_test_' | 'pk_test_' | 'sk_live_' | 'pk_live_' | 'rk_test_' | 'rk_live_';

/** nanoid's `customAlphabet` draws from `crypto.getRandomValues`, so keys are unguessable. */
const randomKeyBody = customAlphabet(KEY_ALPHABET, KEY_BODY_LENGTH);

/** A new random key with the given prefix, e.g. `sk_test_` + 24 characters. */
export function generateKey(prefix: KeyPrefix): string {
  return prefix + randomKeyBody();
}

/** True when `value` is exactly `prefix` followed by {@link KEY_BODY_LENGTH} key characters. */
export function isKeyOfShape(value: string, prefix: KeyPrefix): boolean {
  if (value.length !== prefix.length + KEY_BODY_LENGTH || !value.startsWith(prefix)) return false;
  return /^[0-9A-Za-z]+$/.test(value.slice(prefix.length));
}
