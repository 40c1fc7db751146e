import { describe, expect, inject, it } from 'vitest';
import { CookieJar, rawRequest, SECRET_KEY_PATTERN, signUpReader } from '../support/http.ts';
import { EventReader } from '../support/sse.ts';

const BROWSER = { 'accept-encoding': 'gzip, deflate, br, zstd' };
const BROTLI = { 'accept-encoding': 'br' };
const GZIP = { 'accept-encoding': 'gzip' };

async function cssPath(): Promise<string> {
  const html = (await rawRequest('/docs/keys')).body.toString('utf8');
  return html.match(/<link rel="stylesheet" href="(\/_astro\/[^"]+\.css)"/)![1]!;
}

describe('compressed responses', () => {
  for (const reader of ['anonymous', 'signed-in'] as const) {
    it(`send docs pages gzipped to a ${reader} reader, decoding to the same page`, async () => {
      const jar = new CookieJar();
      if (reader === 'signed-in') {
        await signUpReader(jar);
        // The first docs page after sign-up says once that the samples switched keys; the
        // comparison below needs two fetches of the same page.
        await rawRequest('/docs/keys', { jar });
      }
      for (const page of ['/docs/first-request', '/docs/api/customers', '/']) {
        const gzipped = await rawRequest(page, { headers: BROWSER, jar });
        const plain = await rawRequest(page, { jar });
        expect(gzipped.headers['content-encoding'], page).toBe('gzip');
        // A docs page's URL also answers Accept: text/markdown; the landing page has no Markdown.
        const vary = page === '/' ? 'Cookie, Accept-Encoding' : 'Accept, Cookie, Accept-Encoding';
        expect(gzipped.headers.vary, page).toBe(vary);
        expect(plain.headers.vary, page).toBe(vary);
        expect(plain.headers['content-encoding'], page).toBeUndefined();
        expect(Number(gzipped.headers['content-length'])).toBe(gzipped.body.length);
        expect(gzipped.body.length, page).toBeLessThan(plain.body.length / 4);
        expect(gzipped.decoded().toString('utf8'), page).toBe(plain.body.toString('utf8'));
        expect(plain.body.toString('utf8')).toMatch(SECRET_KEY_PATTERN);
      }
    });
  }

  it('send a docs page plain to a reader who takes only brotli (it would cost a compression per request)', async () => {
    const page = await rawRequest('/docs/keys', { headers: BROTLI });
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBeUndefined();
    expect(page.body.toString('utf8')).toMatch(/^<!doctype html>/i);
  });

  it('answer HEAD for a docs page with the headers GET sends, and no body', async () => {
    const jar = new CookieJar();
    const get = await rawRequest('/docs/keys', { headers: GZIP, jar });
    const head = await rawRequest('/docs/keys', { headers: GZIP, jar, method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('gzip');
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.body.length).toBe(0);
  });

  it('serve static files pre-compressed, with an entity tag per coding and 304s', async () => {
    const css = await cssPath();
    const plain = await rawRequest(css);
    const br = await rawRequest(css, { headers: BROWSER });
    const gzip = await rawRequest(css, { headers: GZIP });
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const response of [plain, br, gzip]) {
      expect(response.headers.vary).toBe('Accept-Encoding');
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.headers['content-type']).toBe('text/css; charset=utf-8');
      expect(response.decoded()).toEqual(plain.body);
    }
    expect(br.body.length).toBeLessThan(gzip.body.length);
    expect(new Set([plain, br, gzip].map((response) => response.headers.etag)).size).toBe(3);

    const again = await rawRequest(css, { headers: { ...BROWSER, 'if-none-match': br.headers.etag! } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(br.headers.etag);
    const stale = await rawRequest(css, { headers: { ...BROWSER, 'if-none-match': '"something-else"' } });
    expect(stale.status).toBe(200);
    // The stylesheet's own date: another file's can be a second older or newer, as the build
    // wrote it, which made this check depend on when the build crossed a second.
    const since = await rawRequest(css, {
      headers: { 'if-modified-since': plain.headers['last-modified']! },
    });
    expect(since.status).toBe(304);
    const before = await rawRequest(css, {
      headers: {
        'if-modified-since': new Date(Date.parse(plain.headers['last-modified']!) - 1000).toUTCString(),
      },
    });
    expect(before.status).toBe(200);

    const head = await rawRequest(css, { headers: BROWSER, method: 'HEAD' });
    expect(head.headers['content-length']).toBe(String(br.body.length));
    expect(head.body.length).toBe(0);
  });

  it('never send a static file in a coding the reader ruled out with q=0', async () => {
    const css = await cssPath();
    const plain = await rawRequest(css);
    const noBrotli = await rawRequest(css, { headers: { 'accept-encoding': 'br;q=0, gzip' } });
    expect(noBrotli.headers['content-encoding']).toBe('gzip');
    const neither = await rawRequest(css, { headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } });
    expect(neither.status).toBe(200);
    expect(neither.headers['content-encoding']).toBeUndefined();
    for (const response of [noBrotli, neither]) expect(response.decoded()).toEqual(plain.body);
  });

  it("answer a static file's 304 with its entity tag and caching headers, for any tag in the list", async () => {
    const css = await cssPath();
    const br = await rawRequest(css, { headers: BROWSER });
    const again = await rawRequest(css, {
      headers: { ...BROWSER, 'if-none-match': `W/"older", ${br.headers.etag!}` },
    });
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(br.headers.etag);
    expect(again.headers.vary).toBe('Accept-Encoding');
    expect(again.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('leave a path that is no file to the site, which answers 404 (compressed)', async () => {
    const missing = await rawRequest('/_astro/no-such-file.js', { headers: BROWSER });
    expect(missing.status).toBe(404);
    const traversal = await rawRequest('/_astro/..%2f..%2fpackage.json', { headers: BROWSER });
    expect(traversal.status).toBe(404);
    expect(traversal.decoded().toString('utf8')).not.toContain('"devDependencies"');
  });

  it('compress pages Astro renders per request; redirects stay redirects', async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const dashboard = await rawRequest('/dashboard/apikeys', { headers: BROWSER, jar });
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers['content-encoding']).toBe('br');
    expect(dashboard.headers.vary).toMatch(/Accept-Encoding/);
    expect(dashboard.decoded().toString('utf8')).toMatch(/^<!doctype html>.*<h1>API keys<\/h1>/is);

    const redirect = await rawRequest('/dashboard/apikeys', { headers: BROWSER });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.location).toMatch(/^\/login/);
  });

  it('compress large sandbox JSON and leave small answers alone', async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const keys = (await rawRequest('/dashboard/apikeys', { jar })).body.toString('utf8');
    const auth = { authorization: `Bearer ${keys.match(SECRET_KEY_PATTERN)![0]}` };
    for (let i = 0; i < 4; i++) {
      const created = await fetch(`${inject('baseUrl')}/v1/customers`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: `email=reader${i}%40example.com&name=Reader+${i}&description=${'a+long+description+'.repeat(5)}`,
      });
      expect(created.status).toBe(200);
    }
    const list = await rawRequest('/v1/customers?limit=10', { headers: { ...auth, ...BROWSER } });
    const plainList = await rawRequest('/v1/customers?limit=10', { headers: auth });
    expect(list.headers['content-encoding']).toBe('br');
    expect(JSON.parse(list.decoded().toString('utf8'))).toEqual(JSON.parse(plainList.body.toString('utf8')));

    const small = await rawRequest('/v1/customers?limit=1', { headers: { ...auth, ...BROWSER } });
    expect(small.status).toBe(200);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.headers.vary).toMatch(/Accept-Encoding/);
  });

  it('never compress samples rendered from the request next to the reader key (BREACH)', async () => {
    const params = encodeURIComponent('email=jenny@example.com&name=' + 'Jenny '.repeat(100));
    const samples = await rawRequest(`/api/samples?method=POST&path=/v1/customers&params=${params}`, {
      headers: BROWSER,
    });
    expect(samples.status).toBe(200);
    expect(samples.body.length).toBeGreaterThan(1024);
    expect(samples.headers['content-encoding']).toBeUndefined();
    expect(samples.body.toString('utf8')).toMatch(SECRET_KEY_PATTERN);
  });

  it('never compress the live event stream, so each event arrives as it is sent', async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const keys = (await rawRequest('/dashboard/apikeys', { jar })).body.toString('utf8');
    const key = keys.match(SECRET_KEY_PATTERN)![0];
    const stream = await fetch(`${inject('baseUrl')}/api/stream`, {
      headers: { ...BROWSER, cookie: jar.header() },
    });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('content-encoding')).toBeNull();
    const events = new EventReader(stream);
    try {
      await events.waitFor((event) => event.event === 'waiting');
      const created = await fetch(`${inject('baseUrl')}/v1/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=stream%40example.com',
      });
      const requestId = created.headers.get('request-id')!;
      await events.waitFor((event) => event.event === 'request' && event.data.includes(requestId));
    } finally {
      events.close();
    }
  });
});
