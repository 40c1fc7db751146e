import { describe, expect, it } from 'vitest';
import { SandboxError } from '../../src/sandbox/errors.ts';
import { matchesSearch } from '../../src/sandbox/search-match.ts';
import { pageToken, readPageToken } from '../../src/sandbox/search-page.ts';
import { parseSearchQuery, type SearchQuery } from '../../src/sandbox/search-query.ts';
import { CUSTOMER_SEARCH_FIELDS } from '../../src/spec/search.ts';

const parse = (text: string): SearchQuery => parseSearchQuery(text, CUSTOMER_SEARCH_FIELDS, 'customers');

/** The refusal a query gets: status, code, param and message. */
function refusal(text: string): { status: number; code?: string; param?: string; message: string } {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(SandboxError);
    const { status, code, param, message } = error as SandboxError;
    return { status, code, param, message };
  }
  throw new Error(`Expected ${JSON.stringify(text)} to be refused, but it parsed.`);
}

const UNPARSABLE = 'We were unable to parse your search query.';

const jane = {
  id: 'cus_1',
  email: 'Jane.Doe@Example.com',
  name: 'Jane Doe Smith',
  phone: null,
  created: 1_700_000_000,
  metadata: { plan: 'Pro', 'donation-id': 'd1' },
};
const bob = {
  id: 'cus_2',
  email: null,
  name: 'Élodie Ωmega',
  phone: '+15550100',
  created: 1_700_000_500,
  metadata: { plan: '100%_off' },
};
const found = (text: string) => [jane, bob].filter((c) => matchesSearch(c, parse(text))).map((c) => c.id);

