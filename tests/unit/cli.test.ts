import { describe, expect, it } from 'vitest';
import { CliError, parseCommand, tokenize } from '../../src/isomorphic/command-line/parse.ts';
import { completions } from '../../src/isomorphic/command-line/complete.ts';
import { helpText } from '../../src/isomorphic/command-line/help.ts';
import {
  REQUEST_SOURCES,
  requestSourceOf,
  type RequestSource,
} from '../../src/isomorphic/command-line/request-source.ts';
import { sendCliRequest } from '../../src/isomorphic/command-line/send.ts';
import { cli } from '../../src/lib/snippets/languages/cli.ts';
import { resolveApiCall } from '../../src/isomorphic/resolve-call.ts';
import { formPairs } from '../../src/lib/snippets/languages/form-pairs.ts';

const request = (line: string) => {
  const command = parseCommand(line);
  if (command.kind !== 'request') throw new Error(`not a request: ${command.kind}`);
  return command.request;
};

describe('quoting, as a POSIX shell reads it', () => {
  it.each([
    [`--name="Jane Smith"`, ['--name=Jane Smith']],
    [`--name='O"Brien'`, ['--name=O"Brien']],
    [`--name="say \\"hi\\""`, ['--name=say "hi"']],
    [`--name=Jane\\ Smith`, ['--name=Jane Smith']],
    [`-d "metadata[order]=6735"`, ['-d', 'metadata[order]=6735']],
    [`'it'\\''s'`, [`it's`]],
    [`--price=$5`, ['--price=$5']],
    [`a \\\n  b`, ['a', 'b']],
    [`a # a comment`, ['a']],
  ])('%s', (line, words) => {
    expect(tokenize(line)).toEqual(words);
  });

  it('refuses pipes and redirections, and unclosed quotes', () => {
    expect(() => tokenize('customers list | grep x')).toThrow(/one command at a time: "\|"/);
    expect(() => tokenize('customers list > out')).toThrow(CliError);
    expect(() => tokenize(`--name="Jane`)).toThrow(/unclosed quote/);
  });
});

describe('commands', () => {
  it('reads the create command the docs show, with flags and -d pairs', () => {
    expect(
      request(
        `keyway customers create --email=jane@example.com --name="Jane Smith" --description="My first customer" -d "metadata[order]=6735"`,
      ),
    ).toEqual({
      method: 'POST',
      path: '/v1/customers',
      pairs: [
        ['email', 'jane@example.com'],
        ['name', 'Jane Smith'],
        ['description', 'My first customer'],
        ['metadata[order]', '6735'],
      ],
    });
  });

  it('accepts stripe as the program name, or none', () => {
    expect(request('stripe customers list --limit=3')).toEqual(request('customers list --limit 3'));
  });

  it('puts the id in the path and reads dashed flags as underscored params', () => {
    expect(request('customers update cus_123 --tax-exempt=none')).toEqual({
      method: 'POST',
      path: '/v1/customers/cus_123',
      pairs: [['tax_exempt', 'none']],
    });
    expect(request('customers delete cus_123').method).toBe('DELETE');
    expect(request('events retrieve evt_1').path).toBe('/v1/events/evt_1');
  });

  it('takes --api-key and --api-base apart from the parameters', () => {
    expect(request('customers list --api-key sk_test_x --api-base=http://127.0.0.1:4000')).toEqual({
      method: 'GET',
      path: '/v1/customers',
      pairs: [],
      apiKey: 'sk_test_x',
      apiBase: 'http://127.0.0.1:4000',
    });
  });

  it('reads generic get, post and delete with -d pairs', () => {
    expect(request('get /v1/customers -d limit=3')).toEqual({
      method: 'GET',
      path: '/v1/customers',
      pairs: [['limit', '3']],
    });
    expect(request('post customers -d email=a@b.co').path).toBe('/v1/customers');
    expect(request('delete /v1/customers/cus_1').method).toBe('DELETE');
  });

  it('knows help, clear and empty lines', () => {
    expect(parseCommand('help customers create')).toEqual({ kind: 'help', topic: ['customers', 'create'] });
    expect(parseCommand('clear')).toEqual({ kind: 'clear' });
    expect(parseCommand('   ')).toEqual({ kind: 'empty' });
  });
});

describe('mistakes get the closest valid word', () => {
  it.each([
    ['custmers list', 'Unknown command "custmers". Did you mean customers?'],
    ['customers craete', 'Unknown action "craete" for customers. Did you mean create?'],
    [
      'customers create --emial=a@b.co',
      'Unknown parameter --emial for customers create. Did you mean --email?',
    ],
    [
      'customers create -d "metdata[a]=1"',
      'Unknown parameter metdata[a] for customers create. Did you mean metadata?',
    ],
    ['customers retrieve', 'customers retrieve needs the id of the object: keyway customers retrieve cus_…'],
    ['customers create --name Jane Smith', 'Unexpected "Smith".'],
    ['customers create -d novalue', '-d takes name=value'],
    ['customers create --name', '--name needs a value'],
    ['get /v1/customers --limit=3', 'get takes parameters as -d "name=value", not --limit.'],
  ])('%s', (line, message) => {
    expect(() => parseCommand(line)).toThrow(message);
  });
});

