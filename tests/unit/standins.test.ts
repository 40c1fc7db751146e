import { describe, expect, it } from 'vitest';
import {
  STANDINS,
  compileTemplate,
  countStandins,
  encodeTemplate,
  fillEncodedTemplate,
  fillTemplate,
  tokensToStandins,
  type SlotValues,
} from '../../src/lib/page-template/standins.ts';
import { highlightSample } from '../../src/lib/snippets/highlight.ts';
import { slotValues } from '../../src/lib/page-template/slot-values.ts';
import { listenSigningSecret } from '../../src/lib/webhooks/secrets.ts';

const values: SlotValues = {
  secretKey: 'sk_test_SECRET',
  publishableKey: 'pk_test_PUBLIC',
  apiBase: 'http://localhost:4321',
  apiHost: 'localhost',
  apiPort: '4321',
  apiProtocol: 'http',
  keySource: 'sample',
  keyNote: 'note',
  accountMenu: '<a>Sign in</a>',
  keyBanner: '',
  keyIntro: '<p>Sample keys.</p>',
  customerId: 'cus_REAL00000000000',
  eventId: 'evt_REAL0000000000000000000',
  webhookSecret: 'whsec_REAL',
};

describe('stand-ins', () => {
  it('are made only of word characters, so no grammar splits them', () => {
    for (const standin of Object.values(STANDINS)) expect(standin).toMatch(/^\w+$/);
    expect(STANDINS.secretKey).toMatch(/^sk_test_[0-9A-Za-z]{24}$/);
    expect(STANDINS.publishableKey).toMatch(/^pk_test_[0-9A-Za-z]{24}$/);
  });

  it('replace every author token before highlighting', () => {
    const code = 'curl {{API_BASE}}/v1 -u {{SECRET_KEY}}: # {{PUBLISHABLE_KEY}} {{SECRET_KEY}}';
    const replaced = tokensToStandins(code);
    expect(replaced).not.toContain('{{');
    expect(countStandins(replaced).get(STANDINS.secretKey)).toBe(2);
  });

  it('fill every slot in one pass, in order', () => {
    const html = `<a href="${STANDINS.apiBase}">${STANDINS.secretKey}</a>${STANDINS.secretKey}|${STANDINS.keySource}`;
    expect(fillTemplate(compileTemplate(html), values)).toBe(
      '<a href="http://localhost:4321">sk_test_SECRET</a>sk_test_SECRET|sample',
    );
  });

  it('fill the same bytes from the encoded form the server uses', () => {
    const html = `<p title="${STANDINS.keyNote}">é ${STANDINS.secretKey} ✓ ${STANDINS.apiBase}${STANDINS.secretKey}</p>`;
    const template = compileTemplate(html);
    const unicodeValues = { ...values, keyNote: 'Clé' };
    expect(fillEncodedTemplate(encodeTemplate(template), unicodeValues).toString('utf8')).toBe(
      fillTemplate(template, unicodeValues),
    );
  });

  it('leave a page without stand-ins unchanged', () => {
    expect(fillTemplate(compileTemplate('<p>plain</p>'), values)).toBe('<p>plain</p>');
  });
});