describe('search query parser', () => {
  it('reads a clause: field, operator, quoted value', () => {
    expect(parse('email:"amy@rocketrides.io"')).toEqual({
      join: 'AND',
      clauses: [
        {
          field: 'email',
          type: 'string',
          negated: false,
          operator: ':',
          value: 'amy@rocketrides.io',
        },
      ],
    });
  });

  it('reads metadata keys, single quotes, negation, null and numbers with every comparison', () => {
    const query = parse(
      `metadata["plan"]:'pro' -metadata['donation-id']:null created>=1 created<2 created>3 created<=4 created=5 created:"6"`,
    );
    expect(query.join).toBe('AND');
    expect(query.clauses.map((c) => [c.negated ? '-' : '', c.field, c.key, c.operator, c.value])).toEqual([
      ['', 'metadata', 'plan', ':', 'pro'],
      ['-', 'metadata', 'donation-id', ':', null],
      ['', 'created', undefined, '>=', 1],
      ['', 'created', undefined, '<', 2],
      ['', 'created', undefined, '>', 3],
      ['', 'created', undefined, '<=', 4],
      ['', 'created', undefined, '=', 5],
      ['', 'created', undefined, ':', 6],
    ]);
  });

  it('joins with a space or AND, or with OR, case-insensitively', () => {
    expect(parse('name:"a" email:"b"').join).toBe('AND');
    expect(parse('name:"a" and email:"b" AND phone:"c"').join).toBe('AND');
    expect(parse('name:"a" or email:"b" OR phone:"c"').join).toBe('OR');
    expect(parse('  name:"a"\t OR\n email:"b"  ').clauses).toHaveLength(2);
  });

  it('unescapes backslashes in quoted values', () => {
    const [clause] = parse(String.raw`name:"the story called \"The Sky and the Sea.\" \\ end"`).clauses;
    expect(clause!.value).toBe('the story called "The Sky and the Sea." \\ end');
    expect(parse(String.raw`metadata["a\"b"]:'it\'s'`).clauses[0]).toMatchObject({
      key: 'a"b',
      value: "it's",
    });
  });

  it.each([
    'asdf',
    '',
    '   ',
    'email',
    'email:',
    'email:"open',
    'email:"a"name:"b"',
    'email:"a" AND',
    'email:"a" OR ',
    'metadata:"x"',
    'metadata["k"',
    'metadata[k]:"v"',
    'name["k"]:"v"',
    'email::"a"',
    '(email:"a")',
    'email:"a" AND AND name:"b"',
    'created>12abc',
    'NOT email:"a"',
    'email:"a\\',
  ])('refuses %j as unparsable, with the format to use', (text) => {
    expect(refusal(text)).toEqual({
      status: 400,
      code: 'search_query_invalid',
      param: 'query',
      message: expect.stringContaining(UNPARSABLE),
    });
    expect(refusal(text).message).toContain('metadata["key"]:"value"');
  });

  it("names an unsupported field as Stripe does, even one on Object.prototype's chain", () => {
    expect(refusal('foo:"bar"').message).toMatch(
      /^Field `foo` is an unsupported search field for resource `customers`\./,
    );
    expect(refusal('constructor:"x"').message).toContain('Field `constructor` is an unsupported');
    expect(refusal('description:"x"').message).toContain('created, email, metadata, name, phone');
  });

  it('refuses operators a field type does not take', () => {
    expect(refusal('name>"a"').message).toContain(
      'The operator `>` is not supported on `name`, a string field',
    );
    expect(refusal('metadata["k"]~"abc"').message).toContain('`~` is not supported on `metadata`');
    expect(refusal('created~"123"').message).toContain('`~` is not supported on `created`, a numeric field');
  });

  it('refuses substrings under 3 characters, counting characters not UTF-16 units', () => {
    expect(refusal('name~"ab"').message).toContain('at least 3 characters');
    expect(refusal('name~"🐙🦑"').message).toContain('at least 3 characters');
    expect(parse('name~"🐙🦑x"').clauses[0]!.value).toBe('🐙🦑x');
  });

  it('refuses AND mixed with OR, a space counting as AND', () => {
    const mixed = 'AND and OR cannot be combined';
    expect(refusal('name:"a" AND email:"b" OR phone:"c"').message).toContain(mixed);
    expect(refusal('name:"a" email:"b" OR phone:"c"').message).toContain(mixed);
  });

  it('refuses unquoted strings, non-numbers for created, and null where it means nothing', () => {
    expect(refusal('email:amy').message).toContain(UNPARSABLE);
    expect(refusal('phone:15550100').message).toContain('You must use quotation marks around string values');
    expect(refusal('created:"yesterday"').message).toContain('`created` takes a whole number');
    expect(refusal('created:null').message).toContain('null (not set) works only with `:`');
    expect(refusal('name~null').message).toContain('`name~null`: null (not set) works only with `:`');
  });

  it('allows 10 clauses and refuses 11', () => {
    const clause = 'name:"a"';
    expect(parse(Array(10).fill(clause).join(' ')).clauses).toHaveLength(10);
    expect(refusal(Array(11).fill(clause).join(' ')).message).toBe(
      'A search query can combine at most 10 clauses.',
    );
  });

  it('survives hostile input: long, deeply quoted, unicode, SQL-ish', () => {
    expect(refusal('"'.repeat(100_000)).code).toBe('search_query_invalid');
    expect(refusal('name:' + '\\"'.repeat(50_000)).code).toBe('search_query_invalid');
    expect(parse(`name:"${'\\"'.repeat(50_000)}"`).clauses[0]!.value).toBe('"'.repeat(50_000));
    expect(refusal('x'.repeat(100_000)).message).toContain(UNPARSABLE);
    expect(refusal('-'.repeat(100_000)).message).toContain(UNPARSABLE);
    expect(parse(`name:"'; DROP TABLE customers; --"`).clauses[0]!.value).toBe("'; DROP TABLE customers; --");
    expect(parse('name:"\u202Eevil\u202C 👨‍👩‍👧‍👦 مرحبا"').clauses[0]!.value).toBe('\u202Eevil\u202C 👨‍👩‍👧‍👦 مرحبا');
    expect(refusal('ñame:"x"').message).toContain(UNPARSABLE);
  });
});

