import { describe, expect, it } from 'vitest';
import {
  READER_LOCALS,
  markTemplatePage,
  setReaderLocals,
  TemplateReadsReaderError,
} from '../../src/lib/page-template/locals-guard.ts';
import { TEMPLATE_HEADER } from '../../src/lib/page-template/template-header.ts';

const readerValues = () => ({
  reader: {
    keySource: 'sample' as const,
    secretKey: 'sk_test_1',
    publishableKey: 'pk_test_1',
    member: null,
  },
  slots: {} as App.Locals['slots'],
  origin: new URL('http://localhost:4321'),
  secure: false,
  clientAddress: '203.0.113.9',
});

function page() {
  const locals = { language: 'curl', sampleCount: 0 } as unknown as App.Locals;
  setReaderLocals(locals, readerValues());
  return { locals, response: { headers: new Headers() } };
}

describe('the locals that name a reader', () => {
  it('are readable on a page rendered for one reader', () => {
    const astro = page();
    expect(astro.locals.reader.secretKey).toBe('sk_test_1');
    expect(astro.locals.clientAddress).toBe('203.0.113.9');
    expect(astro.locals.origin.origin).toBe('http://localhost:4321');
  });

  it('throw, naming the local, once the page has declared itself a template', () => {
    const astro = page();
    markTemplatePage(astro, '/docs/keys');
    expect(astro.response.headers.get(TEMPLATE_HEADER)).toBe('/docs/keys');
    for (const name of READER_LOCALS) {
      expect(() => astro.locals[name]).toThrow(TemplateReadsReaderError);
      expect(() => astro.locals[name]).toThrow(`Astro.locals.${name} was read`);
    }
    // What is the same for every reader of the template stays readable.
    expect(astro.locals.language).toBe('curl');
    expect(++astro.locals.sampleCount).toBe(1);
  });

  it('guard one page without touching another rendering at the same time', () => {
    const template = page();
    const personal = page();
    markTemplatePage(template, '/');
    expect(() => template.locals.reader).toThrow(TemplateReadsReaderError);
    expect(personal.locals.reader.publishableKey).toBe('pk_test_1');
    expect(personal.response.headers.has(TEMPLATE_HEADER)).toBe(false);
  });
});