describe('highlighted samples', () => {
  // A token like {{SECRET_KEY}} would be split by grammars ({{ is punctuation in many);
  // stand-ins keep it whole in every language we highlight.
  it.each([
    ['bash', 'curl {{API_BASE}}/v1/customers \\\n  -u {{SECRET_KEY}}:'],
    [
      'javascript',
      "const stripe = new Stripe('{{SECRET_KEY}}', { host: '{{API_HOST}}', port: '{{API_PORT}}' });",
    ],
    ['python', 'stripe.api_key = "{{SECRET_KEY}}"\nstripe.api_base = "{{API_BASE}}"'],
    ['php', "<?php\n$stripe = new \\Stripe\\StripeClient(['api_key' => '{{SECRET_KEY}}']);"],
    ['go', 'sc := stripe.NewClient("{{SECRET_KEY}}", nil)'],
    ['csharp', 'var client = new StripeClient("{{SECRET_KEY}}", apiBase: "{{API_BASE}}");'],
    ['json', '{"key": "{{PUBLISHABLE_KEY}}"}'],
  ])('keep %s keys whole and substitutable', async (grammar, code) => {
    const html = await highlightSample(code, grammar);
    const filled = fillTemplate(compileTemplate(html), values);
    const text = filled.replace(/<[^>]+>/g, '');
    const expected = code
      .replaceAll('{{SECRET_KEY}}', 'sk_test_SECRET')
      .replaceAll('{{PUBLISHABLE_KEY}}', 'pk_test_PUBLIC')
      .replaceAll('{{API_BASE}}', 'http://localhost:4321')
      .replaceAll('{{API_HOST}}', 'localhost')
      .replaceAll('{{API_PORT}}', '4321');
    expect(decodeEntities(text)).toBe(expected);
    expect(filled).toContain('<span class="kw-key"');
  });

  it('highlights each distinct code once', async () => {
    const first = highlightSample('echo {{SECRET_KEY}}', 'bash');
    expect(highlightSample('echo {{SECRET_KEY}}', 'bash')).toBe(first);
  });

  it('escapes reader values for HTML', () => {
    const origin = new URL('http://a.example:8080');
    const filled = slotValues(
      { keySource: 'sample', secretKey: 'sk_test_<b>"x"', publishableKey: "pk_test_'&'", member: null },
      origin,
      Buffer.alloc(32, 1),
    );
    expect(filled.secretKey).toBe('sk_test_&lt;b&gt;&quot;x&quot;');
    expect(filled.publishableKey).toBe('pk_test_&#39;&amp;&#39;');
    expect(filled.apiPort).toBe('8080');
  });
});

describe("the reader's keyway listen signing secret on pages", () => {
  const siteSecret = Buffer.alloc(32, 7);
  const origin = new URL('http://localhost:4321');
  const readerWith = (secretKey: string) =>
    ({ keySource: 'sample', secretKey, publishableKey: 'pk_test_x', member: null }) as const;

  it('is the one keyway listen derives for the same key, the same on every load', () => {
    const key = 'sk_test_AAAAAAAAAAAAAAAAAAAAAAAA';
    const first = slotValues(readerWith(key), origin, siteSecret).webhookSecret;
    expect(first).toBe(listenSigningSecret(siteSecret, key));
    expect(first).toMatch(/^whsec_[0-9A-Za-z]{24}$/);
    expect(slotValues(readerWith(key), origin, siteSecret).webhookSecret).toBe(first);
  });

  it('differs between two readers, and between two sites', () => {
    const one = slotValues(readerWith('sk_test_AAAAAAAAAAAAAAAAAAAAAAAA'), origin, siteSecret);
    const two = slotValues(readerWith('sk_test_BBBBBBBBBBBBBBBBBBBBBBBB'), origin, siteSecret);
    const elsewhere = slotValues(readerWith('sk_test_AAAAAAAAAAAAAAAAAAAAAAAA'), origin, Buffer.alloc(32, 8));
    expect(new Set([one.webhookSecret, two.webhookSecret, elsewhere.webhookSecret]).size).toBe(3);
  });

  it('has a key-shaped stand-in that highlighting keeps whole and a fill replaces', async () => {
    expect(STANDINS.webhookSecret).toMatch(/^whsec_[0-9A-Za-z]{24}$/);
    const html = await highlightSample("const secret = '{{WEBHOOK_SECRET}}';", 'javascript');
    expect(countStandins(html).get(STANDINS.webhookSecret)).toBe(1);
    const filled = fillTemplate(compileTemplate(html), values);
    expect(filled).toContain('whsec_REAL');
    expect(filled).not.toContain(STANDINS.webhookSecret);
  });
});

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&');
}
