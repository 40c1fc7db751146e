import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOKENS, type ApiCall, type Generator } from '../../src/isomorphic/api-call.ts';
import { resolveApiCall } from '../../src/isomorphic/resolve-call.ts';
import { node } from '../../src/lib/snippets/languages/node.ts';
import { python } from '../../src/lib/snippets/languages/python.ts';
import { ruby } from '../../src/lib/snippets/languages/ruby.ts';
import { php } from '../../src/lib/snippets/languages/php.ts';
import { go } from '../../src/lib/snippets/languages/go.ts';
import { java } from '../../src/lib/snippets/languages/java.ts';
import { dotnet } from '../../src/lib/snippets/languages/dotnet.ts';

const GENERATORS = { node, python, ruby, php, go, java, dotnet } satisfies Record<string, Generator>;
type Lang = keyof typeof GENERATORS;
const LANGS = Object.keys(GENERATORS) as Lang[];

const CUS = 'cus_NffrFeUfNV2Hib';
const EVT = 'evt_1NG8Du2eZvKYlo2CUI79vXWy';

const CALLS = {
  'customers create': resolveApiCall('POST', '/v1/customers', {
    email: 'jenny.rosen@example.com',
    name: 'Jenny Rosen',
    metadata: { order_id: '6735' },
  }),
  'customers create with address, locales, balance, expand': resolveApiCall('POST', '/v1/customers', {
    address: {
      line1: '510 Townsend St',
      city: 'San Francisco',
      state: 'CA',
      postal_code: '94103',
      country: 'US',
    },
    preferred_locales: ['en', 'es'],
    balance: -500,
    expand: ['invoice_settings.default_payment_method'],
  }),
  'customers retrieve': resolveApiCall('GET', `/v1/customers/${CUS}`),
  'customers update': resolveApiCall('POST', `/v1/customers/${CUS}`, {
    name: 'Jenny R.',
    metadata: { order_id: '' },
  }),
  'customers delete': resolveApiCall('DELETE', `/v1/customers/${CUS}`),
  'customers list': resolveApiCall('GET', '/v1/customers', { limit: 3, created: { gte: 1700000000 } }),
  'customers search': resolveApiCall('GET', '/v1/customers/search', {
    query: 'email~"example.com" AND metadata["plan"]:"pro"',
    limit: 3,
  }),
  'events retrieve': resolveApiCall('GET', `/v1/events/${EVT}`),
  'events list': resolveApiCall('GET', '/v1/events', { type: 'customer.*', limit: 5 }),
} satisfies Record<string, ApiCall>;
type CallName = keyof typeof CALLS;

