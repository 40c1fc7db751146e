/**
 * How the site names the key a request is sent with, in the same words everywhere a
 * reader meets it (the try-it, the shell, the docs): a guest's keys are sample keys, a
 * signed-in reader's are their test keys.
 */
export const KEY_WORDS = {
  sample: 'a sample key',
  account: 'your test key',
} as const;

/** Whose key the samples carry, as the page's `data-key-source` says. */
export type KeySource = keyof typeof KEY_WORDS;
