import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETURNED_OBJECTS } from '../../src/spec/objects.ts';
import { describeEachDatabase, type ScratchDatabase } from '../support/databases.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import {
  accountState as sharedAccountState,
  call,
  newReaderWithKeys,
  sdk,
  type RawResponse,
  type Reader,
} from '../support/sandbox.ts';

/**
 * `GET /v1/customers/search` over HTTP, against a server of its own on each database: the
 * language's matches, pagination through `next_page`, Stripe's refusals, and that a search
 * only ever sees the reader's own live customers.
 */

const SEARCH_RESULT = RETURNED_OBJECTS.customer_search_result;

describeEachDatabase('customer search on $name', (kind) => {
  let scratch: ScratchDatabase;
  let server: RunningServer;
  let reader: Reader;
  let other: Reader;
  /** The reader's customers by a short name, in creation order. */
  const ids: Record<string, string> = {};

  const search = (query: string | null, extra: Record<string, string> = {}, as: Reader = reader) => {
    const params = new URLSearchParams(query === null ? extra : { query, ...extra });
    return call(server.baseUrl, 'GET', `/v1/customers/search?${params}`, { key: as.secretKey, paced: true });
  };
  const found = async (query: string, extra: Record<string, string> = {}) => {
    const response = await search(query, extra);
    expect(response.status, response.text).toBe(200);
    const byId = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
    return (response.json.data as Array<{ id: string }>).map((customer) => byId[customer.id] ?? customer.id);
  };
  /** Everything the reader's account holds, to show a refused search changed nothing. */
  const accountState = () => sharedAccountState(server.baseUrl, reader.secretKey);
  const expectRefused = (response: RawResponse, message: string | RegExp, param = 'query') => {
    expect(response.status, response.text).toBe(400);
    expect(response.json.error).toMatchObject({ type: 'invalid_request_error', param });
    if (typeof message === 'string') expect(response.json.error.message).toContain(message);
    else expect(response.json.error.message).toMatch(message);
  };

  beforeAll(async () => {
    scratch = await kind.create();
    server = await startServer({ DATABASE_URL: scratch.url });
    [reader, other] = await Promise.all([
      newReaderWithKeys(server.baseUrl),
      newReaderWithKeys(server.baseUrl),
    ]);
    const stripe = sdk(reader.secretKey, server.baseUrl);
    const customers: Array<[string, Record<string, unknown>]> = [
      ['jane', { email: 'Jane.Doe@Example.com', name: 'Jane Doe Smith', metadata: { plan: 'Pro' } }],
      ['elodie', { email: 'elodie@example.org', name: 'ÉLODIE Ωmega', phone: '+15550100' }],
      ['percent', { name: 'a%b discount', metadata: { plan: '100%_off', donation_id: 'd1' } }],
      ['wildcard', { name: 'axb discount', metadata: { plan: '100xyoff' } }],
      ['gone', { email: 'gone@example.com', name: 'Jane Gone' }],
    ];
    for (const [name, params] of customers) ids[name] = (await stripe.customers.create(params)).id;
    for (let i = 0; i < 7; i++)
      ids[`page${i}`] = (await stripe.customers.create({ email: `page${i}@paging.test` })).id;
    await stripe.customers.del(ids.gone!);
    // Another account with look-alike customers, which no search of the reader may find.
    const others = sdk(other.secretKey, server.baseUrl);
    ids.othersJane = (await others.customers.create({ email: 'jane.doe@example.com', name: 'Jane Doe' })).id;
    for (let i = 0; i < 3; i++) await others.customers.create({ email: `other${i}@paging.test` });
  });
  afterAll(async () => {
    await server?.stop();
    await scratch?.drop();
  });

  it('answers a search_result as declared, newest first', async () => {
    const response = await search('email~"example"');
    expect(response.status, response.text).toBe(200);
    expect(SEARCH_RESULT.parse(response.json)).toMatchObject({
      object: 'search_result',
      url: '/v1/customers/search',
      has_more: false,
      next_page: null,
    });
    expect(response.json.data.map((customer: { id: string }) => customer.id)).toEqual([ids.elodie, ids.jane]);
  });

  it('matches string words in order, substrings and metadata, ignoring case beyond ASCII', async () => {
    expect(await found('email:"jane.doe@example.com"')).toEqual(['jane']);
    expect(await found('name:"doe smith"')).toEqual(['jane']);
    expect(await found('name:"smith doe"')).toEqual([]);
    expect(await found('name:"élodie"')).toEqual(['elodie']);
    expect(await found('name~"ΩME"')).toEqual(['elodie']);
    expect(await found('phone:"+15550100"')).toEqual(['elodie']);
    expect(await found('metadata["plan"]:"pro"')).toEqual(['jane']);
    expect(await found("metadata['plan']:'PRO' AND email~'jane'")).toEqual(['jane']);
    expect(await found('name:"jane" OR phone:"+15550100"')).toEqual(['elodie', 'jane']);
  });

  it('takes % and _ literally, and SQL-looking text as plain text', async () => {
    expect(await found('name~"a%b"')).toEqual(['percent']);
    expect(await found('metadata["plan"]:"100%_off"')).toEqual(['percent']);
    expect(await found('name~"___"')).toEqual([]);
    expect(await found(`name:"'; DROP TABLE customers; --"`)).toEqual([]);
    expect(await found(`name~"' OR 1=1 --"`)).toEqual([]);
    expect(
      (await call(server.baseUrl, 'GET', '/v1/customers?limit=1', { key: reader.secretKey })).status,
    ).toBe(200);
  });

  it('negation, null and created', async () => {
    const all = await sdk(reader.secretKey, server.baseUrl).customers.list({ limit: 100 });
    const janeCreated = all.data.find((customer) => customer.id === ids.jane)!.created;
    expect(await found('-metadata["donation_id"]:null')).toEqual(['percent']);
    expect(await found('-email:null -email~"paging"')).toEqual(['elodie', 'jane']);
    expect(await found('email:null')).toEqual(['wildcard', 'percent']);
    expect(await found(`created<${janeCreated}`)).toEqual([]);
    expect(await found(`created:${janeCreated} name~"jane"`)).toEqual(['jane']);
    expect((await found(`created>=${janeCreated}`, { limit: '100' })).length).toBe(11);
  });

  it('never finds deleted customers', async () => {
    expect(await found('email:"gone@example.com"')).toEqual([]);
    expect(await found('name:"jane"')).toEqual(['jane']);
  });

  it("never finds another account's customers, and its page tokens are refused", async () => {
    expect(await found('email:"jane.doe@example.com"')).toEqual(['jane']);
    expect(await found('email~"paging.test"', { limit: '100' })).toHaveLength(7);
    const theirs = await search('email~"paging.test"', { limit: '1' }, other);
    expect(theirs.json.data).toHaveLength(1);
    expect(theirs.json.next_page).toEqual(expect.any(String));
    const response = await search('email~"paging.test"', { limit: '1', page: theirs.json.next_page });
    expectRefused(response, 'Invalid page', 'page');
    expect(response.json.error.code).toBe('parameter_invalid_string');
  });

  it('pages through next_page until has_more is false, each match once', async () => {
    const pages: string[][] = [];
    let page: string | undefined;
    for (;;) {
      const response = await search('email~"paging"', { limit: '3', ...(page ? { page } : {}) });
      expect(response.status, response.text).toBe(200);
      SEARCH_RESULT.parse(response.json);
      pages.push(response.json.data.map((customer: { id: string }) => customer.id));
      expect(response.json.has_more).toBe(response.json.next_page !== null);
      if (!response.json.has_more) break;
      page = response.json.next_page;
    }
    expect(pages.map((ids) => ids.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => ids[`page${i}`]));
  });

  it('refuses forged, tampered and other-query page tokens with a 400, changing nothing', async () => {
    const before = await accountState();
    const first = await search('email~"paging"', { limit: '2' });
    const token = first.json.next_page as string;
    const [createdMs, , hash] = Buffer.from(token, 'base64url').toString().split('.');
    const tampered = Buffer.from(`${createdMs}.${ids.othersJane}.${hash}`).toString('base64url');
    for (const page of ['garbage', tampered, 'eyJ9', '%00', token.slice(1)]) {
      expectRefused(await search('email~"paging"', { page }), 'Invalid page', 'page');
    }
    expectRefused(await search('email~"paging.test"', { page: token }), 'Invalid page', 'page');
    expect(await accountState()).toBe(before);
  });

  it('refuses bad queries as Stripe does: 400 on query, changing nothing', async () => {
    const before = await accountState();
    const missing = await search(null);
    expectRefused(missing, /^Missing required param: query\.$/);
    expect(missing.json.error.code).toBe('parameter_missing');
    const cases: Array<[string, string]> = [
      ['asdf', 'We were unable to parse your search query. Try using the format `metadata["key"]:"value"`'],
      ['foo:"bar"', 'Field `foo` is an unsupported search field for resource `customers`.'],
      ['name~"ja"', 'Substring searches need at least 3 characters'],
      ['name:"a" AND email:"b" OR phone:"c"', 'AND and OR cannot be combined'],
      ['name>"a"', 'The operator `>` is not supported on `name`, a string field'],
      ['email:jane', 'We were unable to parse your search query.'],
      [Array(11).fill('name:"a"').join(' '), 'at most 10 clauses'],
    ];
    for (const [query, message] of cases) {
      const response = await search(query);
      expectRefused(response, message);
      expect(response.json.error.code).toBe('search_query_invalid');
      expect(response.json.error.doc_url).toMatch(/\/docs\/api\/errors#search_query_invalid$/);
    }
    const tooLong = await search(`name:"${'x'.repeat(995)}"`);
    expectRefused(tooLong, 'Invalid query: must be at most 1000 characters.');
    expectRefused(await search('name:"a"', { expand: 'data.email' }), 'cannot be expanded', 'expand');
    expect(await accountState()).toBe(before);
  });

  it('is its own path: not the customer with id "search", and GET only', async () => {
    const post = await call(server.baseUrl, 'POST', '/v1/customers/search', {
      key: reader.secretKey,
      form: { name: 'x' },
    });
    expect(post.status, post.text).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect(
      (await call(server.baseUrl, 'GET', '/v1/customers/search', { key: reader.secretKey })).status,
    ).toBe(400);
  });
});