/** The call each SDK must make, as it appears in the generated code. */
const METHOD_CALLS: Record<Lang, Record<CallName, string>> = {
  node: {
    'customers create': 'await stripe.customers.create({',
    'customers create with address, locales, balance, expand': 'await stripe.customers.create({',
    'customers retrieve': `await stripe.customers.retrieve('${CUS}');`,
    'customers update': `await stripe.customers.update('${CUS}', {`,
    'customers delete': `await stripe.customers.del('${CUS}');`,
    'customers list': 'await stripe.customers.list({',
    'customers search': 'await stripe.customers.search({',
    'events retrieve': `await stripe.events.retrieve('${EVT}');`,
    'events list': 'await stripe.events.list({',
  },
  python: {
    'customers create': 'stripe.Customer.create(\n',
    'customers create with address, locales, balance, expand': 'stripe.Customer.create(\n',
    'customers retrieve': `stripe.Customer.retrieve("${CUS}")`,
    'customers update': `stripe.Customer.modify(\n    "${CUS}",\n`,
    'customers delete': `stripe.Customer.delete("${CUS}")`,
    'customers list': 'stripe.Customer.list(\n',
    'customers search': 'stripe.Customer.search(\n',
    'events retrieve': `stripe.Event.retrieve("${EVT}")`,
    'events list': 'stripe.Event.list(\n',
  },
  ruby: {
    'customers create': 'client.v1.customers.create({',
    'customers create with address, locales, balance, expand': 'client.v1.customers.create({',
    'customers retrieve': `client.v1.customers.retrieve("${CUS}")`,
    'customers update': `client.v1.customers.update("${CUS}", {`,
    'customers delete': `client.v1.customers.delete("${CUS}")`,
    'customers list': 'client.v1.customers.list({',
    'customers search': 'client.v1.customers.search({',
    'events retrieve': `client.v1.events.retrieve("${EVT}")`,
    'events list': 'client.v1.events.list({',
  },
  php: {
    'customers create': '$stripe->customers->create([',
    'customers create with address, locales, balance, expand': '$stripe->customers->create([',
    'customers retrieve': `$stripe->customers->retrieve('${CUS}');`,
    'customers update': `$stripe->customers->update('${CUS}', [`,
    'customers delete': `$stripe->customers->delete('${CUS}');`,
    'customers list': '$stripe->customers->all([',
    'customers search': '$stripe->customers->search([',
    'events retrieve': `$stripe->events->retrieve('${EVT}');`,
    'events list': '$stripe->events->all([',
  },
  go: {
    'customers create': 'sc.V1Customers.Create(context.TODO(), params)',
    'customers create with address, locales, balance, expand':
      'sc.V1Customers.Create(context.TODO(), params)',
    'customers retrieve': `sc.V1Customers.Retrieve(context.TODO(), "${CUS}", nil)`,
    'customers update': `sc.V1Customers.Update(context.TODO(), "${CUS}", params)`,
    'customers delete': `sc.V1Customers.Delete(context.TODO(), "${CUS}", nil)`,
    'customers list': 'sc.V1Customers.List(context.TODO(), params)',
    'customers search': 'sc.V1Customers.Search(context.TODO(), params)',
    'events retrieve': `sc.V1Events.Retrieve(context.TODO(), "${EVT}", nil)`,
    'events list': 'sc.V1Events.List(context.TODO(), params)',
  },
  java: {
    'customers create': 'Customer customer = client.v1().customers().create(params);',
    'customers create with address, locales, balance, expand':
      'Customer customer = client.v1().customers().create(params);',
    'customers retrieve': `Customer customer = client.v1().customers().retrieve("${CUS}");`,
    'customers update': `Customer customer = client.v1().customers().update("${CUS}", params);`,
    'customers delete': `Customer deleted = client.v1().customers().delete("${CUS}");`,
    'customers list': 'StripeCollection<Customer> customers = client.v1().customers().list(params);',
    'customers search': 'StripeSearchResult<Customer> customers = client.v1().customers().search(params);',
    'events retrieve': `Event event = client.v1().events().retrieve("${EVT}");`,
    'events list': 'StripeCollection<Event> events = client.v1().events().list(params);',
  },
  dotnet: {
    'customers create': 'Customer customer = client.V1.Customers.Create(options);',
    'customers create with address, locales, balance, expand':
      'Customer customer = client.V1.Customers.Create(options);',
    'customers retrieve': `Customer customer = client.V1.Customers.Get("${CUS}");`,
    'customers update': `Customer customer = client.V1.Customers.Update("${CUS}", options);`,
    'customers delete': `Customer deleted = client.V1.Customers.Delete("${CUS}");`,
    'customers list': 'StripeList<Customer> customers = client.V1.Customers.List(options);',
    'customers search': 'StripeSearchResult<Customer> customers = client.V1.Customers.Search(options);',
    'events retrieve': `Event stripeEvent = client.V1.Events.Get("${EVT}");`,
    'events list': 'StripeList<Event> events = client.V1.Events.List(options);',
  },
};

/** The quote each SDK's strings use in the samples (PHP and Node prefer single quotes). */
const QUOTE: Record<Lang, string> = {
  node: "'",
  python: '"',
  ruby: '"',
  php: "'",
  go: '"',
  java: '"',
  dotnet: '"',
};

const quoted = (lang: Lang, text: string) => QUOTE[lang] + text + QUOTE[lang];

/** How the client learns this site's address: stripe-node takes host/port/protocol apart. */
const BASE_TOKENS: Record<Lang, string[]> = {
  node: [TOKENS.apiHost, TOKENS.apiPort, TOKENS.apiProtocol],
  python: [TOKENS.apiBase],
  ruby: [TOKENS.apiBase],
  php: [TOKENS.apiBase],
  go: [TOKENS.apiBase],
  java: [TOKENS.apiBase],
  dotnet: [TOKENS.apiBase],
};