describe('paths stay inside the sandbox API', () => {
  const outside = 'leads outside the sandbox API (/v1)';
  it.each([
    ['get /v1/../x', outside],
    ['get /v1/customers/../../admin', outside],
    ['get /v1/%2e%2e/x', outside],
    ['get /v1/%2E./x', outside],
    ['get ../x', outside],
    ['delete /v1/customers/.', outside],
    ['customers retrieve ..', outside],
    ["get '/v1\\..\\x'", 'has a backslash'],
    ['get "\\\\evil.example\\x"', 'has a backslash'],
    ['get http://evil.example/v1/customers', 'Give the path alone, such as /v1/customers'],
    ['get //evil.example/v1/customers', 'Give the path alone'],
    ['post HTTPS://evil.example/', 'Give the path alone'],
  ])('refuses %s', (line, message) => {
    expect(() => parseCommand(line)).toThrow(CliError);
    expect(() => parseCommand(line)).toThrow(message);
  });

  it('still takes ids and paths with dots that are not segments of their own', () => {
    expect(request('get /v1/customers/cus_1.2').path).toBe('/v1/customers/cus_1.2');
    expect(request('customers retrieve cus_..1').path).toBe('/v1/customers/cus_..1');
  });
});

describe('the CLI tab of every sample', () => {
  it('parses into the same request the sample describes', () => {
    const call = resolveApiCall('POST', '/v1/customers', {
      email: 'jenny.rosen@example.com',
      name: 'Jenny Rosen',
      metadata: { order_id: '6735' },
      preferred_locales: ['en', 'fr'],
    });
    const line = cli(call)
      .replaceAll('{{SECRET_KEY}}', 'sk_test_abc')
      .replaceAll('{{API_BASE}}', 'http://localhost:4321');
    const parsed = request(line);
    expect(parsed.pairs).toEqual(formPairs(call.params));
    expect(parsed.apiKey).toBe('sk_test_abc');
    expect(parsed.apiBase).toBe('http://localhost:4321');
  });
});

describe('help and completion', () => {
  it('lists commands, a resource, and one action with its parameters', () => {
    expect(helpText([])).toContain('customers create|retrieve|update|delete|list');
    expect(helpText(['customers'])).toContain('keyway customers list --limit=3');
    expect(helpText(['customers', 'create'])).toContain('--email');
    expect(helpText(['custmers'])).toContain('Did you mean customers?');
  });

  it('has an example for every action of every resource', () => {
    expect(helpText([])).toContain('customers create|retrieve|update|delete|list|search');
    for (const resource of ['customers', 'events']) expect(helpText([resource])).not.toContain('undefined');
    expect(helpText(['customers', 'search'])).toBe(
      [
        'customers search: GET /v1/customers/search',
        `  keyway customers search --query='email~"example.com" AND metadata["plan"]:"pro"'`,
        'Parameters: --query, --limit, --page, --expand',
      ].join('\n'),
    );
  });

  it('runs its own search example as a GET on the search path, the query intact', () => {
    expect(
      request(`keyway customers search --query='email~"example.com" AND metadata["plan"]:"pro"' --limit 2`),
    ).toEqual({
      method: 'GET',
      path: '/v1/customers/search',
      pairs: [
        ['query', 'email~"example.com" AND metadata["plan"]:"pro"'],
        ['limit', '2'],
      ],
    });
    const call = resolveApiCall('GET', '/v1/customers/search', { query: 'name:"Jane \\"JD\\" Doe"' });
    expect(request(cli(call).replace(/\\\n\s*/g, ' ')).pairs).toEqual([
      ['query', 'name:"Jane \\"JD\\" Doe"'],
    ]);
  });

  it('completes resources, actions and flags', () => {
    expect(completions('cu')).toEqual(['customers']);
    expect(completions('keyway customers cr')).toEqual(['create']);
    expect(completions('customers create --em')).toEqual(['--email=']);
    expect(completions('events list --ty')).toEqual(['--type=', '--types=']);
  });
});

describe('one way to send a call, for the shell, the CLI and the try-it', () => {
  /** Sends a call through a fetch that records what it was given and answers `answer`. */
  async function sent(source: RequestSource, answer = '{"id":"cus_1"}') {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const fetch = async (url: URL | RequestInfo, init?: RequestInit) => {
      calls.push({ url: String(url), init: init! });
      return new Response(answer, { status: 200, headers: { 'request-id': 'req_1' } });
    };
    const response = await sendCliRequest(
      { method: 'POST', path: '/v1/customers', pairs: [['email', 'jane@example.com']] },
      { apiKey: 'sk_test_x', apiBase: 'http://sandbox.test/', source, fetch },
    );
    return { response, ...calls[0]! };
  }

  it('names every source but the default one in the keyway-source header', async () => {
    for (const source of REQUEST_SOURCES) {
      const { url, init } = await sent(source);
      expect(url).toBe('http://sandbox.test/v1/customers');
      expect(init.body).toBe('email=jane%40example.com');
      expect((init.headers as Record<string, string>)['keyway-source']).toBe(
        source === 'api' ? undefined : source,
      );
    }
  });

  it('answers the status, the request id and the body, parsed when it is JSON', async () => {
    expect((await sent('try-it')).response).toEqual({
      status: 200,
      ok: true,
      requestId: 'req_1',
      body: { id: 'cus_1' },
    });
    expect((await sent('shell', 'Bad gateway')).response.body).toBe('Bad gateway');
  });

  it('the sandbox reads an unknown or missing source as api', () => {
    expect(requestSourceOf('try-it')).toBe('try-it');
    expect(requestSourceOf('shell')).toBe('shell');
    expect(requestSourceOf('curl')).toBe('api');
    expect(requestSourceOf(null)).toBe('api');
  });
});
