import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEverySandboxResponse } from '../support/openapi.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { browse, call, newReaderWithKeys, sdk, type Reader } from '../support/sandbox.ts';

/**
 * `/v1/webhook_endpoints` on the running server, with the official SDK: the wire format a
 * reader's code sees, the secret shown once and never in the dashboard's request log, and the
 * address policy as the server's configuration sets it (the shared server listens on
 * loopback, so it serves one developer and takes private targets; a server told
 * `WEBHOOK_PRIVATE_TARGETS=refuse` does not). tests/database/webhook-endpoints.test.ts covers
 * every refusal in process, on both databases.
 */

checkEverySandboxResponse();

describe('webhook endpoints with the official SDK', () => {
  let reader: Reader;
  let stripe: Stripe;
  let created: Stripe.WebhookEndpoint;

  beforeAll(async () => {
    reader = await newReaderWithKeys();
    stripe = sdk(reader.secretKey);
    created = await stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:3000/webhooks',
      enabled_events: ['customer.created', 'customer.deleted'],
      description: 'Local handler',
      metadata: { env: 'dev' },
    });
  });

  it('creates an endpoint on a local Keyway, with its secret', () => {
    expect(created).toMatchObject({
      object: 'webhook_endpoint',
      url: 'http://127.0.0.1:3000/webhooks',
      enabled_events: ['customer.created', 'customer.deleted'],
      description: 'Local handler',
      metadata: { env: 'dev' },
      status: 'enabled',
      api_version: null,
      application: null,
      livemode: false,
    });
    expect(created.id).toMatch(/^we_[0-9A-Za-z]{24}$/);
    expect(created.secret).toMatch(/^whsec_[0-9A-Za-z]{32}$/);
  });

  it('retrieves, updates, lists and deletes it, never showing the secret again', async () => {
    const retrieved = await stripe.webhookEndpoints.retrieve(created.id);
    expect(retrieved.secret).toBeUndefined();
    expect(retrieved.url).toBe(created.url);
    const disabled = await stripe.webhookEndpoints.update(created.id, {
      disabled: true,
      enabled_events: ['*'],
    });
    expect(disabled).toMatchObject({ status: 'disabled', enabled_events: ['*'] });
    expect(disabled.secret).toBeUndefined();
    const listed = await stripe.webhookEndpoints.list({ limit: 10 });
    expect(listed.data.map((endpoint) => [endpoint.id, endpoint.secret])).toEqual([[created.id, undefined]]);
    const deleted = await stripe.webhookEndpoints.del(created.id);
    expect(deleted.deleted).toBe(true);
    expect((await stripe.webhookEndpoints.list()).data).toEqual([]);
  });

  it('keeps the secret out of the dashboard’s request log', async () => {
    const fresh = await call(reader.base, 'POST', '/v1/webhook_endpoints', {
      key: reader.secretKey,
      form: { url: 'http://localhost:4000/hook', 'enabled_events[]': '*' },
    });
    expect(fresh.status, fresh.text).toBe(200);
    const secret = fresh.json.secret as string;
    const requestId = fresh.headers.get('request-id')!;
    let page = '';
    // The log is written without holding up the response.
    await expect
      .poll(async () => {
        const response = await browse(reader.base, `/dashboard/logs/${requestId}`, reader.jar);
        page = await response.text();
        return response.status;
      })
      .toBe(200);
    expect(page).toContain('whsec_[redacted]');
    expect(page).not.toContain(secret.slice('whsec_'.length));
  });

  it('refuses an unknown event type and a URL that is not http(s), by name', async () => {
    const unknown = await call(reader.base, 'POST', '/v1/webhook_endpoints', {
      key: reader.secretKey,
      form: 'url=http://127.0.0.1:3000/&enabled_events[]=charge.succeeded',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({
      type: 'invalid_request_error',
      param: 'enabled_events[0]',
      message:
        'Invalid enabled_events[0]: must be one of customer.created, customer.updated, customer.deleted, or *',
    });
    const scheme = await call(reader.base, 'POST', '/v1/webhook_endpoints', {
      key: reader.secretKey,
      form: 'url=ftp://127.0.0.1/&enabled_events[]=*',
    });
    expect(scheme.json.error).toMatchObject({ code: 'url_invalid', param: 'url' });
  });
});

describe('webhook endpoints on a server that refuses private targets', () => {
  let server: RunningServer;
  let reader: Reader;

  beforeAll(async () => {
    server = await startServer({ WEBHOOK_PRIVATE_TARGETS: 'refuse' });
    reader = await newReaderWithKeys(server.baseUrl);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('refuses loopback, private and metadata addresses, creating nothing', async () => {
    for (const url of [
      'http://127.0.0.1:3000/',
      'http://[::1]/',
      'http://169.254.169.254/latest/meta-data',
    ]) {
      const response = await call(server.baseUrl, 'POST', '/v1/webhook_endpoints', {
        key: reader.secretKey,
        form: { url, 'enabled_events[]': '*' },
      });
      expect(response.status, response.text).toBe(400);
      expect(response.json.error).toMatchObject({ code: 'url_invalid', param: 'url' });
      expect(response.json.error.message).toMatch(/does not send webhooks to loopback, private/);
    }
    const listed = await call(server.baseUrl, 'GET', '/v1/webhook_endpoints', { key: reader.secretKey });
    expect(listed.json.data).toEqual([]);
  });
});
