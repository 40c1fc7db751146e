import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.ts';

/** Each docs page this test visits, with the title its source gives it. */
const PAGES = ['keys', 'api/errors', 'api/customers', 'first-request'].map((id) => ({
  path: `/docs/${id}`,
  title: readFileSync(`content/docs/${id}.mdx`, 'utf8').match(/^title: (.+)$/m)![1]!,
}));

/** A GET with a Host header of our choosing (fetch sets its own), and no cookies. */
function getRaw(
  server: RunningServer,
  path: string,
  headers: http.OutgoingHttpHeaders = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port: server.port, path, headers, agent: false },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
      },
    );
    request.on('error', reject);
  });
}

const title = (html: string) => html.match(/<title>([^<]*)<\/title>/)?.[1];
const heading = (html: string) => html.match(/<h1>([^<]*)<\/h1>/)?.[1];

describe('the page cache', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // A server of its own: the poisoning attempts must be the first requests its cache sees.
    server = await startServer();
  });
  afterAll(() => server.stop());

  it("stores each page's own template, whatever Host the first reader sent", async () => {
    const other = (path: string) => PAGES.find((page) => page.path !== path)!.path;
    const hostile = (path: string) => [
      `127.0.0.1:${server.port}${other(path)}?`,
      `127.0.0.1:${server.port}${other(path)}#`,
      `evil.example${other(path)}?x=`,
      `user@127.0.0.1:${server.port}${other(path)}?`,
      `127.0.0.1:${server.port}/docs/api/../..${other(path)}?`,
      `[::1]:${server.port}${other(path)}?`,
      `127.0.0.1:99999`,
      `KwStandInAccountMenu`,
    ];
    // The first request for each page and language is the poisoning attempt.
    for (const language of ['', '?lang=python']) {
      for (const { path } of PAGES) {
        for (const host of hostile(path)) await getRaw(server, `${path}${language}`, { host });
      }
    }
    for (const language of ['', '?lang=python']) {
      for (const { path, title: expected } of PAGES) {
        const page = await getRaw(server, `${path}${language}`, { host: `127.0.0.1:${server.port}` });
        expect(page.status, path).toBe(200);
        expect(title(page.body), `${path}${language}`).toBe(`${expected} · Keyway`);
        expect(heading(page.body), `${path}${language}`).toBe(expected);
        // The canonical URL is the reader's origin and the page's own path, not a Host's.
        expect(page.body).toContain(`<link rel="canonical" href="http://127.0.0.1:${server.port}${path}">`);
        expect(page.body).not.toContain('evil.example');
      }
    }
  });

  it('sends other spellings of a page to its one path instead of caching each', async () => {
    const variants = [
      ['/docs/%66irst-request', '/docs/first-request'],
      ['/docs/first%2Drequest', '/docs/first-request'],
      ['/docs//first-request', '/docs/first-request'],
      ['/docs/first-request/', '/docs/first-request'],
      ['/docs/api/%2E%2E/keys', '/docs/keys'],
      ['/docs/%6B%65%79%73?lang=go', '/docs/keys?lang=go'],
      ['/docs/', '/docs'],
    ];
    for (const [variant, canonical] of variants) {
      const response = await getRaw(server, variant!);
      expect(response.status, variant).toBe(308);
      expect(response.headers.location, variant).toBe(canonical);
    }
    // Thousands of spellings cost a redirect each, and no rendered page.
    for (let i = 0; i < 2000; i++) {
      const spelling = `/docs/first-request${'/'.repeat((i % 5) + 1)}`.replace(
        'first',
        i % 2 ? '%66irst' : 'first',
      );
      const response = await getRaw(server, `${spelling}?n=${i}`);
      expect(response.status).toBe(308);
      expect(response.body).toBe('');
    }
  });

  it('answers unknown docs paths with the 404 page', async () => {
    for (const path of ['/docs/no-such-page', '/docs/Keys', '/docs/keys.mdx']) {
      const response = await getRaw(server, path);
      expect(response.status, path).toBe(404);
      expect(title(response.body), path).toBe('Page not found · Keyway');
    }
  });
});
