import { describe, expect, it } from 'vitest';
import { describeWait } from '../../src/lib/auth/throttle.ts';
import { passwordProblem } from '../../src/lib/auth/password.ts';
import { parseDatabaseUrl } from '../../src/lib/config/database-url.ts';
import { isCrossSiteWrite } from '../../src/lib/http/origin-check.ts';
import { safeNextPath } from '../../src/lib/http/next-path.ts';
import { relativeTime } from '../../src/isomorphic/time.ts';
import { descriptionHtml } from '../../src/lib/html.ts';

describe('DATABASE_URL', () => {
  it('reads SQLite paths relative to the working directory, and PostgreSQL URLs', () => {
    expect(parseDatabaseUrl('file:./.data/keyway.sqlite', '/srv/app')).toEqual({
      kind: 'sqlite',
      path: '/srv/app/.data/keyway.sqlite',
    });
    expect(parseDatabaseUrl('file:/var/keyway.sqlite')).toEqual({
      kind: 'sqlite',
      path: '/var/keyway.sqlite',
    });
    expect(parseDatabaseUrl('postgres://u:secret@db:5432/keyway')).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://u:secret@db:5432/keyway',
      display: 'postgres://u:***@db:5432/keyway',
    });
  });

  it.each([
    ['mysql://db/keyway', 'expected file:<path> for SQLite or postgres://… for PostgreSQL'],
    ['file:', 'expected a file path after file:'],
    ['postgres://', 'expected a host name'],
    ['postgres://db', 'expected a database name'],
    ['keyway.sqlite', 'expected file:<path>'],
  ])('refuses %s, saying what it accepts', (url, message) => {
    expect(() => parseDatabaseUrl(url)).toThrow(message);
  });
});

describe('passwords', () => {
  it.each([
    ['short', 'Use at least 8 characters.'],
    ['x'.repeat(257), 'Use at most 256 characters.'],
    ['Password1', 'This password is too easy to guess. Choose a less common one.'],
    ['QWERTYUIOP', 'This password is too easy to guess. Choose a less common one.'],
    ['jane@example.com', 'This password is too easy to guess. Choose a less common one.'],
  ])('refuses %j', (password, problem) => {
    expect(passwordProblem(password, 'jane@example.com')).toBe(problem);
  });

  it('accepts a passphrase', () => {
    expect(passwordProblem('correct horse battery staple')).toBeNull();
  });
});

describe('where to go after signing in', () => {
  it.each([
    ['/docs/keys', '/docs/keys'],
    ['/dashboard/apikeys?x=1', '/dashboard/apikeys?x=1'],
    ['//evil.example/x', '/fallback'],
    ['https://evil.example', '/fallback'],
    ['/\\evil.example', '/fallback'],
    [null, '/fallback'],
    ['/docs/café', '/docs/caf%C3%A9'],
    ['/docs/keys?q=😀&x=%20', '/docs/keys?q=%F0%9F%98%80&x=%20'],
    ['/docs/\u0394\u0000', '/docs/%CE%94%00'],
    ['/docs/\ud800', '/fallback'],
  ])('%s goes to %s', (next, expected) => {
    expect(safeNextPath(next, '/fallback')).toBe(expected);
  });
});

describe('cross-site writes', () => {
  const url = new URL('http://localhost:4321/login');
  const request = (method: string, headers: Record<string, string>) => new Request(url, { method, headers });
  const allowed = ['http://localhost:4321'];

  it('let reads and same-origin posts through', () => {
    expect(isCrossSiteWrite(request('GET', {}), url, allowed)).toBe(false);
    expect(isCrossSiteWrite(request('POST', { origin: 'http://localhost:4321' }), url, allowed)).toBe(false);
    expect(isCrossSiteWrite(request('POST', { 'sec-fetch-site': 'same-origin' }), url, allowed)).toBe(false);
  });

  it('refuse other origins, cross-site fetches and posts with neither header', () => {
    expect(isCrossSiteWrite(request('POST', { origin: 'https://evil.example' }), url, allowed)).toBe(true);
    expect(isCrossSiteWrite(request('POST', { 'sec-fetch-site': 'same-site' }), url, allowed)).toBe(true);
    expect(isCrossSiteWrite(request('DELETE', {}), url, allowed)).toBe(true);
  });

  it('leave the sandbox API to its keys', () => {
    const api = new URL('http://localhost:4321/v1/customers');
    expect(isCrossSiteWrite(new Request(api, { method: 'POST' }), api, allowed)).toBe(false);
  });
});

describe('times for people', () => {
  const now = Date.UTC(2026, 10, 26, 12);
  it.each([
    [now + 60 * 60 * 1000 - 50, 'in 1 hour'],
    [now + 24 * 60 * 60 * 1000, 'tomorrow'],
    [now - 3 * 60 * 1000, '3 minutes ago'],
    [now, 'now'],
  ])('%i reads %s', (time, text) => {
    expect(relativeTime(time, now)).toBe(text);
  });

  it('rounds waits up', () => {
    expect(describeWait(29_001)).toBe('30 seconds');
    expect(describeWait(1000)).toBe('1 second');
    expect(describeWait(61_000)).toBe('2 minutes');
  });
});

describe('descriptionHtml', () => {
  it('makes paragraphs, a list of `- ` lines and code, escaping the rest', () => {
    expect(descriptionHtml('One `a<b`\nline.\n\n- first `x`\n- second\n\nLast & done.')).toBe(
      '<p>One <code>a&lt;b</code> line.</p><ul><li>first <code>x</code></li><li>second</li></ul><p>Last &amp; done.</p>',
    );
  });
});