describe('search matching', () => {
  it('string `:` finds the words of the value in order, ignoring case', () => {
    expect(found('name:"jane doe"')).toEqual(['cus_1']);
    expect(found('name:"doe smith"')).toEqual(['cus_1']);
    expect(found('name:"smith doe"')).toEqual([]);
    expect(found('name:"jan"')).toEqual([]);
    expect(found('email:"jane.doe@example.com"')).toEqual(['cus_1']);
    expect(found('email:"jane.doe@example"')).toEqual([]);
  });

  it('`~` is a case-insensitive substring, with wildcard characters taken literally', () => {
    expect(found('email~"DOE@exa"')).toEqual(['cus_1']);
    expect(found('name~"ÉLOD"')).toEqual(['cus_2']);
    expect(found('name~"ωme"')).toEqual(['cus_2']);
    expect(found('name~"%%%"')).toEqual([]);
    expect(found('name~"___"')).toEqual([]);
    expect(found('phone~"555"')).toEqual(['cus_2']);
  });

  it('metadata matches a whole value of one key, ignoring case; `%` and `_` are plain characters', () => {
    expect(found('metadata["plan"]:"PRO"')).toEqual(['cus_1']);
    expect(found('metadata["plan"]:"pr"')).toEqual([]);
    expect(found('metadata["plan"]:"100%_off"')).toEqual(['cus_2']);
    expect(found('metadata["plan"]:"100__off"')).toEqual([]);
    expect(found('metadata["constructor"]:"x"')).toEqual([]);
    expect(found('metadata["__proto__"]:null')).toEqual(['cus_1', 'cus_2']);
  });

  it('null finds unset fields and keys; `-` negates', () => {
    expect(found('email:null')).toEqual(['cus_2']);
    expect(found('-email:null')).toEqual(['cus_1']);
    expect(found('-metadata["donation-id"]:null')).toEqual(['cus_1']);
    expect(found('-name:"jane"')).toEqual(['cus_2']);
    expect(found('-phone:"+15550100"')).toEqual(['cus_1']);
  });

  it('created compares numbers; AND needs every clause, OR any', () => {
    expect(found('created>1700000000')).toEqual(['cus_2']);
    expect(found('created>=1700000000')).toEqual(['cus_1', 'cus_2']);
    expect(found('created<1700000500')).toEqual(['cus_1']);
    expect(found('created<=1700000500 created:1700000500')).toEqual(['cus_2']);
    expect(found('created=1700000000')).toEqual(['cus_1']);
    expect(found('name:"jane" AND phone:"+15550100"')).toEqual([]);
    expect(found('name:"jane" OR phone:"+15550100"')).toEqual(['cus_1', 'cus_2']);
  });
});

describe('search page tokens', () => {
  const scope = { accountId: 'acct_1', mode: 'test', query: 'name:"a"' };
  const position = { createdMs: 1_700_000_000_123, id: 'cus_ABC' };

  it('read back the position they were made for, for the same search', () => {
    const token = pageToken(position, scope);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(readPageToken(token, scope)).toEqual(position);
  });

  it.each([
    ['another query', { ...scope, query: 'name:"b"' }],
    ['another account', { ...scope, accountId: 'acct_2' }],
    ['another mode', { ...scope, mode: 'live' }],
  ])('are refused for %s', (_, other) => {
    expect(() => readPageToken(pageToken(position, scope), other)).toThrow(/Invalid page/);
  });

  it('are refused once edited to another position', () => {
    const [, , hash] = Buffer.from(pageToken(position, scope), 'base64url').toString().split('.');
    const edited = Buffer.from(`${position.createdMs + 1}.${position.id}.${hash}`).toString('base64url');
    expect(() => readPageToken(edited, scope)).toThrow(/Invalid page/);
  });

  it.each([
    '',
    'x',
    '!!!',
    'a'.repeat(200),
    Buffer.from('1.cus_1.zz').toString('base64url'),
    Buffer.from("1.cus_1'--.0123456789abcdef01234567").toString('base64url'),
  ])('refuse a forged token %j with a 400 about page', (token) => {
    try {
      readPageToken(token, scope);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toMatchObject({ status: 400, param: 'page', code: 'parameter_invalid_string' });
    }
  });
});
