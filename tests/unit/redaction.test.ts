import { describe, expect, it } from 'vitest';
import { redactJson } from '../../src/sandbox/redaction.ts';

const KEY = 'sk_test_' + 'a1B2'.repeat(6);

/**
 * Response bodies are logged through redactJson. A body with nothing to cut is handed back as it
 * is after one look at its JSON text; everything else must still be cut wherever it hides,
 * including where JSON writes the string with escapes.
 */
describe('redactJson', () => {
  it('hands back a body with nothing to cut unchanged', () => {
    const body = {
      id: 'cus_123',
      email: 'jenny@example.com',
      metadata: { note: 'sk_ is a prefix; see https://example.com/a?b=c#d' },
      list: [1, null, true, 'x'],
    };
    expect(redactJson(body)).toEqual(structuredClone(body));
  });

  it.each([
    ['a key in a nested string', { a: { b: [`x ${KEY} y`] } }, { a: { b: ['x sk_test_[redacted] y'] } }],
    ['a key as a name', { [KEY]: 1 }, { 'sk_test_[redacted]': 1 }],
    ['a key after a newline', { note: `first\n${KEY}` }, { note: 'first\nsk_test_[redacted]' }],
    ['a signing secret', { secret: 'whsec_' + 'z'.repeat(32) }, { secret: 'whsec_[redacted]' }],
    [
      'credentials in a URL',
      { url: 'https://user:pass@hooks.example.com/' },
      { url: 'https://[redacted]@hooks.example.com/' },
    ],
    [
      'credentials holding a backslash and a control character, which JSON escapes',
      { url: 'https://us\\er:p\u0001ss@hooks.example.com/' },
      { url: 'https://[redacted]@hooks.example.com/' },
    ],
    [
      'a URL right after a newline, which JSON writes as \\n',
      { note: 'see\nftp://me:pw@files.example.com' },
      { note: 'see\nftp://[redacted]@files.example.com' },
    ],
    ['a bare string', KEY, 'sk_test_[redacted]'],
  ])('cuts %s', (_case, body, expected) => {
    expect(redactJson(body)).toEqual(expected);
  });

  it('walks a value JSON cannot write (a bigint) rather than failing', () => {
    expect(redactJson({ n: 1n, note: KEY })).toEqual({ n: 1n, note: 'sk_test_[redacted]' });
  });
});
