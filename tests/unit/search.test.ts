import { describe, expect, it } from 'vitest';
import { createSearch, normalizeWord, tokenize } from '../../src/isomorphic/search/engine.ts';
import { excerpt, highlight, type TextPart } from '../../src/isomorphic/search/excerpt.ts';
import { findLeaks } from '../../src/build/search-index/leaks.ts';
import { pageSections, type PageSource } from '../../src/build/search-index/sections.ts';
import { STANDINS } from '../../src/lib/page-template/standins.ts';

/** Marked words in brackets, to compare highlighting at a glance. */
const show = (parts: TextPart[]) =>
  parts.map((part) => (part.marked ? `[${part.text}]` : part.text)).join('');

const page = (body: string, headings: PageSource['headings']): PageSource => ({
  url: '/docs/example',
  title: 'Example page',
  description: 'What the example page is for.',
  body,
  headings,
});

describe('splitting a docs page into search sections', () => {
  const body = [
    'Intro with `{{SECRET_KEY}}` in **bold** text.',
    '',
    '## Send a request',
    '',
    'Run it:',
    '',
    '```bash',
    'curl {{API_BASE}}/v1/customers -u {{SECRET_KEY}}:',
    '```',
    '',
    '<Request method="DELETE" path="/v1/customers/cus_123" />',
    '',
    '<Steps>',
    '',
    '1. ## A step heading',
    '',
    '   | Field | Meaning |',
    '   | ----- | ------- |',
    '   | `id`  | Unique  |',
    '',
    '</Steps>',
    '',
    '<Aside type="tip">Words inside an aside.</Aside>',
  ].join('\n');
  const headings = [
    { slug: 'send-a-request', text: 'Send a request' },
    { slug: 'a-step-heading', text: 'A step heading#' },
  ];

  it('starts a section at each heading, even inside a component, with the rendered anchor', () => {
    const sections = pageSections(page(body, headings));
    expect(sections.map((section) => [section.url, section.heading])).toEqual([
      ['/docs/example', 'Example page'],
      ['/docs/example#send-a-request', 'Send a request'],
      ['/docs/example#a-step-heading', 'A step heading'],
    ]);
    expect(sections[0]!.text).toBe('What the example page is for. Intro with in bold text.');
    expect(sections[1]!.api).toBe('DELETE /v1/customers/:id delete customers');
    expect(sections[2]!.text).toBe('Field — Meaning. id — Unique. Words inside an aside.');
  });

  it('keeps a table row readable in the text and its excerpt: "cell — cell", one row after another', () => {
    const table = [
      '| Key | Prefix | What it is for |',
      '| --- | ------ | -------------- |',
      '| Test secret key | `sk_test_` | Server-side calls. The samples use it. |',
      '| Live secret key | `sk_live_` | | ',
    ].join('\n');
    const [intro] = pageSections(page(table, []));
    expect(intro!.text).toBe(
      'What the example page is for. Key — Prefix — What it is for. ' +
        'Test secret key — sk_test_ — Server-side calls. The samples use it. Live secret key — sk_live_.',
    );
    expect(show(excerpt(intro!.text, new Set(['live']), 60))).toBe(
      '… Server-side calls. The samples use it. [Live] secret key …',
    );
  });

  it('leaves out code and author tokens, so the index holds no key', () => {
    const text = JSON.stringify(pageSections(page(body, headings)));
    expect(text).not.toContain('curl');
    expect(text).not.toContain('{{');
    expect(findLeaks(text)).toEqual([]);
  });

  it('fails, naming the page, when the rendered headings do not match the source', () => {
    expect(() => pageSections(page(body, [headings[0]!]))).toThrow(
      'heading "A step heading" in /docs/example does not match the rendered heading "(none)"',
    );
    expect(() => pageSections(page(body, [...headings, { slug: 'extra', text: 'Extra' }]))).toThrow(
      '/docs/example renders 3 headings but its source has 2',
    );
  });
});

describe('finding leaks', () => {
  it('finds key-shaped strings, stand-ins and author tokens, but not key prefixes in prose', () => {
    const key = ['rk', 'live', 'abcdefgh12345678'].join('_');
    expect(findLeaks(`a ${key} b {{PUBLISHABLE_KEY}} ${STANDINS.apiBase}`)).toEqual([
      key,
      '{{PUBLISHABLE_KEY}}',
      STANDINS.apiBase,
    ]);
    expect(findLeaks('Secret keys start with sk_test_ or sk_live_.')).toEqual([]);
  });
});

describe('terms', () => {
  it('splits API names into words and keeps them whole as well', () => {
    expect(tokenize('A customer.created event; see starting_after.')).toEqual([
      'A',
      'customer',
      'created',
      'customer.created',
      'event',
      'see',
      'starting',
      'after',
      'starting_after',
    ]);
  });

  it('lower-cases, drops stop words and plural endings', () => {
    expect(['The', 'Keys', 'entries', 'status', 'access', '401'].map(normalizeWord)).toEqual([
      null,
      'key',
      'entry',
      'status',
      'access',
      '401',
    ]);
  });
});

describe('excerpts', () => {
  it('marks every word that normalizes to a matched term', () => {
    expect(show(highlight('Roll your keys: a rolled key expires.', new Set(['key', 'roll'])))).toBe(
      '[Roll] your [keys]: a rolled [key] expires.',
    );
  });

  it('starts shortly before the first match, cut between words, with ellipses', () => {
    const text = `${'filler '.repeat(40)}the idempotency key is kept ${'tail '.repeat(40)}`.trim();
    const shown = show(excerpt(text, new Set(['idempotency']), 100));
    expect(shown).toMatch(/^… filler .*\[idempotency\] key is kept tail .* …$/);
    expect(shown.length).toBeLessThan(120);
  });

  it('shows the start of the text when only the heading matched', () => {
    expect(show(excerpt(`Plain words. ${'more '.repeat(60)}`, new Set(['absent']), 40))).toMatch(
      /^Plain words\. more .* …$/,
    );
  });
});

describe('searching', () => {
  const search = createSearch([
    { url: '/a', page: 'API keys', heading: 'API keys', text: 'Keys identify your account.', api: '' },
    { url: '/a#roll', page: 'API keys', heading: 'Roll a key', text: 'Rolling issues a new key.', api: '' },
    {
      url: '/b#delete',
      page: 'Customers',
      heading: 'Delete',
      text: 'Removes it for good.',
      api: 'DELETE /v1/customers/:id',
    },
  ]);

  it('finds words as they are typed, forgives a typo, and falls back to any word', () => {
    expect(search('rol')[0]?.section.url).toBe('/a#roll');
    expect(search('idenitfy')[0]?.section.url).toBe('/a');
    expect(search('delete customer')[0]?.section.url).toBe('/b#delete');
    expect(search('roll nonsense')[0]?.section.url).toBe('/a#roll');
    expect(search('the')).toEqual([]);
  });
});
