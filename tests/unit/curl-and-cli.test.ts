import { describe, expect, it } from 'vitest';
import { resolveApiCall, ApiCallError } from '../../src/isomorphic/resolve-call.ts';
import { curl } from '../../src/lib/snippets/languages/curl.ts';
import { cli } from '../../src/lib/snippets/languages/cli.ts';
import { formPairs, shellQuote } from '../../src/lib/snippets/languages/form-pairs.ts';

const create = resolveApiCall('POST', '/v1/customers', {
  email: 'jenny.rosen@example.com',
  name: 'Jenny Rosen',
  metadata: { order_id: '6735' },
});

describe('form pairs', () => {
  it('use Stripe bracket notation for nested params and lists', () => {
    expect(
      formPairs({ metadata: { order_id: '6735' }, expand: ['a', 'b'], address: { city: 'Paris' }, limit: 3 }),
    ).toEqual([
      ['metadata[order_id]', '6735'],
      ['expand[]', 'a'],
      ['expand[]', 'b'],
      ['address[city]', 'Paris'],
      ['limit', '3'],
    ]);
  });
});

describe('shell quoting', () => {
  it.each([
    ['plain', 'plain'],
    ['Jenny Rosen', '"Jenny Rosen"'],
    ['metadata[a]=1', '"metadata[a]=1"'],
    ["O'Brien", `"O'Brien"`],
    ['say "hi" $HOME', `'say "hi" $HOME'`],
    [`it's "x"`, `'it'\\''s "x"'`],
    ['', '""'],
  ])('quotes %j as %s', (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });
});

describe('curl', () => {
  it('sends Basic auth and form pairs exactly as the sandbox decodes them', () => {
    expect(curl(create)).toMatchSnapshot();
    expect(curl(create)).toContain('-u {{SECRET_KEY}}:');
    expect(curl(create)).toContain('-d "metadata[order_id]=6735"');
    expect(curl(create)).toContain('--data-urlencode "name=Jenny Rosen"');
  });

  it('url-encodes values that -d would send raw', () => {
    const call = resolveApiCall('POST', '/v1/customers', { email: 'a+b@example.com', name: 'Zoë & co' });
    expect(curl(call)).toContain('--data-urlencode email=a+b@example.com');
    expect(curl(create)).toContain('-d email=jenny.rosen@example.com');
    expect(curl(call)).toContain('--data-urlencode "name=Zoë & co"');
  });

  it('puts GET params in the query string and uses -X DELETE for deletes', () => {
    const list = resolveApiCall('GET', '/v1/customers', { limit: 3, created: { gte: 1700000000 } });
    expect(curl(list)).toMatchSnapshot();
    expect(curl(list).startsWith('curl -G {{API_BASE}}/v1/customers')).toBe(true);
    const del = resolveApiCall('DELETE', '/v1/customers/cus_NffrFeUfNV2Hib');
    expect(curl(del).startsWith('curl -X DELETE {{API_BASE}}/v1/customers/cus_NffrFeUfNV2Hib')).toBe(true);
    const retrieve = resolveApiCall('GET', '/v1/customers/cus_NffrFeUfNV2Hib');
    expect(curl(retrieve)).toBe('curl {{API_BASE}}/v1/customers/cus_NffrFeUfNV2Hib \\\n  -u {{SECRET_KEY}}:');
  });
});

describe('CLI', () => {
  it('uses flags for scalar params and -d for nested ones', () => {
    expect(cli(create)).toMatchSnapshot();
    expect(cli(create)).toContain('keyway customers create');
    expect(cli(create)).toContain('--name="Jenny Rosen"');
    expect(cli(create)).toContain('-d "metadata[order_id]=6735"');
    expect(cli(create)).toContain('--api-key {{SECRET_KEY}}');
  });

  it('names the object and writes underscores as dashes', () => {
    const update = resolveApiCall('POST', '/v1/customers/cus_NffrFeUfNV2Hib', { tax_exempt: 'none' });
    expect(cli(update).split(' \\\n  ').slice(0, 2)).toEqual([
      'keyway customers update cus_NffrFeUfNV2Hib',
      '--tax-exempt=none',
    ]);
  });
});

describe('resolving a described call', () => {
  it('finds the operation and the object id', () => {
    const call = resolveApiCall('get', '/v1/events/evt_123');
    expect(call.operation.resource).toBe('events');
    expect(call.operation.action).toBe('retrieve');
    expect(call.objectId).toBe('evt_123');
  });

  it('refuses an unknown path or parameter with a hint', () => {
    expect(() => resolveApiCall('POST', '/v1/charges')).toThrow(ApiCallError);
    expect(() => resolveApiCall('POST', '/v1/customers', { trial_period_days: 3 })).toThrow(
      /does not accept the parameter "trial_period_days"/,
    );
    expect(() => resolveApiCall('GET', '/v1/customers/../events')).toThrow(/No sandbox operation/);
  });
});
