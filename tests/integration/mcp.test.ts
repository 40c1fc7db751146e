import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adviceFor } from '../../src/isomorphic/error-advice.ts';
import { CookieJar, get, SECRET_KEY_PATTERN } from '../support/http.ts';
import { callTool, connectMcp, ERAS, parsed, type ToolAnswer } from '../support/mcp.ts';
import {
  createRestrictedKey,
  liveKeys,
  newReaderWithKeys,
  rollSecretKey,
  type Reader,
} from '../support/sandbox.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { EventReader } from '../support/sse.ts';

const baseUrl = inject('baseUrl');

const DOCS_TOOLS = ['search_docs', 'read_page', 'list_operations', 'describe_operation'];

/** Any real key of any kind or mode: the placeholders (`sk_test_YOUR_SECRET_KEY`) are not key-shaped. */
const ANY_KEY = /\b(?:sk|pk|rk)_(?:test|live)_[0-9A-Za-z]{24}\b/;
const SANDBOX_TOOLS = ['call_api', 'recent_requests', 'list_events', 'get_event'];

interface LoggedRequest {
  id: string;
  source: string;
  method: string;
  path: string;
  status: number;
  error?: { message: string; code?: string };
  explanation?: string;
}

interface SandboxReply {
  status: number;
  request_id: string;
  body: { id: string; data?: Array<{ id: string }> };
}

