import { describe, expect, it } from 'vitest';
import { CookieJar, rawRequest, SECRET_KEY_PATTERN, signUpReader } from '../support/http.ts';

const BROWSER = { 'accept-encoding': 'gzip, deflate, br, zstd' };

/** The key of the docs samples this jar's reader sees. */
async function docsKey(jar: CookieJar): Promise<string> {
  const page = (await rawRequest('/docs/keys', { jar })).body.toString('utf8');
  return page.match(SECRET_KEY_PATTERN)![0]!;
}

/** The key /api/shell-key gives this jar's reader, and how it was answered. */
async function shellKey(jar: CookieJar) {
  const response = await rawRequest('/api/shell-key', { headers: BROWSER, jar });
  return { response, key: (JSON.parse(response.body.toString('utf8')) as { key: string }).key };
}

describe("the docked shell's key on pages rendered for one reader", () => {
  it('is kept out of the dashboard and the 404, which show data a third party may choose', async () => {
    const jar = new CookieJar();
    await signUpReader(jar);
    const key = await docsKey(jar);
    for (const path of ['/dashboard/customers', '/dashboard/logs', '/no-such-page']) {
      const page = (await rawRequest(path, { headers: BROWSER, jar })).decoded().toString('utf8');
      expect(page, path).toContain('data-kw-shell-panel');
      expect(page, path).not.toContain(key);
      expect(page, path).not.toMatch(SECRET_KEY_PATTERN);
    }
  });

  it('is the reader’s own docs key, answered privately and never compressed', async () => {
    const [first, second] = [new CookieJar(), new CookieJar()];
    await signUpReader(first);
    await signUpReader(second);
    const own = await shellKey(first);
    expect(own.key).toBe(await docsKey(first));
    expect(own.key).not.toBe(await docsKey(second));
    expect(own.response.headers['cache-control']).toContain('no-store');
    expect(own.response.headers['content-encoding']).toBeUndefined();
  });

  it('gives a visitor the sample key their docs pages show', async () => {
    const jar = new CookieJar();
    const key = await docsKey(jar);
    expect((await shellKey(jar)).key).toBe(key);
  });
});
