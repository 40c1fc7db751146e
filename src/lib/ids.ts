import { customAlphabet } from 'nanoid';

/** The characters that follow a key's prefix: `[0-9A-Za-z]`. */
export const KEY_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const randomIdBody = customAlphabet(KEY_ALPHABET, 16);

/** Kinds of object id Keyway makes, each `<prefix>_` + 16 random characters. */
export type IdPrefix = 'user' | 'acct' | 'key' | 'inv';

/** A new random id such as `acct_4fQ9zXw2LmP0aB7c`. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomIdBody()}`;
}
