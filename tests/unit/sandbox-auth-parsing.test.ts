import { describe, expect, it } from 'vitest';
import type { AuthenticatedKey } from '../../src/lib/keys/api-keys.ts';
import { maskForLog, maskPresentedKey, presentedKey, requirePermission } from '../../src/sandbox/auth.ts';
import { SandboxError } from '../../src/sandbox/errors.ts';

/**
 * The sandbox's pure key handling: how a presented key is read from the Authorization
 * header, masked for messages and logs, and refused for a missing permission. Every
 * expected string is written out here, never built with the module's own helpers.
 */
const ORIGIN = 'https://docs.example.com';

function withAuthorization(value: string): Request {
  return new Request(`${ORIGIN}/v1/customers`, { headers: { authorization: value } });
}

/** The SandboxError a call throws, or a failure when it throws nothing or something else. */
function refusal(call: () => unknown): SandboxError {
  try {
    call();
  } catch (error) {
    if (error instanceof SandboxError) return error;
    throw error;
  }
  throw new Error('expected a SandboxError');
}

describe('masking a presented key', () => {
  it('keeps a known prefix and the last four characters, a star for each hidden one', () => {
    expect(maskPresentedKey('sk_test_abcdefgh')).toBe('sk_test_****efgh');
    expect(maskPresentedKey('rk_live_abcdefgh', 6)).toBe('rk_live_**cdefgh');
    expect(maskPresentedKey('acct_test_abcdefgh')).toBe('acct_test_****efgh');
  });

  it('hides every character of a key no longer than what would be shown', () => {
    expect(maskPresentedKey('sk_test_abcd')).toBe('sk_test_****');
    expect(maskPresentedKey('sk_test_ab')).toBe('sk_test_**');
    expect(maskPresentedKey('sk_test_')).toBe('sk_test_');
  });

  it('takes a prefix only at the start, of two to four letters', () => {
    expect(maskPresentedKey('abcdefgh')).toBe('****efgh');
    expect(maskPresentedKey('Xsk_test_abcd')).toBe('*********abcd');
    expect(maskPresentedKey('s_test_abcd')).toBe('*******abcd');
    expect(maskPresentedKey('abcde_test_abcd')).toBe('***********abcd');
    expect(maskPresentedKey('12_test_abcd')).toBe('********abcd');
    for (const key of ['abcdefgh', 'Xsk_test_abcd', 's_test_abcd', 'abcde_test_abcd', '12_test_abcd']) {
      expect(maskForLog(key), 'in the log too').toBe(`••••${key.slice(-4)}`);
    }
  });
});

describe('masking a key for the request log', () => {
  it('shows the prefix, four dots and the last four characters, whatever the length', () => {
    expect(maskForLog(`sk_test_${'a'.repeat(20)}wxyz`)).toBe('sk_test_••••wxyz');
    expect(maskForLog('rk_live_ab')).toBe('rk_live_••••e_ab');
  });
});

describe('the key an Authorization header presents', () => {
  const basic = (user: string) => `Basic ${Buffer.from(`${user}:`).toString('base64')}`;

  it('reads Bearer and Basic, in any case, and nothing when the header is absent', () => {
    expect(presentedKey(new Request(`${ORIGIN}/v1/customers`), ORIGIN)).toBeNull();
    expect(presentedKey(withAuthorization('Bearer sk_test_key'), ORIGIN)).toBe('sk_test_key');
    expect(presentedKey(withAuthorization('BEARER sk_test_key'), ORIGIN)).toBe('sk_test_key');
    expect(presentedKey(withAuthorization(basic('sk_test_key')), ORIGIN)).toBe('sk_test_key');
    expect(presentedKey(withAuthorization(basic('sk_test_key').replace('Basic', 'bAsIc')), ORIGIN)).toBe(
      'sk_test_key',
    );
  });

  it('trims whitespace the Fetch Headers leave in place, such as a no-break space', () => {
    expect(presentedKey(withAuthorization('\u00a0Bearer sk_test_key'), ORIGIN)).toBe('sk_test_key');
  });

  it('refuses a scheme that only contains Bearer or Basic', () => {
    for (const scheme of ['xBearer', 'Bearerx', 'xBasic', 'Basicx']) {
      const error = refusal(() => presentedKey(withAuthorization(`${scheme} sk_test_key`), ORIGIN));
      expect(error.status, scheme).toBe(401);
      expect(error.message, scheme).toMatch(/^Invalid Authorization header\./);
    }
  });
});

describe('a restricted key without the permission an operation needs', () => {
  const restricted = (permissions: AuthenticatedKey['permissions']): AuthenticatedKey => ({
    id: 'key_1',
    accountId: 'acct_1',
    mode: 'test',
    kind: 'restricted',
    permissions,
    lastUsedAt: null,
  });
  const presented = `rk_test_${'a'.repeat(18)}uvwxyz`;

  it('names the permission in the singular, for customers as for events', () => {
    const key = restricted({ customers: 'read', events: 'none' });
    expect(refusal(() => requirePermission(key, presented, 'customers', 'write')).message).toBe(
      `The provided key 'rk_test_${'*'.repeat(18)}uvwxyz' does not have the required permissions for this endpoint on account 'acct_1'. ` +
        "Having the 'rak_customer_write' permission would allow this request to continue.",
    );
    expect(refusal(() => requirePermission(key, presented, 'events', 'read')).message).toContain(
      "'rak_event_read'",
    );
    expect(() => requirePermission(key, presented, 'customers', 'read')).not.toThrow();
  });

  it('refuses with 403, not a crash, when the stored permissions could not be read', () => {
    const error = refusal(() => requirePermission(restricted(null), presented, 'customers', 'read'));
    expect(error.status).toBe(403);
    expect(error.message).toContain("'rak_customer_read'");
  });
});
