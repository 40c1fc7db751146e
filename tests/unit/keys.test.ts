import { describe, expect, it } from 'vitest';
import { KEY_BODY_LENGTH, generateKey, isKeyOfShape } from '../../src/lib/keys/format.ts';
import { decodeSampleKeys, encodeSampleKeys, newSampleKeys } from '../../src/lib/keys/sample-keys.ts';

describe('key generation', () => {
  it('gives the prefix followed by 24 characters from [0-9A-Za-z]', () => {
    for (const prefix of ['sk_test_', 'pk_test_', 'sk_live_', 'pk_live_', 'rk_test_', 'rk_live_'] as const) {
      const key = generateKey(prefix);
      expect(key).toMatch(new RegExp(`^${prefix}[0-9A-Za-z]{${KEY_BODY_LENGTH}}$`));
      expect(isKeyOfShape(key, prefix)).toBe(true);
    }
  });

  it('never repeats and uses the whole alphabet evenly', () => {
    const keys = Array.from({ length: 5000 }, () => generateKey('sk_test_'));
    expect(new Set(keys).size).toBe(keys.length);
    const counts = new Map<string, number>();
    for (const key of keys) for (const char of key.slice(8)) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // 120,000 characters over 62 symbols: about 1,935 each; a biased generator strays far.
    const expected = (keys.length * KEY_BODY_LENGTH) / 62;
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.15);
  });

  it('rejects values of the wrong shape', () => {
    const body = 'a'.repeat(KEY_BODY_LENGTH);
    expect(isKeyOfShape(`sk_test_${body}`, 'sk_test_')).toBe(true);
    expect(isKeyOfShape(`sk_live_${body}`, 'sk_test_')).toBe(false);
    expect(isKeyOfShape(`sk_test_${body}a`, 'sk_test_')).toBe(false);
    expect(isKeyOfShape(`sk_test_${'a'.repeat(23)}-`, 'sk_test_')).toBe(false);
    expect(isKeyOfShape(`sk_test_${'a'.repeat(23)}<`, 'sk_test_')).toBe(false);
  });
});

describe('sample keys', () => {
  it('are a test secret and a test publishable key, different for each visitor', () => {
    const first = newSampleKeys();
    const second = newSampleKeys();
    expect(first.secretKey).toMatch(/^sk_test_[0-9A-Za-z]{24}$/);
    expect(first.publishableKey).toMatch(/^pk_test_[0-9A-Za-z]{24}$/);
    expect(first.secretKey).not.toBe(second.secretKey);
  });

  it('round-trip through the cookie value', () => {
    const keys = newSampleKeys();
    expect(decodeSampleKeys(encodeSampleKeys(keys))).toEqual(keys);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['one key', 'sk_test_aaaaaaaaaaaaaaaaaaaaaaaa'],
    ['three parts', 'sk_test_aaaaaaaaaaaaaaaaaaaaaaaa.pk_test_aaaaaaaaaaaaaaaaaaaaaaaa.x'],
    // Built at run time, so no live-key-shaped string sits in the repository.
    ['live secret', `${'sk_live_'}${'a'.repeat(24)}.pk_test_${'a'.repeat(24)}`],
    ['swapped', 'pk_test_aaaaaaaaaaaaaaaaaaaaaaaa.sk_test_aaaaaaaaaaaaaaaaaaaaaaaa'],
    ['markup', 'sk_test_aaaaaaaaaaaaaaa<script>.pk_test_aaaaaaaaaaaaaaaaaaaaaaaa'],
  ])('ignore a %s cookie', (_case, value) => {
    expect(decodeSampleKeys(value)).toBeNull();
  });
});
