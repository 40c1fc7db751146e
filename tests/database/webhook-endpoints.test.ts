import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../src/lib/auth/accounts.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { createRestrictedKey, listKeys } from '../../src/lib/keys/api-keys.ts';
import type { Lookup } from '../../src/lib/webhooks/address-policy.ts';
import type { OperationContext, SandboxDeps, WebhookTargets } from '../../src/sandbox/context.ts';
import { handleSandboxRequest } from '../../src/sandbox/handler.ts';
import type { LogEntry } from '../../src/sandbox/request-log.ts';
import { createWebhookEndpoint } from '../../src/sandbox/webhook-endpoints.ts';
import { openApiDocument } from '../../src/spec/openapi.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';
import { responseChecker, type OpenApiDocument } from '../support/openapi.ts';

/**
 * `/v1/webhook_endpoints`, called in process as the server calls it: through the official
 * stripe-node SDK (its transport handed to the sandbox) for the wire format, and raw for every
 * refusal, each of which must leave the endpoints as they were. Every response body is checked
 * against the OpenAPI document generated from the declaration.
 */
const ORIGIN = 'https://docs.example.com';
const SECRET = randomBytes(32);
const checkResponse = responseChecker(openApiDocument(ORIGIN) as unknown as OpenApiDocument);

/** A resolver that knows a few names, as a test's DNS: public ones and one that points home. */
const lookup: Lookup = async (hostname) => {
  const known: Record<string, string> = {
    'hooks.example.com': '93.184.215.14',
    'evil.example': '127.0.0.1',
    'sneaky.example': '10.1.2.3',
  };
  const address = known[hostname];
  if (!address) throw new Error(`ENOTFOUND ${hostname}`);
  return [{ address, family: 4 }];
};

const PUBLIC_URL = 'https://hooks.example.com/stripe';

interface Sent {
  status: number;
  body: any;
}

