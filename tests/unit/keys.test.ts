import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KEY_BODY_LENGTH, generateKey, isKeyOfShape } from '../../src/lib/keys/format.ts';
import {
  checkSampleKey,
  decodeSampleKeys,
  encodeSampleKeys,
  isStale,
  newSampleKeys,
} from '../../src/lib/keys/sample-keys.ts';

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
  const secret = randomBytes(32);
  const DAY = 24 * 60 * 60 * 1000;

  it('are a test secret and a test publishable key, different for each visitor', () => {
    const first = newSampleKeys(secret);
    const second = newSampleKeys(secret);
    expect(first.secretKey).toMatch(/^sk_test_[0-9A-Za-z]{24}$/);
    expect(first.publishableKey).toMatch(/^pk_test_[0-9A-Za-z]{24}$/);
    expect(first.secretKey).not.toBe(second.secretKey);
  });

  it('verify, and the secret key alone names the whole pair', () => {
    const now = Date.UTC(2026, 5, 1, 12, 30, 45);
    const keys = newSampleKeys(secret, now);
    const check = checkSampleKey(secret, keys.secretKey);
    expect(check).toEqual({
      ok: true,
      key: { kind: 'secret', issuedAt: Date.UTC(2026, 5, 1, 12, 30), pair: keys },
    });
    expect(checkSampleKey(secret, keys.publishableKey)).toEqual({
      ok: true,
      key: { kind: 'publishable', issuedAt: Date.UTC(2026, 5, 1, 12, 30), pair: null },
    });
    // The publishable key gives nothing of the secret one away.
    expect(keys.publishableKey.slice(13, 23)).not.toBe(keys.secretKey.slice(13, 23));
  });

  it('made by an earlier release with the same secret still verify: the tag function is fixed', () => {
    // Copied keys outlive a deploy (the secret is in the database), so the tag must not change.
    // This pair was made by newSampleKeys with this secret at 2026-12-01 12:00 UTC.
    const pair = {
      secretKey: 'sk_test_21bZgWtvLPtT5lyRPwG0fEt7',
      publishableKey: 'pk_test_21bZgOtZEUuVoHRIuBiLr5D5',
    };
    expect(checkSampleKey(Buffer.alloc(32, 7), pair.secretKey)).toEqual({
      ok: true,
      key: { kind: 'secret', issuedAt: Date.UTC(2026, 11, 1, 12, 0), pair },
    });
  });

  it("refuse a changed character, another site's secret, and other shapes", () => {
    const { secretKey } = newSampleKeys(secret);
    const last = secretKey.at(-1) === 'a' ? 'b' : 'a';
    expect(checkSampleKey(secret, secretKey.slice(0, -1) + last)).toEqual({ ok: false, reason: 'forged' });
    const changedTime = secretKey.slice(0, 8) + (secretKey[8] === '1' ? '2' : '1') + secretKey.slice(9);
    expect(checkSampleKey(secret, changedTime)).toEqual({ ok: false, reason: 'forged' });
    expect(checkSampleKey(randomBytes(32), secretKey)).toEqual({ ok: false, reason: 'forged' });
    expect(checkSampleKey(secret, `rk_test_${secretKey.slice(8)}`)).toEqual({
      ok: false,
      reason: 'not-sample',
    });
    expect(checkSampleKey(secret, `${secretKey}0`)).toEqual({ ok: false, reason: 'not-sample' });
  });

  it('are stale a day after their page view', () => {
    const now = Date.now();
    const issuedAt = decodeSampleKeys(secret, newSampleKeys(secret, now).secretKey)!.issuedAt;
    expect(isStale(issuedAt, now + DAY - 60_000)).toBe(false);
    expect(isStale(issuedAt, now + DAY + 60_000)).toBe(true);
  });

  it('round-trip through the cookie value', () => {
    const keys = newSampleKeys(secret, 1_800_000_000_000);
    expect(decodeSampleKeys(secret, encodeSampleKeys(keys))).toEqual({ keys, issuedAt: 1_800_000_000_000 });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['unsigned', 'sk_test_aaaaaaaaaaaaaaaaaaaaaaaa'],
    ['old two-key', 'sk_test_aaaaaaaaaaaaaaaaaaaaaaaa.pk_test_aaaaaaaaaaaaaaaaaaaaaaaa'],
    // Built at run time, so no live-key-shaped string sits in the repository.
    ['live secret', `${'sk_live_'}${'a'.repeat(24)}`],
    ['markup', 'sk_test_aaaaaaaaaaaaaaa<script>'],
  ])('ignore a %s cookie', (_case, value) => {
    expect(decodeSampleKeys(secret, value)).toBeNull();
  });

  it('ignore a publishable key in the cookie', () => {
    expect(decodeSampleKeys(secret, newSampleKeys(secret).publishableKey)).toBeNull();
  });
});
