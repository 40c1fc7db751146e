import { describe, expect, it } from 'vitest';
import type { AuthenticatedKey } from '../../src/lib/keys/api-keys.ts';
import { maskKey, maskKeyParts } from '../../src/isomorphic/key-mask.ts';
import { presentedKey, requirePermission } from '../../src/sandbox/auth.ts';
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

describe('masking a key, one way everywhere', () => {
  it('keeps a known prefix, an ellipsis and the last four characters, whatever the length', () => {
    expect(maskKey('sk_test_abcdefgh')).toBe('sk_test_…efgh');
    expect(maskKey(`rk_live_${'a'.repeat(20)}wxyz`)).toBe('rk_live_…wxyz');
    expect(maskKey('acct_test_abcdefgh')).toBe('acct_test_…efgh');
    expect(maskKeyParts('pk_live_', 'AbCd')).toBe('pk_live_…AbCd');
  });

  it('shows no character of a key no longer than what would be shown', () => {
    expect(maskKey('sk_test_abcd')).toBe('sk_test_…');
    expect(maskKey('sk_test_ab')).toBe('sk_test_…');
    expect(maskKey('sk_test_')).toBe('sk_test_…');
  });

  it('takes a prefix only at the start, of two to four letters', () => {
    expect(maskKey('abcdefgh')).toBe('…efgh');
    expect(maskKey('Xsk_test_abcd')).toBe('…abcd');
    expect(maskKey('s_test_abcd')).toBe('…abcd');
    expect(maskKey('abcde_test_abcd')).toBe('…abcd');
    expect(maskKey('12_test_abcd')).toBe('…abcd');
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

  it('names the permission as the dashboard does, then as Stripe does, for customers as for events', () => {
    const key = restricted({ customers: 'read', events: 'none', webhook_endpoints: 'none' });
    expect(refusal(() => requirePermission(key, presented, 'customers', 'write')).message).toBe(
      "The provided key 'rk_test_…wxyz' needs Customers: Write for this endpoint on account 'acct_1', and has Customers: Read. " +
        "Give it Customers: Write on the API keys page of the dashboard, or use a key that has it (Stripe calls this permission 'rak_customer_write').",
    );
    expect(refusal(() => requirePermission(key, presented, 'events', 'read')).message).toMatch(
      /needs Events: Read .* has Events: None\. .*'rak_event_read'/,
    );
    expect(() => requirePermission(key, presented, 'customers', 'read')).not.toThrow();
  });

  it('refuses with 403, not a crash, when the stored permissions could not be read', () => {
    const error = refusal(() => requirePermission(restricted(null), presented, 'customers', 'read'));
    expect(error.status).toBe(403);
    expect(error.message).toContain("'rak_customer_read'");
  });
});
