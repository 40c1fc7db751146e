import { describe, expect, it } from 'vitest';
import { resolveApiCall } from '../../src/isomorphic/resolve-call.ts';
import { SAMPLE_LANGUAGES, type LanguageId } from '../../src/lib/snippets/languages/index.ts';

/**
 * The webhook endpoint samples name the resource as each SDK does (a two-word resource is
 * `webhookEndpoints` in stripe-node and stripe-php, `WebhookEndpoint` in stripe-python,
 * `V1WebhookEndpoints` in stripe-go) and send `disabled` as the boolean the typed SDKs take.
 */
const generate = (language: LanguageId, method: string, path: string, params = {}) =>
  SAMPLE_LANGUAGES.find((entry) => entry.id === language)!.generate(resolveApiCall(method, path, params));

describe('webhook endpoint samples', () => {
  const create = { url: 'https://hooks.example.com/', enabled_events: ['*'] };

  it('call each SDK’s webhook endpoint service, with the language’s own variable names', () => {
    const expected: Partial<Record<LanguageId, string>> = {
      node: 'const webhookEndpoint = await stripe.webhookEndpoints.create({',
      python: 'webhook_endpoint = stripe.WebhookEndpoint.create(',
      ruby: 'webhook_endpoint = client.v1.webhook_endpoints.create({',
      php: '$webhookEndpoint = $stripe->webhookEndpoints->create([',
      go: 'webhookEndpoint, err := sc.V1WebhookEndpoints.Create(context.TODO(), params)',
      java: 'WebhookEndpoint webhookEndpoint = client.v1().webhookEndpoints().create(params);',
      dotnet: 'WebhookEndpoint webhookEndpoint = client.V1.WebhookEndpoints.Create(options);',
      cli: 'keyway webhook_endpoints create',
    };
    for (const [language, line] of Object.entries(expected))
      expect(generate(language as LanguageId, 'POST', '/v1/webhook_endpoints', create), language).toContain(
        line,
      );
    expect(generate('go', 'POST', '/v1/webhook_endpoints', create)).toContain(
      'URL:           stripe.String("https://hooks.example.com/")',
    );
  });

  it('send disabled as a boolean, whether the value came as one or as the text a field holds', () => {
    for (const disabled of [true, 'true']) {
      const path = '/v1/webhook_endpoints/we_123';
      expect(generate('go', 'POST', path, { disabled })).toContain('Disabled: stripe.Bool(true)');
      expect(generate('java', 'POST', path, { disabled })).toContain('.setDisabled(true)');
      expect(generate('dotnet', 'POST', path, { disabled })).toContain('Disabled = true,');
      expect(generate('curl', 'POST', path, { disabled })).toContain('-d disabled=true');
    }
    expect(generate('go', 'POST', '/v1/webhook_endpoints/we_123', { disabled: false })).toContain(
      'Disabled: stripe.Bool(false)',
    );
  });
});