describeEachDatabase('webhook endpoints on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  let people = 0;
  const logged: LogEntry[] = [];

  beforeAll(() => {
    db = database();
  });

  const deps = (targets: WebhookTargets = { allowPrivate: false, lookup }): SandboxDeps => ({
    db,
    origin: ORIGIN,
    rateLimitPerSecond: 1000,
    guests: { secret: SECRET, clientAddress: '192.0.2.1' },
    webhookTargets: targets,
    onLogged: (entry) => logged.push(entry),
  });

  async function newAccount() {
    const result = await signUp(db, {
      email: `webhooks${++people}.${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    if (!result.ok) throw new Error('sign-up failed');
    const keys = await listKeys(db, result.accountId, 'test');
    return { accountId: result.accountId, key: keys.find((k) => k.kind === 'secret')!.plaintext! };
  }

  async function send(
    key: string,
    method: string,
    path: string,
    form?: string | Record<string, string>,
    targets?: WebhookTargets,
  ): Promise<Sent> {
    const body = typeof form === 'string' ? form : form ? new URLSearchParams(form).toString() : undefined;
    const response = await handleSandboxRequest(
      new Request(`${ORIGIN}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
      deps(targets),
    );
    const json: unknown = await response.json();
    checkResponse(method, path, response.status, json);
    return { status: response.status, body: json };
  }

  /** The official SDK, its requests handed straight to the sandbox. */
  function sdk(key: string): Stripe {
    return new Stripe(key, {
      host: 'docs.example.com',
      protocol: 'https',
      maxNetworkRetries: 0,
      httpClient: Stripe.createFetchHttpClient(async (input, init) => {
        const request = new Request(input as string, init);
        const response = await handleSandboxRequest(request, deps());
        const text = await response.text();
        checkResponse(request.method, new URL(request.url).pathname, response.status, JSON.parse(text));
        return new Response(text, { status: response.status, headers: response.headers });
      }),
    });
  }

  /** Every endpoint row, so a refusal can be shown to have changed nothing. */
  const endpointRows = () => db.selectFrom('webhook_endpoints').selectAll().orderBy('id').execute();

  async function expectRefused(
    attempt: () => Promise<Sent>,
    expected: { status?: number; code?: string; param?: string; message: string | RegExp },
  ): Promise<void> {
    const before = await endpointRows();
    const { status, body } = await attempt();
    expect(status, JSON.stringify(body)).toBe(expected.status ?? 400);
    expect(body.error.type).toBe('invalid_request_error');
    if (expected.code) expect(body.error.code).toBe(expected.code);
    if (expected.param) expect(body.error.param).toBe(expected.param);
    if (typeof expected.message === 'string') expect(body.error.message).toBe(expected.message);
    else expect(body.error.message).toMatch(expected.message);
    expect(await endpointRows()).toEqual(before);
  }

  describe('with the official SDK', () => {
    let stripe: Stripe;
    let created: Stripe.WebhookEndpoint;

    beforeAll(async () => {
      stripe = sdk((await newAccount()).key);
      created = await stripe.webhookEndpoints.create({
        url: PUBLIC_URL,
        enabled_events: ['customer.created', 'customer.updated', 'customer.created'],
        description: 'CRM sync',
        metadata: { team: 'growth' },
      });
    });

    it('creates an endpoint in Stripe’s shape, with its secret shown this once', () => {
      expect(created).toMatchObject({
        object: 'webhook_endpoint',
        api_version: null,
        application: null,
        description: 'CRM sync',
        // Listed twice, kept once.
        enabled_events: ['customer.created', 'customer.updated'],
        livemode: false,
        metadata: { team: 'growth' },
        status: 'enabled',
        url: PUBLIC_URL,
      });
      expect(created.id).toMatch(/^we_[0-9A-Za-z]{24}$/);
      expect(created.secret).toMatch(/^whsec_[0-9A-Za-z]{32}$/);
      expect(Math.abs(created.created - Date.now() / 1000)).toBeLessThan(120);
    });

    it('never shows the secret again: not on retrieve, update, list or delete', async () => {
      const retrieved = await stripe.webhookEndpoints.retrieve(created.id);
      expect(retrieved).not.toHaveProperty('secret');
      expect({ ...retrieved, lastResponse: undefined }).toEqual({
        ...created,
        secret: undefined,
        lastResponse: undefined,
      });
      const updated = await stripe.webhookEndpoints.update(created.id, { description: 'renamed' });
      expect(updated).not.toHaveProperty('secret');
      const listed = await stripe.webhookEndpoints.list();
      expect(listed.data.map((endpoint) => endpoint.id)).toEqual([created.id]);
      expect(JSON.stringify(listed.data)).not.toContain('whsec_');
      const row = await db
        .selectFrom('webhook_endpoints')
        .select('secret')
        .where('id', '=', created.id)
        .executeTakeFirstOrThrow();
      expect(row.secret).toBe(created.secret);
    });

    it('updates the fields sent, merges metadata, and disables and enables the endpoint', async () => {
      const changed = await stripe.webhookEndpoints.update(created.id, {
        url: 'https://hooks.example.com/v2',
        enabled_events: ['*'],
        metadata: { region: 'eu', team: '' },
        disabled: true,
      });
      expect(changed).toMatchObject({
        url: 'https://hooks.example.com/v2',
        enabled_events: ['*'],
        metadata: { region: 'eu' },
        status: 'disabled',
        description: 'renamed',
      });
      const enabled = await stripe.webhookEndpoints.update(created.id, { disabled: false, description: '' });
      expect(enabled).toMatchObject({ status: 'enabled', description: null, metadata: { region: 'eu' } });
      expect((await stripe.webhookEndpoints.retrieve(created.id)).status).toBe('enabled');
    });

    it('pages newest first with limit, starting_after and ending_before', async () => {
      const more: string[] = [];
      for (let i = 0; i < 3; i++)
        more.push(
          (await stripe.webhookEndpoints.create({ url: `${PUBLIC_URL}/${i}`, enabled_events: ['*'] })).id,
        );
      const newestFirst = [...more].reverse().concat(created.id);
      const first = await stripe.webhookEndpoints.list({ limit: 2 });
      expect(first.has_more).toBe(true);
      expect(first.data.map((e) => e.id)).toEqual(newestFirst.slice(0, 2));
      const second = await stripe.webhookEndpoints.list({ limit: 2, starting_after: first.data[1]!.id });
      expect(second.has_more).toBe(false);
      expect(second.data.map((e) => e.id)).toEqual(newestFirst.slice(2));
      const back = await stripe.webhookEndpoints.list({ limit: 2, ending_before: second.data[0]!.id });
      expect(back.data.map((e) => e.id)).toEqual(newestFirst.slice(0, 2));
      const all: string[] = [];
      for await (const endpoint of stripe.webhookEndpoints.list({ limit: 1 })) all.push(endpoint.id);
      expect(all).toEqual(newestFirst);
    });

    it('deletes an endpoint for good', async () => {
      const gone = await stripe.webhookEndpoints.create({ url: PUBLIC_URL, enabled_events: ['*'] });
      const deleted = await stripe.webhookEndpoints.del(gone.id);
      expect({ id: deleted.id, object: deleted.object, deleted: deleted.deleted }).toEqual({
        id: gone.id,
        object: 'webhook_endpoint',
        deleted: true,
      });
      const error = await stripe.webhookEndpoints.retrieve(gone.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({
        statusCode: 404,
        code: 'resource_missing',
        message: `No such webhook endpoint: '${gone.id}'`,
      });
    });
  });

  describe('refusals, each leaving the endpoints as they were', () => {
    let key: string;
    let existing: string;
    beforeAll(async () => {
      key = (await newAccount()).key;
      existing = (await send(key, 'POST', '/v1/webhook_endpoints', `url=${PUBLIC_URL}&enabled_events[]=*`))
        .body.id;
    });
    const create = (form: string) => () => send(key, 'POST', '/v1/webhook_endpoints', form);

    it('refuses an event type it does not know, by its place in the list', async () => {
      await expectRefused(
        create(`url=${PUBLIC_URL}&enabled_events[]=customer.created&enabled_events[]=charge.succeeded`),
        {
          code: 'parameter_invalid_string',
          param: 'enabled_events[1]',
          message:
            'Invalid enabled_events[1]: must be one of customer.created, customer.updated, customer.deleted, or *',
        },
      );
    });

    it('refuses * together with other types, an empty list, and no list', async () => {
      await expectRefused(create(`url=${PUBLIC_URL}&enabled_events[]=*&enabled_events[]=customer.created`), {
        param: 'enabled_events',
        message: /\* already stands for every event type/,
      });
      await expectRefused(create(`url=${PUBLIC_URL}&enabled_events=`), {
        code: 'parameter_invalid_empty',
        param: 'enabled_events',
        message: /empty string for 'enabled_events'/,
      });
      await expectRefused(create(`url=${PUBLIC_URL}`), {
        code: 'parameter_missing',
        param: 'enabled_events',
        message: 'Missing required param: enabled_events.',
      });
      await expectRefused(create('enabled_events[]=*'), {
        code: 'parameter_missing',
        param: 'url',
        message: 'Missing required param: url.',
      });
    });

    it('refuses malformed, non-http(s), credentialed and overlong URLs', async () => {
      const url = (value: string) => create(`url=${encodeURIComponent(value)}&enabled_events[]=*`);
      await expectRefused(url('hooks.example.com/stripe'), {
        code: 'url_invalid',
        param: 'url',
        message: /^Invalid URL: hooks\.example\.com\/stripe\. Use an absolute URL/,
      });
      await expectRefused(url(' https://hooks.example.com/'), {
        code: 'url_invalid',
        message: /absolute URL/,
      });
      for (const scheme of ['ftp://hooks.example.com/', 'javascript:alert(1)', 'file:///etc/passwd'])
        await expectRefused(url(scheme), {
          code: 'url_invalid',
          param: 'url',
          message: `Invalid URL: ${scheme}. URLs must begin with "https://" or "http://".`,
        });
      const credentialed = await send(
        key,
        'POST',
        '/v1/webhook_endpoints',
        `url=${encodeURIComponent('https://admin:hunter2@hooks.example.com/')}&enabled_events[]=*`,
      );
      expect(credentialed.body.error).toMatchObject({ code: 'url_invalid', param: 'url' });
      // The password is not repeated back, nor kept in the request log.
      expect(credentialed.body.error.message).not.toContain('hunter2');
      await expect
        .poll(() =>
          logged.some((entry) => JSON.stringify(entry.body).includes('[redacted]@hooks.example.com')),
        )
        .toBe(true);
      const logs = await db.selectFrom('request_logs').select(['body', 'response']).execute();
      expect(JSON.stringify(logs)).toContain('https://[redacted]@hooks.example.com/');
      expect(JSON.stringify(logs)).not.toContain('hunter2');
      expect(JSON.stringify(logged)).not.toContain('hunter2');
      await expectRefused(url(`https://hooks.example.com/${'a'.repeat(2048)}`), {
        code: 'parameter_invalid_string',
        param: 'url',
        message: 'Invalid url: must be at most 2048 characters.',
      });
    });

    it('refuses connect=true, a malformed api_version, and description and metadata past their limits', async () => {
      await expectRefused(create(`url=${PUBLIC_URL}&enabled_events[]=*&connect=true`), {
        param: 'connect',
        message: /no connected accounts/,
      });
      await expectRefused(create(`url=${PUBLIC_URL}&enabled_events[]=*&api_version=yesterday`), {
        param: 'api_version',
        message: 'Invalid api_version: use a version such as 2026-07-29.dahlia.',
      });
      await expectRefused(create(`url=${PUBLIC_URL}&enabled_events[]=*&description=${'d'.repeat(5001)}`), {
        param: 'description',
        message: 'Invalid description: must be at most 5000 characters.',
      });
      const keys = Array.from({ length: 51 }, (_, i) => `metadata[k${i}]=v`).join('&');
      await expectRefused(create(`url=${PUBLIC_URL}&enabled_events[]=*&${keys}`), {
        param: 'metadata',
        message: "Metadata can have up to 50 keys, but you've set 51.",
      });
      await expectRefused(create(`url=${PUBLIC_URL}&enabled_events[]=*&secret=whsec_mine`), {
        code: 'parameter_unknown',
        param: 'secret',
        message: 'Received unknown parameter: secret',
      });
    });

    it('refuses the same on update, and an update of an endpoint that does not exist', async () => {
      await expectRefused(
        () => send(key, 'POST', `/v1/webhook_endpoints/${existing}`, 'enabled_events[]=invoice.paid'),
        { param: 'enabled_events[0]', message: /^Invalid enabled_events\[0\]: must be one of/ },
      );
      await expectRefused(
        () => send(key, 'POST', `/v1/webhook_endpoints/${existing}`, 'url=gopher://hooks.example.com'),
        { code: 'url_invalid', param: 'url', message: /must begin with "https:\/\/" or "http:\/\/"/ },
      );
      await expectRefused(() => send(key, 'POST', `/v1/webhook_endpoints/${existing}`, 'disabled=maybe'), {
        param: 'disabled',
        message: 'Invalid disabled: must be one of true, or false',
      });
      await expectRefused(() => send(key, 'POST', '/v1/webhook_endpoints/we_nothere', 'description=x'), {
        status: 404,
        code: 'resource_missing',
        param: 'id',
        message: "No such webhook endpoint: 'we_nothere'",
      });
    });

    it('refuses live-mode URLs that are not https, with Stripe’s message', async () => {
      // Live keys never reach an operation (the sandbox is test mode only), so the operation is
      // called as the router would call it for a live key.
      const { accountId } = await newAccount();
      const before = await endpointRows();
      const ctx: OperationContext = {
        db,
        accountId,
        mode: 'live',
        objectId: undefined,
        params: { url: 'http://hooks.example.com/stripe', enabled_events: ['*'] },
        requestId: 'req_live',
        idempotencyKey: null,
        apiVersion: '2026-07-29.dahlia',
        now: Date.now(),
        recordedEvents: [],
        webhookTargets: { allowPrivate: true, lookup },
      };
      await expect(createWebhookEndpoint(ctx)).rejects.toMatchObject({
        status: 400,
        code: 'url_invalid',
        param: 'url',
        message: 'Invalid URL: http://hooks.example.com/stripe. URLs in livemode must begin with "https://"',
      });
      expect(await endpointRows()).toEqual(before);
      const made = await createWebhookEndpoint({
        ...ctx,
        params: { url: 'https://hooks.example.com/stripe', enabled_events: ['*'] },
      });
      expect(made.body).toMatchObject({ livemode: true, url: 'https://hooks.example.com/stripe' });
    });
  });

  describe('addresses the server must not send to', () => {
    const PRIVATE_URLS = [
      'http://127.0.0.1/',
      'http://[::1]/',
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:127.0.0.1]/',
      'http://evil.example/hook',
      'https://sneaky.example:8443/hook',
    ];

    for (const url of PRIVATE_URLS) {
      it(`refuses ${url} on a public site, creating nothing`, async () => {
        const { key } = await newAccount();
        await expectRefused(
          () =>
            send(key, 'POST', '/v1/webhook_endpoints', `url=${encodeURIComponent(url)}&enabled_events[]=*`),
          {
            code: 'url_invalid',
            param: 'url',
            message:
              /This site does not send webhooks to loopback, private, link-local, multicast or metadata addresses/,
          },
        );
      });

      it(`accepts ${url} on a Keyway that allows private targets`, async () => {
        const { key } = await newAccount();
        const made = await send(
          key,
          'POST',
          '/v1/webhook_endpoints',
          `url=${encodeURIComponent(url)}&enabled_events[]=*`,
          { allowPrivate: true, lookup },
        );
        expect(made.status, JSON.stringify(made.body)).toBe(200);
        expect(made.body.url).toBe(url);
      });
    }

    it('names the address a host resolved to, and refuses a host that does not resolve', async () => {
      const { key } = await newAccount();
      const viaName = await send(
        key,
        'POST',
        '/v1/webhook_endpoints',
        'url=http://evil.example/&enabled_events[]=*',
      );
      expect(viaName.body.error.message).toContain('evil.example resolves to 127.0.0.1');
      await expectRefused(
        () => send(key, 'POST', '/v1/webhook_endpoints', 'url=https://nowhere.example/&enabled_events[]=*'),
        { code: 'url_invalid', param: 'url', message: 'The host nowhere.example could not be resolved.' },
      );
    });

    it('refuses moving an endpoint to a private address, leaving its URL as it was', async () => {
      const { key } = await newAccount();
      const made = await send(key, 'POST', '/v1/webhook_endpoints', `url=${PUBLIC_URL}&enabled_events[]=*`);
      await expectRefused(
        () =>
          send(
            key,
            'POST',
            `/v1/webhook_endpoints/${made.body.id}`,
            'url=http://169.254.169.254/latest/meta-data',
          ),
        { code: 'url_invalid', param: 'url', message: /link-local/ },
      );
      expect((await send(key, 'GET', `/v1/webhook_endpoints/${made.body.id}`)).body.url).toBe(PUBLIC_URL);
    });
  });

  it('allows 16 endpoints per account and mode, and refuses the 17th by name', async () => {
    const { key } = await newAccount();
    for (let i = 0; i < 16; i++) {
      const made = await send(
        key,
        'POST',
        '/v1/webhook_endpoints',
        `url=${PUBLIC_URL}/${i}&enabled_events[]=*`,
      );
      expect(made.status).toBe(200);
    }
    await expectRefused(
      () => send(key, 'POST', '/v1/webhook_endpoints', `url=${PUBLIC_URL}&enabled_events[]=*`),
      {
        code: 'webhook_endpoint_limit',
        message:
          'You have reached the maximum of 16 webhook endpoints in test mode. Delete one you no longer use (DELETE /v1/webhook_endpoints/{id}) before creating another.',
      },
    );
    // Another account is not counted against this one.
    const other = await newAccount();
    expect(
      (await send(other.key, 'POST', '/v1/webhook_endpoints', `url=${PUBLIC_URL}&enabled_events[]=*`)).status,
    ).toBe(200);
  });

  it('holds to 16 when many clients create at once', async () => {
    const { accountId, key } = await newAccount();
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        send(key, 'POST', '/v1/webhook_endpoints', `url=${PUBLIC_URL}/${i}&enabled_events[]=*`),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(16);
    expect(answers.filter((answer) => answer.body.error?.code === 'webhook_endpoint_limit')).toHaveLength(8);
    const rows = await db
      .selectFrom('webhook_endpoints')
      .select('id')
      .where('account_id', '=', accountId)
      .execute();
    expect(rows).toHaveLength(16);
  });

  it("keeps one account's endpoints from another: B cannot read, change, delete or list A's", async () => {
    const a = await newAccount();
    const b = await newAccount();
    const made = await send(a.key, 'POST', '/v1/webhook_endpoints', `url=${PUBLIC_URL}&enabled_events[]=*`);
    const id = made.body.id as string;
    const before = await endpointRows();
    const missing = { status: 404, code: 'resource_missing', message: `No such webhook endpoint: '${id}'` };
    await expectRefused(() => send(b.key, 'GET', `/v1/webhook_endpoints/${id}`), missing);
    await expectRefused(() => send(b.key, 'POST', `/v1/webhook_endpoints/${id}`, 'disabled=true'), missing);
    // Even a URL that would be refused is not looked at before the endpoint is found.
    await expectRefused(
      () => send(b.key, 'POST', `/v1/webhook_endpoints/${id}`, 'url=http://127.0.0.1/'),
      missing,
    );
    await expectRefused(() => send(b.key, 'DELETE', `/v1/webhook_endpoints/${id}`), missing);
    expect((await send(b.key, 'GET', '/v1/webhook_endpoints')).body.data).toEqual([]);
    await expectRefused(() => send(b.key, 'GET', `/v1/webhook_endpoints?starting_after=${id}`), {
      ...missing,
      param: 'starting_after',
    });
    expect(await endpointRows()).toEqual(before);
    expect((await send(a.key, 'GET', `/v1/webhook_endpoints/${id}`)).body.status).toBe('enabled');
  });

  it('gives restricted keys a Webhook endpoints permission of their own', async () => {
    const { accountId, key } = await newAccount();
    const made = await send(key, 'POST', '/v1/webhook_endpoints', `url=${PUBLIC_URL}&enabled_events[]=*`);
    const restricted = async (webhook_endpoints: 'none' | 'read' | 'write') =>
      (
        await createRestrictedKey(db, accountId, 'test', `webhooks ${webhook_endpoints}`, {
          customers: 'write',
          events: 'write',
          webhook_endpoints,
        })
      ).plaintext;
    const none = await restricted('none');
    const read = await restricted('read');
    const write = await restricted('write');
    await expectRefused(() => send(none, 'GET', '/v1/webhook_endpoints'), {
      status: 403,
      message:
        /needs Webhook endpoints: Read for this endpoint .* and has Webhook endpoints: None.*'rak_webhook_endpoint_read'/,
    });
    expect((await send(read, 'GET', `/v1/webhook_endpoints/${made.body.id}`)).status).toBe(200);
    await expectRefused(() => send(read, 'DELETE', `/v1/webhook_endpoints/${made.body.id}`), {
      status: 403,
      message: /needs Webhook endpoints: Write/,
    });
    expect((await send(write, 'DELETE', `/v1/webhook_endpoints/${made.body.id}`)).body.deleted).toBe(true);
  });

  it('a restricted key stored before webhook endpoints existed keeps its access and has none to them', async () => {
    const { accountId } = await newAccount();
    const old = await createRestrictedKey(db, accountId, 'test', 'older key', {
      customers: 'read',
      events: 'none',
      webhook_endpoints: 'none',
    });
    await db
      .updateTable('api_keys')
      .set({ permissions: JSON.stringify({ customers: 'read', events: 'none' }) })
      .where('id', '=', old.id)
      .execute();
    expect((await send(old.plaintext, 'GET', '/v1/customers')).status).toBe(200);
    expect((await send(old.plaintext, 'GET', '/v1/webhook_endpoints')).status).toBe(403);
  });

  it('deleting an endpoint deletes the deliveries it was owed and their attempts', async () => {
    const { accountId, key } = await newAccount();
    const made = await send(key, 'POST', '/v1/webhook_endpoints', `url=${PUBLIC_URL}&enabled_events[]=*`);
    const kept = await send(
      key,
      'POST',
      '/v1/webhook_endpoints',
      `url=${PUBLIC_URL}/kept&enabled_events[]=*`,
    );
    await send(key, 'POST', '/v1/customers', 'email=owed@example.com');
    // The event is owed to both endpoints: the sandbox wrote a delivery for each with it.
    const owed = await db
      .selectFrom('webhook_deliveries')
      .select(['id', 'endpoint_id'])
      .where('account_id', '=', accountId)
      .execute();
    expect(owed.map((row) => row.endpoint_id).sort()).toEqual([made.body.id, kept.body.id].sort());
    const now = Date.now();
    await db
      .insertInto('webhook_attempts')
      .values({
        id: 'wha_gone',
        delivery_id: owed.find((row) => row.endpoint_id === made.body.id)!.id,
        attempt_number: 1,
        url: PUBLIC_URL,
        status: 500,
        error: null,
        duration_ms: 12,
        response_body: 'oops',
        created_ms: now,
      })
      .execute();

    expect((await send(key, 'DELETE', `/v1/webhook_endpoints/${made.body.id}`)).body.deleted).toBe(true);

    const deliveries = await db
      .selectFrom('webhook_deliveries')
      .select('endpoint_id')
      .where('account_id', '=', accountId)
      .execute();
    expect(deliveries).toEqual([{ endpoint_id: kept.body.id }]);
    expect(
      await db.selectFrom('webhook_attempts').selectAll().where('id', '=', 'wha_gone').execute(),
    ).toEqual([]);
  });

  it('keeps the secret out of the request log and the live notices', async () => {
    const { accountId, key } = await newAccount();
    logged.length = 0;
    const made = await send(key, 'POST', '/v1/webhook_endpoints', `url=${PUBLIC_URL}&enabled_events[]=*`);
    const secret = made.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    // The log is written without holding up the response.
    await expect.poll(() => logged.length).toBeGreaterThan(0);
    const rows = await db
      .selectFrom('request_logs')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret.slice(6));
    expect(JSON.parse(rows[0]!.response)).toMatchObject({ id: made.body.id, secret: 'whsec_[redacted]' });
    expect(JSON.stringify(logged)).not.toContain(secret.slice(6));
    expect(logged[0]!.response).toMatchObject({ secret: 'whsec_[redacted]' });
  });

  it('replays an idempotent create with the same secret, creating one endpoint', async () => {
    const { accountId, key } = await newAccount();
    const request = () =>
      handleSandboxRequest(
        new Request(`${ORIGIN}/v1/webhook_endpoints`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/x-www-form-urlencoded',
            'idempotency-key': 'one-endpoint',
          },
          body: `url=${PUBLIC_URL}&enabled_events[]=*`,
        }),
        deps(),
      );
    const first = (await (await request()).json()) as { id: string; secret: string };
    const again = await request();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(first);
    const count = await db
      .selectFrom('webhook_endpoints')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });
});
