import { describe, expect, it } from 'vitest';
import { webhookAdvice } from '../../src/isomorphic/webhook-advice.ts';

describe('advice for a webhook handler that did not answer 2xx', () => {
  it.each([200, 201, 204, 299])('has nothing to say about %i', (status) => {
    expect(webhookAdvice({ status, error: null })).toBeNull();
  });

  it('blames the secret or a parsed body for a 400, as that is what a failed signature check answers', () => {
    const advice = webhookAdvice({ status: 400, error: null })!;
    expect(advice).toContain('refused the signature');
    expect(advice).toContain('the one keyway listen printed');
    expect(advice).toContain('raw body');
    expect(advice).toContain('secret');
  });

  it.each(['connect ECONNREFUSED 127.0.0.1:3000', 'getaddrinfo ENOTFOUND localhost', null])(
    'asks whether the handler runs on port 3000 when no answer came (%s)',
    (error) => {
      const advice = webhookAdvice({ status: null, error })!;
      expect(advice).toContain('port 3000');
      expect(advice).not.toContain('sooner');
    },
  );

  it('adds that a handler which is running must answer sooner, for a timeout', () => {
    for (const error of ['The handler timed out after 30 s', 'Request timeout']) {
      const advice = webhookAdvice({ status: null, error })!;
      expect(advice).toContain('port 3000');
      expect(advice).toContain('answer 2xx sooner');
    }
  });

  it('says what other statuses mean', () => {
    expect(webhookAdvice({ status: 404, error: null })).toContain('--forward-to');
    expect(webhookAdvice({ status: 405, error: null })).toContain('POST');
    expect(webhookAdvice({ status: 401, error: null })).toContain('authentication');
    expect(webhookAdvice({ status: 403, error: null })).toContain('CSRF');
    expect(webhookAdvice({ status: 302, error: null })).toContain('redirected (302)');
    expect(webhookAdvice({ status: 500, error: null })).toContain('(500)');
    expect(webhookAdvice({ status: 503, error: null })).toContain('its own output');
    expect(webhookAdvice({ status: 418, error: null })).toContain('418');
  });

  it('gives each status its own advice rather than one sentence for all', () => {
    const statuses = [null, 400, 401, 403, 404, 405, 418, 301, 500];
    const advice = statuses.map((status) => webhookAdvice({ status, error: null }));
    expect(new Set(advice).size).toBe(statuses.length);
  });
});
