import { generateKey, isKeyOfShape } from './format.ts';

/** The pair of test keys an anonymous reader sees in every sample during a visit. */
export interface SampleKeys {
  secretKey: string;
  publishableKey: string;
}

/** A fresh, random pair for a visitor's first page view. */
export function newSampleKeys(): SampleKeys {
  return { secretKey: generateKey('sk_test_'), publishableKey: generateKey('pk_test_') };
}

/** Cookie value: the two keys joined by a dot (neither key contains one). */
export function encodeSampleKeys(keys: SampleKeys): string {
  return `${keys.secretKey}.${keys.publishableKey}`;
}

/**
 * Reads a sample-key cookie. Anything that is not exactly two well-formed test keys
 * gives null, so a forged or damaged value is replaced rather than shown.
 */
export function decodeSampleKeys(cookieValue: string | undefined): SampleKeys | null {
  if (!cookieValue) return null;
  const [secretKey, publishableKey, ...rest] = cookieValue.split('.');
  if (rest.length > 0 || !secretKey || !publishableKey) return null;
  if (!isKeyOfShape(secretKey, 'sk_test_') || !isKeyOfShape(publishableKey, 'pk_test_')) return null;
  return { secretKey, publishableKey };
}
