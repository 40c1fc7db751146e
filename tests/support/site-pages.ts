import { inject } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { CookieJar, SECRET_KEY_PATTERN, distinct, get, signUpReader } from './http.ts';

/** Every page the sitemap lists (the landing page and each docs page), as paths. */
export async function sitemapPaths(): Promise<string[]> {
  const response = await get('/sitemap.xml');
  const xml = await response.text();
  const paths = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]!).pathname);
  if (!paths.includes('/') || !paths.some((path) => path.startsWith('/docs/'))) {
    throw new Error(`The sitemap does not list the landing page and the docs:\n${xml}`);
  }
  return paths;
}

/** A signed-up account with one customer made through /v1, so every dashboard page has data. */
export interface AccountWithData {
  jar: CookieJar;
  secretKey: string;
  customerId: string;
  requestId: string;
  eventId: string;
}

/** Signs a reader up and creates a customer with the account's test key. */
export async function accountWithData(): Promise<AccountWithData> {
  const jar = new CookieJar();
  await signUpReader(jar);
  const [secretKey, ...others] = distinct(await (await get('/docs/keys', jar)).text(), SECRET_KEY_PATTERN);
  if (!secretKey || others.length > 0) throw new Error('The docs did not show exactly one test key.');
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${inject('baseUrl')}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${secretKey}`, ...init.headers },
    });
  const created = await call('/v1/customers', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'email=ada%40example.com&name=Ada%20Lovelace&metadata[plan]=trial',
  });
  if (created.status !== 200) throw new Error(`Creating a customer answered ${created.status}.`);
  const customer = (await created.json()) as { id: string };
  const events = (await (await call('/v1/events?limit=1')).json()) as { data: { id: string }[] };
  return {
    jar,
    secretKey,
    customerId: customer.id,
    requestId: created.headers.get('request-id')!,
    eventId: events.data[0]!.id,
  };
}

/** Every dashboard page, detail pages included, for an account made by {@link accountWithData}. */
export function dashboardPaths(account: AccountWithData): string[] {
  return [
    '/dashboard',
    '/dashboard/apikeys',
    '/dashboard/logs',
    `/dashboard/logs/${account.requestId}`,
    '/dashboard/events',
    `/dashboard/events/${account.eventId}`,
    '/dashboard/customers',
    `/dashboard/customers/${account.customerId}`,
    '/dashboard/members',
  ];
}

/** Gives a browser context the account's session, so its pages are signed in. */
export async function signInContext(context: BrowserContext, account: AccountWithData): Promise<void> {
  const url = inject('baseUrl');
  await context.addCookies([...account.jar.cookies].map(([name, value]) => ({ name, value, url })));
}