/** Shapes specific to the typed SDKs (and a few dynamic ones) worth pinning outright. */
const PARAM_SHAPES: Partial<Record<Lang, Partial<Record<CallName, string[]>>>> = {
  python: {
    'customers create': ['metadata={"order_id": "6735"},'],
    'customers list': ['limit=3,', 'created={"gte": 1700000000},'],
  },
  ruby: { 'customers update': ['metadata: { order_id: "" },'] },
  php: { 'customers update': ["'metadata' => ['order_id' => ''],"] },
  go: {
    'customers create': [
      '\t\tEmail:    stripe.String("jenny.rosen@example.com"),',
      '\t\tMetadata: map[string]string{"order_id": "6735"},',
    ],
    'customers create with address, locales, balance, expand': [
      '\t\tAddress: &stripe.AddressParams{',
      '\t\t\tPostalCode: stripe.String("94103"),',
      '\t\tPreferredLocales: []*string{stripe.String("en"), stripe.String("es")},',
      '\t\tBalance:          stripe.Int64(-500),',
    ],
    'customers update': ['Metadata: map[string]string{"order_id": ""},'],
    'customers list': [
      'CreatedRange: &stripe.RangeQueryParams{GreaterThanOrEqual: 1700000000},',
      'params.Limit = stripe.Int64(3)',
      'customers.Data()',
    ],
    'events list': ['Type: stripe.String("customer.*"),', 'params.Limit = stripe.Int64(5)'],
    'customers search': [
      'params := &stripe.CustomerSearchParams{}',
      'params.Query = "email~\\"example.com\\" AND metadata[\\"plan\\"]:\\"pro\\""',
      'params.Limit = stripe.Int64(3)',
      'customers.Data()',
    ],
  },
  java: {
    'customers create': ['.putMetadata("order_id", "6735")', 'import com.stripe.param.CustomerCreateParams;'],
    'customers create with address, locales, balance, expand': [
      '.setAddress(CustomerCreateParams.Address.builder()',
      '.setPostalCode("94103")',
      '.addPreferredLocale("en")',
      '.setBalance(-500L)',
      '.addExpand("invoice_settings.default_payment_method")',
    ],
    'customers update': ['.putMetadata("order_id", "")'],
    'customers list': [
      '.setLimit(3L)',
      '.setCreated(CustomerListParams.Created.builder()',
      '.setGte(1700000000L)',
    ],
    'events list': ['.setType("customer.*")', '.setLimit(5L)'],
    'customers search': [
      'import com.stripe.model.StripeSearchResult;',
      'import com.stripe.param.CustomerSearchParams;',
      '.setQuery("email~\\"example.com\\" AND metadata[\\"plan\\"]:\\"pro\\"")',
      '.setLimit(3L)',
    ],
  },
  dotnet: {
    'customers create': ['Metadata = new Dictionary<string, string> { { "order_id", "6735" } },'],
    'customers create with address, locales, balance, expand': [
      'Address = new AddressOptions',
      'PostalCode = "94103",',
      'PreferredLocales = new List<string> { "en", "es" },',
      'Balance = -500,',
    ],
    'customers update': ['Metadata = new Dictionary<string, string> { { "order_id", "" } },'],
    'customers list': [
      'Limit = 3,',
      'Created = new DateRangeOptions',
      'GreaterThanOrEqual = DateTimeOffset.FromUnixTimeSeconds(1700000000).UtcDateTime,',
    ],
    'customers search': [
      'var options = new CustomerSearchOptions',
      'Query = "email~\\"example.com\\" AND metadata[\\"plan\\"]:\\"pro\\"",',
      'Limit = 3,',
    ],
  },
};

/** Runs `node --check` on a generated Node module; returns stderr ('' when it parses). */
function nodeSyntaxErrors(code: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'snippet-')), 'sample.mjs');
  writeFileSync(file, code);
  return spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' }).stderr;
}

const HAS_PYTHON = spawnSync('python3', ['--version']).status === 0;

function pythonSyntaxErrors(code: string): string {
  const run = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], {
    input: code,
    encoding: 'utf8',
  });
  return run.stderr;
}