/** The number of customers a key's account has, read through the sandbox itself. */
async function customerCount(key: string, base = baseUrl): Promise<number> {
  const response = await fetch(`${base}/v1/customers?limit=100`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return ((await response.json()) as { data: unknown[] }).data.length;
}

/** A raw POST to /mcp, for what the SDK's client would never send. */
function rawPost(body: string, headers: Record<string, string> = {}, base = baseUrl): Promise<Response> {
  return fetch(`${base}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...headers,
    },
    body,
  });
}

/** A JSON-RPC tools/call, in the 2025-11-25 shape (no handshake needed: the server is stateless). */
function toolCallBody(name: string, args: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });
}

describe.each(ERAS)('the MCP server at /mcp, era $name', (era) => {
  let owner: Reader;
  let other: Reader;
  let ownerClient: Client;
  let otherClient: Client;

  beforeAll(async () => {
    owner = await newReaderWithKeys(baseUrl);
    other = await newReaderWithKeys(baseUrl);
    ownerClient = await connectMcp(baseUrl, era, owner.secretKey);
    otherClient = await connectMcp(baseUrl, era, other.secretKey);
  });

  afterAll(async () => {
    await ownerClient?.close();
    await otherClient?.close();
  });

  it('speaks the era the client asked for', () => {
    expect(ownerClient.getNegotiatedProtocolVersion()).toBe(era.version);
  });

  it('offers only the docs tools without a key, and the sandbox tools with one, annotated', async () => {
    const anonymous = await connectMcp(baseUrl, era);
    const { tools: docsOnly } = await anonymous.listTools();
    await anonymous.close();
    expect(docsOnly.map((tool) => tool.name)).toEqual(DOCS_TOOLS);

    const { tools } = await ownerClient.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([...DOCS_TOOLS, ...SANDBOX_TOOLS]);
    for (const tool of tools) {
      if (tool.name === 'call_api') {
        expect(tool.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
      } else {
        expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
      }
    }
  });

  it('searches the docs, with absolute links to the sections', async () => {
    const hits = parsed<Array<{ page: string; heading: string; url: string }>>(
      await callTool(ownerClient, 'search_docs', { query: 'create a customer' }),
    );
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(hit.url.startsWith(`${baseUrl}/docs/`)).toBe(true);
    expect(hits.map((hit) => hit.url)).toContain(`${baseUrl}/docs/api/customers#create-customer`);
  });

  it("reads a page with the caller's own keys, and no other reader's", async () => {
    const page = await callTool(ownerClient, 'read_page', { path: '/docs/first-request' });
    expect(page.isError).toBe(false);
    expect(page.text).toMatch(/^# /);
    expect(page.text).toContain(owner.secretKey);
    expect(page.text).not.toContain(other.secretKey);
    expect(new Set(page.text.match(SECRET_KEY_PATTERN))).toEqual(new Set([owner.secretKey]));
    // The .md path and a full URL from search_docs (with its fragment) name the same page.
    const byMd = await callTool(ownerClient, 'read_page', { path: '/docs/first-request.md' });
    expect(byMd.text).toBe(page.text);
    const byUrl = await callTool(ownerClient, 'read_page', {
      path: `${baseUrl}/docs/api/customers#create-customer`,
    });
    expect(byUrl.isError).toBe(false);
    expect(byUrl.text).toContain(owner.secretKey);
  });

  it("fills the webhooks guide with the keyway listen secret of the caller's own key", async () => {
    const whsec = /whsec_[0-9A-Za-z]{24}/g;
    const mine = await callTool(ownerClient, 'read_page', { path: '/docs/webhooks' });
    const theirs = await callTool(otherClient, 'read_page', { path: '/docs/webhooks' });
    const mineSecrets = [...new Set(mine.text.match(whsec))];
    const theirSecrets = [...new Set(theirs.text.match(whsec))];
    expect(mineSecrets).toHaveLength(1);
    expect(theirSecrets).toHaveLength(1);
    expect(mineSecrets[0]).not.toBe(theirSecrets[0]);
    const again = await callTool(ownerClient, 'read_page', { path: '/docs/webhooks' });
    expect([...new Set(again.text.match(whsec))]).toEqual(mineSecrets);
    const anonymous = await connectMcp(baseUrl, era);
    const guest = await callTool(anonymous, 'read_page', { path: '/docs/webhooks' });
    await anonymous.close();
    expect(guest.text).toContain('whsec_YOUR_WEBHOOK_SIGNING_SECRET');
    expect(guest.text).not.toMatch(whsec);
  });

  it('reads a page without a key, or with a restricted one, with placeholders and no key at all', async () => {
    const anonymous = await connectMcp(baseUrl, era);
    const guest = await callTool(anonymous, 'read_page', { path: '/docs/first-request' });
    await anonymous.close();
    expect(guest.isError).toBe(false);
    expect(guest.text).toContain('sk_test_YOUR_SECRET_KEY');
    expect(guest.text).not.toMatch(ANY_KEY);

    // A restricted key never leads to its account's secret key, which may do everything.
    const restricted = await createRestrictedKey(owner, { customers: 'read', events: 'read' });
    const client = await connectMcp(baseUrl, era, restricted);
    const limited = await callTool(client, 'read_page', { path: '/docs/first-request' });
    await client.close();
    expect(limited.text).toContain('sk_test_YOUR_SECRET_KEY');
    expect(limited.text).not.toMatch(ANY_KEY);
  });

  it("refuses an unknown page and any address outside this site's docs, as tool errors", async () => {
    const unknown = await callTool(ownerClient, 'read_page', { path: '/docs/no-such-page' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('/docs/no-such-page');
    for (const hostile of [
      '/docs/../dashboard/apikeys',
      '/docs/%2e%2e/dashboard/apikeys',
      '/docs/..%2fdashboard',
      '/docs\\..\\dashboard',
      '/dashboard/apikeys',
      '/etc/passwd',
      'file:///etc/passwd',
      '//evil.example/docs/keys',
      'https://evil.example/docs/keys',
      `${baseUrl}@evil.example/docs/keys`,
      `${baseUrl}.evil.example/docs/keys`,
    ]) {
      const refused = await callTool(ownerClient, 'read_page', { path: hostile });
      expect(refused.isError, hostile).toBe(true);
      expect(refused.text, hostile).not.toMatch(ANY_KEY);
    }
  });

  it('lists and describes operations from the API declaration', async () => {
    const operations = parsed<Array<{ id: string }>>(await callTool(ownerClient, 'list_operations'));
    expect(operations.map((operation) => operation.id)).toContain('create-customer');
    const described = parsed<{ method: string; path: string; params: Record<string, unknown> }>(
      await callTool(ownerClient, 'describe_operation', { id: 'create-customer' }),
    );
    expect(described).toMatchObject({ method: 'POST', path: '/v1/customers' });
    expect(Object.keys(described.params)).toContain('email');
    expect((await callTool(ownerClient, 'describe_operation', { id: 'no-such-thing' })).isError).toBe(true);
  });

  it("creates a customer in the reader's sandbox: logged as MCP, and on their live stream", async () => {
    const stream = await fetch(`${baseUrl}/api/stream`, { headers: { cookie: owner.jar.header() } });
    const events = new EventReader(stream);
    await events.waitFor((event) => event.event === 'waiting' || event.event === 'latest');

    const created = parsed<SandboxReply>(
      await callTool(ownerClient, 'call_api', {
        method: 'POST',
        path: '/v1/customers',
        params: { email: 'mcp@example.com', metadata: { via: 'mcp' } },
      }),
    );
    expect(created.status).toBe(200);
    expect(created.body.id).toMatch(/^cus_/);
    await events.waitFor((event) => event.event === 'request' && event.data.includes(created.request_id));
    events.close();

    const logged = parsed<LoggedRequest[]>(await callTool(ownerClient, 'recent_requests', { limit: 5 }));
    expect(logged.find((entry) => entry.id === created.request_id)).toMatchObject({
      source: 'mcp',
      method: 'POST',
      path: '/v1/customers',
      status: 200,
    });
    const logPage = await fetch(`${baseUrl}/dashboard/logs/${created.request_id}`, {
      headers: { cookie: owner.jar.header() },
    });
    expect(await logPage.text()).toContain('<dd>MCP</dd>');
    const events_ = parsed<SandboxReply>(await callTool(ownerClient, 'list_events', { limit: 5 }));
    const event = events_.body.data!.find((item) => JSON.stringify(item).includes(created.body.id))!;
    expect(event).toBeDefined();
    expect(parsed<SandboxReply>(await callTool(ownerClient, 'get_event', { id: event.id })).body.id).toBe(
      event.id,
    );

    // Another reader's key sees none of it.
    const theirs = await callTool(otherClient, 'call_api', {
      method: 'GET',
      path: `/v1/customers/${created.body.id}`,
    });
    expect(theirs.isError).toBe(true);
    expect(theirs.text).toContain('resource_missing');
    const theirLog = (await callTool(otherClient, 'recent_requests', { limit: 25 })).text;
    expect(theirLog).not.toContain(created.request_id);
    expect((await callTool(otherClient, 'list_events', { limit: 100 })).text).not.toContain(created.body.id);
    expect((await callTool(otherClient, 'get_event', { id: event.id })).isError).toBe(true);
  });

  it('turns a sandbox error into a tool error, and recent_requests explains it as the walkthrough does', async () => {
    const failed = await callTool(ownerClient, 'call_api', {
      method: 'POST',
      path: '/v1/customers',
      params: { emial: 'typo@example.com' },
    });
    expect(failed.isError).toBe(true);
    const message = failed.text.split('\n')[0]!;
    expect(message).toContain('emial');
    expect(failed.text).toContain('"code": "parameter_unknown"');
    expect(failed.text).toContain('"param": "emial"');

    const [last] = parsed<LoggedRequest[]>(
      await callTool(ownerClient, 'recent_requests', { limit: 1, failed_only: true }),
    );
    expect(last).toMatchObject({ source: 'mcp', status: 400, error: { message, code: 'parameter_unknown' } });
    expect(last!.explanation).toBe(`${message} ${adviceFor('parameter_unknown', 400)}`);
  });

  it('gives a restricted key only the tools its permissions allow, and the sandbox refuses the rest', async () => {
    const readOnly = await createRestrictedKey(owner, { customers: 'read', events: 'none' });
    const client = await connectMcp(baseUrl, era, readOnly);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([...DOCS_TOOLS, 'call_api', 'recent_requests']);
    const before = await customerCount(owner.secretKey);
    const refused = await callTool(client, 'call_api', {
      method: 'POST',
      path: '/v1/customers',
      params: { email: 'not-allowed@example.com' },
    });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('rak_customer_write');
    expect(await customerCount(owner.secretKey)).toBe(before);
    // Asked for anyway, a tool it is not offered is unknown.
    await expect(callTool(client, 'list_events')).rejects.toThrow(/list_events/);
    await client.close();
  });

  it('checks its inputs: a path outside /v1 and parameters over the limit are tool errors, sent nowhere', async () => {
    const before = parsed<LoggedRequest[]>(await callTool(ownerClient, 'recent_requests', { limit: 1 }))[0]
      ?.id;
    expect((await callTool(ownerClient, 'call_api', { method: 'GET', path: '/dashboard' })).isError).toBe(
      true,
    );
    const huge = await callTool(ownerClient, 'call_api', {
      method: 'POST',
      path: '/v1/customers',
      params: { description: 'x'.repeat(20_000) },
    });
    expect(huge.isError).toBe(true);
    expect((await callTool(ownerClient, 'search_docs', { query: 'x'.repeat(500) })).isError).toBe(true);
    expect(parsed<LoggedRequest[]>(await callTool(ownerClient, 'recent_requests', { limit: 1 }))[0]?.id).toBe(
      before,
    );
  });
});

describe('the MCP endpoint over plain HTTP', () => {
  let reader: Reader;

  beforeAll(async () => {
    reader = await newReaderWithKeys(baseUrl);
  });

  it('refuses a forged, expired or live key with the reason, and logs nothing', async () => {
    const forged = await rawPost(toolCallBody('recent_requests', {}), {
      authorization: 'Bearer sk_test_forgedforgedforgedforged0',
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const body = (await forged.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/Invalid API Key provided: sk_test_…ged0/);

    const old = reader.secretKey;
    const current = await rollSecretKey(reader, 'now');
    const expired = await rawPost(toolCallBody('call_api', { method: 'POST', path: '/v1/customers' }), {
      authorization: `Bearer ${old}`,
    });
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: { message: string } }).error.message).toMatch(/expired/i);

    const live = await liveKeys(reader);
    const refusedLive = await rawPost(toolCallBody('call_api', { method: 'POST', path: '/v1/customers' }), {
      authorization: `Bearer ${live.secret}`,
    });
    expect(refusedLive.status).toBe(403);

    const client = await connectMcp(baseUrl, ERAS[0], current);
    expect(parsed<LoggedRequest[]>(await callTool(client, 'recent_requests', { limit: 25 }))).toEqual([]);
    expect(await customerCount(current)).toBe(0);
    await client.close();
  });

  it("takes a docs page's sample key, which starts its guest sandbox as on first use anywhere", async () => {
    const jar = new CookieJar();
    const page = await (await get('/docs/first-request', jar)).text();
    const sample = page.match(SECRET_KEY_PATTERN)![0];
    const client = await connectMcp(baseUrl, ERAS[1], sample);
    const created = parsed<SandboxReply>(
      await callTool(client, 'call_api', {
        method: 'POST',
        path: '/v1/customers',
        params: { name: 'Guest' },
      }),
    );
    expect(created.body.id).toMatch(/^cus_/);
    await client.close();
  });

  it('shows a rolled key in its grace window itself in read_page, never the key that replaced it', async () => {
    const rolled = await newReaderWithKeys(baseUrl);
    const old = rolled.secretKey;
    const replacement = await rollSecretKey(rolled, '1h');
    const client = await connectMcp(baseUrl, ERAS[0], old);
    const page = await callTool(client, 'read_page', { path: '/docs/first-request' });
    await client.close();
    expect(page.text).toContain(old);
    expect(page.text).not.toContain(replacement);
  });

  it('refuses a publishable key, which may not call the sandbox either', async () => {
    const refused = await rawPost(toolCallBody('search_docs', { query: 'keys' }), {
      authorization: `Bearer ${reader.publishableKey}`,
    });
    expect(refused.status).toBe(403);
  });

  it('answers 403 to a foreign Origin (DNS rebinding) and does nothing', async () => {
    const hostile = await rawPost(
      toolCallBody('call_api', {
        method: 'POST',
        path: '/v1/customers',
        params: { email: 'evil@example.com' },
      }),
      { origin: 'http://evil.example', authorization: `Bearer ${reader.secretKey}` },
    );
    expect(hostile.status).toBe(403);
    expect(await customerCount(reader.secretKey)).toBe(0);
    // The site's own (loopback) origin is a page of this site, and is served.
    const own = await rawPost(toolCallBody('search_docs', { query: 'keys' }), { origin: baseUrl });
    expect(own.status).toBe(200);
  });

  it('answers malformed JSON-RPC with a JSON-RPC error, and an oversized body with 413', async () => {
    const garbled = await rawPost('{"jsonrpc": "2.0", "id": 1, "method": ');
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 } });

    const notRpc = await rawPost(JSON.stringify({ hello: 'world' }));
    expect(notRpc.status).toBe(400);
    expect(((await notRpc.json()) as { error: { code: number } }).error.code).toBeLessThan(-32000);

    const oversized = await rawPost(toolCallBody('search_docs', { query: 'x'.repeat(100_000) }));
    expect(oversized.status).toBe(413);
  });

  it('shows a browser how to connect, and refuses other GETs', async () => {
    const page = await fetch(`${baseUrl}/mcp`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('href="/docs/ai-assistants"');
    expect(html).toContain(`${baseUrl}/mcp`);
    const stream = await fetch(`${baseUrl}/mcp`, { headers: { accept: 'text/event-stream' } });
    expect(stream.status).toBe(405);
  });

  it('answers twenty clients at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        const client = await connectMcp(
          baseUrl,
          ERAS[index % 2]!,
          index % 4 === 0 ? reader.secretKey : undefined,
        );
        const answer = await callTool(client, 'search_docs', { query: 'customers' });
        await client.close();
        return answer;
      }),
    );
    for (const answer of answers) expect(parsed<unknown[]>(answer).length).toBeGreaterThan(0);
  });
});

describe('the per-key rate limit', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ SANDBOX_RATE_LIMIT: '2' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('applies to calls made over MCP, as a tool error with the 429', async () => {
    const reader = await newReaderWithKeys(server.baseUrl);
    const client = await connectMcp(server.baseUrl, ERAS[1], reader.secretKey);
    const answers: ToolAnswer[] = await Promise.all(
      Array.from({ length: 10 }, () =>
        callTool(client, 'call_api', { method: 'GET', path: '/v1/customers' }),
      ),
    );
    const limited = answers.filter((answer) => answer.isError);
    expect(limited.length).toBeGreaterThan(0);
    for (const answer of limited) {
      expect(answer.text).toContain('"status": 429');
      expect(answer.text).toContain('rate_limit');
    }
    // Reading the log counts too, though it does not go through the sandbox handler.
    const reads = await Promise.all(Array.from({ length: 10 }, () => callTool(client, 'recent_requests')));
    expect(
      reads.filter((answer) => answer.isError && answer.text.includes('rate_limit')).length,
    ).toBeGreaterThan(0);
    await client.close();
  });
});
