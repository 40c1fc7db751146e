import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/lib/config/config.ts';
import { docsFrontmatter } from '../../src/lib/docs/frontmatter.ts';
import { buildSidebar, neighbours } from '../../src/lib/docs/navigation.ts';

describe('configuration', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual({
      port: 4321,
      host: 'localhost',
      publicOrigin: null,
      database: { kind: 'sqlite', path: `${process.cwd()}/.data/keyway.sqlite` },
      sandboxRateLimit: 25,
      editUrlBase: null,
      smtpUrl: null,
      mailFrom: 'Keyway <no-reply@keyway.localhost>',
      sampleKeySecret: null,
      trustedProxies: null,
      signUpRateLimit: 10,
      liveStreams: { total: 1000, perAddress: 30, heartbeatMs: 15_000, idleMs: 600_000 },
      pageCache: { maxBytes: 32 * 1024 * 1024 },
      staticCacheBytes: 8 * 1024 * 1024,
      originFileCacheBytes: 8 * 1024 * 1024,
      webhookPrivateTargets: true,
      readerCacheBytes: 8 * 1024 * 1024,
    });
  });

  it('reads cache sizes in bytes or with a unit, and the page count when set', () => {
    const config = loadConfig({
      PAGE_CACHE_BYTES: '64MB',
      PAGE_CACHE_ENTRIES: '40',
      STATIC_CACHE_BYTES: '512 kb',
      ORIGIN_FILE_CACHE_BYTES: '2097152',
    });
    expect(config.pageCache).toEqual({ maxBytes: 64 * 1024 * 1024, maxEntries: 40 });
    expect(config.staticCacheBytes).toBe(512 * 1024);
    expect(config.originFileCacheBytes).toBe(2 * 1024 * 1024);
  });

  it('reads the variables', () => {
    const config = loadConfig({ PORT: '8080', HOST: '0.0.0.0', PUBLIC_ORIGIN: 'https://docs.example.com' });
    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.publicOrigin?.origin).toBe('https://docs.example.com');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT="abc": expected a number'],
    [{ PORT: '0' }, 'PORT="0": expected a port from 1 to 65535'],
    [{ SIGNUP_RATE_LIMIT: '0' }, 'SIGNUP_RATE_LIMIT="0": expected at least 1 sign-up an hour'],
    [{ LIVE_STREAMS_PER_ADDRESS: '0' }, 'LIVE_STREAMS_PER_ADDRESS="0": expected at least 1 stream'],
    [{ PAGE_CACHE_ENTRIES: '0' }, 'PAGE_CACHE_ENTRIES="0": expected at least 1 page'],
    [{ PAGE_CACHE_BYTES: 'lots' }, 'PAGE_CACHE_BYTES="lots": expected a size of at least 1 KB'],
    [{ PAGE_CACHE_BYTES: '1023' }, 'PAGE_CACHE_BYTES="1023": expected a size of at least 1 KB'],
    [{ STATIC_CACHE_BYTES: '-5MB' }, 'STATIC_CACHE_BYTES="-5MB": expected a size of at least 1 KB'],
    [{ ORIGIN_FILE_CACHE_BYTES: '2TB' }, 'ORIGIN_FILE_CACHE_BYTES="2TB": expected a size of at least 1 KB'],
    [
      { READER_CACHE_BYTES: '-1' },
      'READER_CACHE_BYTES="-1": expected 0 (none kept) or a size of at least 1 KB',
    ],
    [
      { READER_CACHE_BYTES: 'lots' },
      'READER_CACHE_BYTES="lots": expected 0 (none kept) or a size of at least 1 KB',
    ],
    [
      { PUBLIC_ORIGIN: 'docs.example.com' },
      'PUBLIC_ORIGIN="docs.example.com": expected an http:// or https:// URL',
    ],
    [{ PUBLIC_ORIGIN: 'https://example.com/docs' }, 'expected an origin alone'],
    [
      { DATABASE_URL: 'mysql://root:hunter2@db/keyway' },
      'DATABASE_URL="mysql://root:***@db/keyway": expected file:<path>',
    ],
    // A password holding @ or / is hidden whole, not up to its first @.
    [
      { DATABASE_URL: 'mysql://root:p@ss/w@rd@db/keyway' },
      'DATABASE_URL="mysql://root:***@db/keyway": expected file:<path>',
    ],
    [
      { SMTP_URL: 'https://user:secret@mail.example.com' },
      'SMTP_URL="https://user:***@mail.example.com": expected an smtp:// or smtps:// URL',
    ],
    // A secret is never echoed, even a bad one.
    [{ SAMPLE_KEY_SECRET: 'hunter2' }, 'SAMPLE_KEY_SECRET="***": expected at least 32 characters'],
  ])('names the variable, the value and what was expected: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('docs frontmatter', () => {
  const good = {
    title: 'Keys',
    description: 'Every key your account has, and where each may be used.',
    sidebar: { group: 'Get started', order: 2 },
  };

  it('accepts a complete page', () => {
    expect(docsFrontmatter.parse(good)).toEqual(good);
  });

  it.each([
    [{ ...good, title: undefined }, ['title'], 'title is required'],
    [{ ...good, description: 'short' }, ['description'], 'description must be a sentence'],
    [{ ...good, sidebar: { group: 'Misc', order: 1 } }, ['sidebar', 'group'], 'sidebar.group must be one of'],
    [
      { ...good, sidebar: { group: 'Guides', order: 'first' } },
      ['sidebar', 'order'],
      'sidebar.order must be a number',
    ],
    [{ ...good, sidebar: { group: 'Guides', order: 1.5 } }, ['sidebar', 'order'], 'whole number'],
    [{ ...good, tilte: 'typo' }, [], 'tilte'],
  ])('reports the field that is wrong (%#)', (data, path, message) => {
    const result = docsFrontmatter.safeParse(data);
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.path).toEqual(path);
    expect(JSON.stringify(result.error!.issues)).toContain(message);
  });
});

describe('sidebar', () => {
  const entry = (id: string, group: 'Get started' | 'Guides' | 'API reference', order: number) => ({
    id,
    data: { title: id, description: 'A page used in a test.', sidebar: { group, order } },
  });
  const sidebar = buildSidebar([
    entry('api/errors', 'API reference', 2),
    entry('keys', 'Get started', 2),
    entry('first-request', 'Get started', 1),
    entry('api/authentication', 'API reference', 1),
  ]);

  it('orders groups as fixed and pages by order', () => {
    expect(sidebar.map((group) => group.label)).toEqual(['Get started', 'API reference']);
    expect(sidebar[0]!.pages.map((page) => page.href)).toEqual(['/docs/first-request', '/docs/keys']);
  });

  it('links previous and next across groups', () => {
    const { previous, next } = neighbours(sidebar, '/docs/keys');
    expect(previous?.href).toBe('/docs/first-request');
    expect(next?.href).toBe('/docs/api/authentication');
  });
});