describe.each(LANGS)('%s sample generator', (lang) => {
  const generate = GENERATORS[lang];

  describe.each(Object.keys(CALLS) as CallName[])('%s', (name) => {
    const code = generate(CALLS[name]);

    it('matches the snapshot', () => {
      expect(code).toMatchSnapshot();
    });

    it('configures the client with the key and base-URL tokens inside string literals', () => {
      expect(code).toContain(quoted(lang, TOKENS.secretKey));
      for (const token of BASE_TOKENS[lang]) expect(code).toContain(quoted(lang, token));
      // Every token is a whole string literal, so replacing it can never break the syntax.
      const tokens = code.match(/\{\{[A-Z_]+\}\}/g) ?? [];
      const literals = code.match(/(["'])\{\{[A-Z_]+\}\}\1/g) ?? [];
      expect(literals).toHaveLength(tokens.length);
      expect(code).not.toMatch(/\b[sr]k_(live|test)_/);
    });

    it('makes the right call for the SDK', () => {
      expect(code).toContain(METHOD_CALLS[lang][name]);
      for (const shape of PARAM_SHAPES[lang]?.[name] ?? []) expect(code).toContain(shape);
    });

    it('has no trailing whitespace or final newline, and tabs only in Go', () => {
      expect(code).not.toMatch(/[ \t]+$/m);
      expect(code.endsWith('\n')).toBe(false);
      if (lang !== 'go') expect(code).not.toContain('\t');
      else expect(code).not.toMatch(/^ +/m);
    });
  });

  describe('string escaping', () => {
    const tricky = `O'Brien "Jr" \\ é`;
    const expected: Record<Lang, string> = {
      node: `'O\\'Brien "Jr" \\\\ é'`,
      php: `'O\\'Brien "Jr" \\\\ é'`,
      python: `"O'Brien \\"Jr\\" \\\\ é"`,
      ruby: `"O'Brien \\"Jr\\" \\\\ é"`,
      go: `"O'Brien \\"Jr\\" \\\\ é"`,
      java: `"O'Brien \\"Jr\\" \\\\ é"`,
      dotnet: `"O'Brien \\"Jr\\" \\\\ é"`,
    };

    it('escapes quotes and backslashes and keeps unicode as is', () => {
      const code = generate(resolveApiCall('POST', '/v1/customers', { name: tricky }));
      expect(code).toContain(expected[lang]);
    });

    it('escapes newlines, interpolation and invisible characters', () => {
      const text = 'Line 1\nsays #{hi} for $5 \u202E!';
      const expectedText: Record<Lang, string> = {
        node: `'Line 1\\nsays #{hi} for $5 \\u202E!'`,
        python: `"Line 1\\nsays #{hi} for $5 \\u202E!"`,
        // `#{` would interpolate in a Ruby double-quoted string, `$5` in a PHP one.
        ruby: `"Line 1\\nsays \\#{hi} for $5 \\u202E!"`,
        php: `"Line 1\\nsays #{hi} for \\$5 \\u{202E}!"`,
        go: `"Line 1\\nsays #{hi} for $5 \\u202E!"`,
        java: `"Line 1\\nsays #{hi} for $5 \\u202E!"`,
        dotnet: `"Line 1\\nsays #{hi} for $5 \\u202E!"`,
      };
      const code = generate(resolveApiCall('POST', `/v1/customers/${CUS}`, { description: text }));
      expect(code).toContain(expectedText[lang]);
      expect(code).not.toContain('\u202E');
    });

    it('escapes metadata keys and values', () => {
      const code = generate(resolveApiCall('POST', '/v1/customers', { metadata: { 'note-1': tricky } }));
      expect(code).toContain(expected[lang]);
      expect(code).toMatch(/["']note-1["']/);
    });
  });

  it('renders empty strings the way the SDK unsets a field', () => {
    const code = generate(resolveApiCall('POST', `/v1/customers/${CUS}`, { description: '', metadata: '' }));
    const expected: Record<Lang, string[]> = {
      node: ["description: '',", "metadata: '',"],
      python: ['description="",', 'metadata="",'],
      ruby: ['description: "",', 'metadata: "",'],
      php: ["'description' => '',", "'metadata' => '',"],
      go: [
        'Description: stripe.String(""),',
        'params.AddUnsetField(stripe.CustomerUpdateParamsUnsetFieldMetadata)',
      ],
      java: [
        '.setDescription("")',
        '.setMetadata(EmptyParam.EMPTY)',
        'import com.stripe.param.common.EmptyParam;',
      ],
      dotnet: ['Description = "",', 'Metadata = null,'],
    };
    for (const part of expected[lang]) expect(code).toContain(part);
  });
});

describe('generated programs parse', () => {
  it.each(Object.keys(CALLS) as CallName[])('node: %s', (name) => {
    expect(nodeSyntaxErrors(node(CALLS[name]))).toBe('');
  });

  it.skipIf(!HAS_PYTHON).each(Object.keys(CALLS) as CallName[])('python: %s', (name) => {
    expect(pythonSyntaxErrors(python(CALLS[name]))).toBe('');
  });
});

describe('Java enums come from the declaration', () => {
  it('sets a parameter with a fixed set of values through its enum, and clears it with EmptyParam', () => {
    const set = java(resolveApiCall('POST', `/v1/customers/${CUS}`, { tax_exempt: 'exempt' }));
    expect(set).toContain('.setTaxExempt(CustomerUpdateParams.TaxExempt.EXEMPT)');
    const cleared = java(resolveApiCall('POST', `/v1/customers/${CUS}`, { tax_exempt: '' }));
    expect(cleared).toContain('.setTaxExempt(EmptyParam.EMPTY)');
    // A free-text parameter is a plain string.
    expect(java(resolveApiCall('POST', '/v1/customers', { name: 'exempt' }))).toContain('.setName("exempt")');
  });
});
