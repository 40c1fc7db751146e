import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../support/http.ts';
import { startServer, type RunningServer } from '../support/server.ts';

/**
 * The session cookie as a browser receives it, on plain HTTP (the local default) and behind
 * HTTPS (PUBLIC_ORIGIN=https://…), and what signing out sends back.
 */
async function send(
  server: RunningServer,
  path: string,
  jar: CookieJar,
  form?: Record<string, string>,
): Promise<Response> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      ...(jar.cookies.size > 0 ? { cookie: jar.header() } : {}),
      ...(form ? { origin: server.baseUrl, 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  jar.store(response);
  return response;
}

const sessionLine = (response: Response) =>
  response.headers.getSetCookie().find((line) => /^(?:__Host-)?kw_session=/.test(line));

describe.each<{ name: string; env: Record<string, string>; cookie: string }>([
  { name: 'over HTTPS', env: { PUBLIC_ORIGIN: 'https://docs.example.com' }, cookie: '__Host-kw_session' },
  { name: 'over plain HTTP', env: {}, cookie: 'kw_session' },
])('the session cookie $name', ({ env, cookie }) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(env);
  });
  afterAll(() => server.stop());

  it(`is ${cookie}, HttpOnly, SameSite=Lax, path / and no Domain${env.PUBLIC_ORIGIN ? ', Secure' : ''}`, async () => {
    const jar = new CookieJar();
    const response = await send(server, '/signup', jar, {
      email: `cookie.${Date.now()}.${Math.random()}@example.com`,
      password: 'correct horse battery',
    });
    expect(response.status).toBe(303);
    const line = sessionLine(response);
    expect(line).toBeDefined();
    const [pair, ...attributes] = line!.split(';').map((part) => part.trim());
    expect(pair!.split('=')[0]).toBe(cookie);
    const lower = attributes.map((attribute) => attribute.toLowerCase());
    expect(lower).toContain('httponly');
    expect(lower).toContain('samesite=lax');
    expect(lower).toContain('path=/');
    expect(lower.some((attribute) => attribute.startsWith('domain='))).toBe(false);
    expect(lower.includes('secure')).toBe(Boolean(env.PUBLIC_ORIGIN));
    // The cookie works under that name: the dashboard opens.
    expect((await send(server, '/dashboard/apikeys', jar)).status).toBe(200);
  });

  it('signing out clears it, asks the browser to drop cached pages, and ends the session', async () => {
    const jar = new CookieJar();
    await send(server, '/signup', jar, {
      email: `signout.${Date.now()}.${Math.random()}@example.com`,
      password: 'correct horse battery',
    });
    const token = jar.cookies.get(cookie);
    expect(token).toBeTruthy();
    const response = await send(server, '/logout', jar, {});
    expect(response.status).toBe(303);
    expect(response.headers.get('clear-site-data')).toBe('"cache"');
    const line = sessionLine(response)!;
    expect(line.startsWith(`${cookie}=;`)).toBe(true);
    expect(line.toLowerCase()).toMatch(/max-age=0|expires=thu, 01 jan 1970/);
    // The old token is dead on the server, not only forgotten by the browser.
    const replay = new CookieJar();
    replay.cookies.set(cookie, token!);
    const dashboard = await send(server, '/dashboard/apikeys', replay);
    expect(dashboard.status).toBe(303);
    expect(dashboard.headers.get('location')).toMatch(/^\/login/);
  });
});
