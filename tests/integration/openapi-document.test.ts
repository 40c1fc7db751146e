import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, get, getWithHost, rawRequest } from '../support/http.ts';
import { createRestrictedKey, newReaderWithKeys, sharedBase } from '../support/sandbox.ts';
import { startServer, type RunningServer } from '../support/server.ts';

/**
 * `/openapi.json` as clients get it from the production server: the document itself, how
 * it is cached, that it is the same for every reader and holds nobody's keys, that a
 * request's Host cannot write itself into it, and that a peer tool finds it valid.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const ANY_KEY = /(?:sk|pk|rk)_(?:test|live)_[0-9A-Za-z]/;

describe('/openapi.json', () => {
  it('is an OpenAPI 3.1 document whose server is the origin the reader used', async () => {
    const response = await get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const document = JSON.parse(await response.text());
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers[0].url).toBe(sharedBase());
    expect(Object.keys(document.paths)).toContain('/v1/customers/{id}');
  });

  it('is cacheable by any cache, with an ETag that a conditional request gets a 304 for', async () => {
    const first = await get('/openapi.json');
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await get('/openapi.json', undefined, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const stale = await get('/openapi.json', undefined, { headers: { 'if-none-match': '"other"' } });
    expect(stale.status).toBe(200);
  });

  it('is the same for a guest, a signed-in reader and nobody, and holds no key or account id', async () => {
    const anonymous = await (await get('/openapi.json')).text();

    const guest = new CookieJar();
    await get('/docs/api/authentication', guest);
    const sampleKey = decodeURIComponent(guest.cookies.get('kw_sample') ?? '');
    expect(sampleKey).toMatch(/sk_test_/);
    const asGuest = await (await get('/openapi.json', guest)).text();

    const reader = await newReaderWithKeys();
    const restricted = await createRestrictedKey(reader, { customers: 'read', events: 'none' });
    const signedIn = await (await get('/openapi.json', reader.jar)).text();

    expect(asGuest).toBe(anonymous);
    expect(signedIn).toBe(anonymous);
    for (const secret of [reader.secretKey, reader.publishableKey, restricted])
      expect(signedIn).not.toContain(secret);
    // The prose names the prefix (`sk_test_…`); no key follows it anywhere.
    expect(anonymous).not.toMatch(ANY_KEY);
    expect(anonymous).not.toMatch(/acct_[0-9A-Za-z]/);
  });

  it('ignores a Host header that is not a plain host: the document names a fallback, nothing of it', async () => {
    for (const host of [
      'evil.example@attacker',
      'evil.example:99999',
      'evil example',
      '[evil',
      'evil_example',
    ]) {
      const response = await rawRequest('/openapi.json', { headers: { host } });
      expect(response.status, host).toBe(200);
      const body = response.decoded().toString('utf8');
      const document = JSON.parse(body);
      expect(document.servers[0].url, host).toMatch(/^http:\/\/localhost(:4321)?$/);
      expect(body, host).not.toContain('evil');
      expect(body, host).not.toContain('attacker');
    }
  });

  it('passes @redocly/cli lint with the repository’s rules, with no error and no warning', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'keyway-openapi-'));
    try {
      const file = join(scratch, 'openapi.json');
      writeFileSync(file, await (await get('/openapi.json')).text());
      const lint = spawnSync(
        join(root, 'node_modules/.bin/redocly'),
        ['lint', '--config', join(root, 'redocly.yaml'), '--format', 'json', file],
        {
          cwd: root,
          encoding: 'utf8',
          // Offline and quiet: no usage report, no check for a newer version.
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      );
      const report = JSON.parse(lint.stdout) as {
        totals: { errors: number; warnings: number };
        problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
      };
      const problems = report.problems.map(
        (problem) => `${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`,
      );
      expect(problems, lint.stderr).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
      expect(lint.status).toBe(0);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('links to /openapi.json', () => {
  it('every docs page in the sitemap links to it from its footer; the authentication reference from its text', async () => {
    const sitemap = await (await get('/sitemap.xml')).text();
    const pages = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)]
      .map((match) => new URL(match[1]!).pathname)
      .filter((path) => path.startsWith('/docs/'));
    expect(pages).toContain('/docs/api/authentication');
    for (const path of pages) {
      const html = await (await get(path)).text();
      const footer = /<footer class="kw-footer"[^>]*>([\s\S]*?)<\/footer>/.exec(html)?.[1];
      expect(footer, path).toContain('href="/openapi.json"');
    }
    const reference = await (await get('/docs/api/authentication')).text();
    const article = /<article[^>]*>([\s\S]*?)<\/article>/.exec(reference)![1]!;
    expect(article).toContain('href="/openapi.json"');
  });
});

describe('/openapi.json behind PUBLIC_ORIGIN', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ PUBLIC_ORIGIN: 'https://docs.example.com' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('names the public origin as its server whatever Host the request carries', async () => {
    for (const host of ['attacker.example', `127.0.0.1:${server.port}`]) {
      const body = await getWithHost('/openapi.json', host, server.baseUrl);
      expect(JSON.parse(body).servers).toEqual([
        { url: 'https://docs.example.com', description: expect.any(String) },
      ]);
      expect(body).not.toContain('attacker');
    }
  });
});
