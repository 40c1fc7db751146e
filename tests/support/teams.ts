import { expect } from 'vitest';
import type { Role } from '../../src/lib/db/schema.ts';
import { CookieJar, get, postForm } from './http.ts';

const PASSWORD = 'correct horse battery';
let people = 0;

/** A fresh email address no test has used. */
export function freshEmail(label: string): string {
  return `${label}${++people}.${process.pid}.${Date.now()}@example.com`;
}

/** Makes an invitation through the members page form; returns the link's path. */
export async function invite(ownerJar: CookieJar, email: string, role: Role): Promise<string> {
  const response = await postForm('/dashboard/members', { intent: 'invite', email, role }, ownerJar);
  const html = await response.text();
  expect(response.status, html.slice(0, 500)).toBe(200);
  const path = /\/invite\/[a-z2-7]{24}/.exec(html)?.[0];
  if (!path) throw new Error('The members page showed no invitation link.');
  return path;
}

/**
 * Invites a new person with `role` and has them sign up through the link: their jar then
 * holds a session working with the inviting account.
 */
export async function joinAs(ownerJar: CookieJar, role: Role): Promise<{ jar: CookieJar; email: string }> {
  const email = freshEmail(role);
  const link = await invite(ownerJar, email, role);
  const jar = new CookieJar();
  await get(link, jar);
  const response = await postForm(link, { intent: 'signup', password: PASSWORD }, jar);
  expect(response.status, await response.clone().text()).toBe(303);
  return { jar, email };
}

/** Key ids on an API keys page, by kind label ("Secret key", "Publishable key") or name. */
export function keyIds(html: string): Map<string, string> {
  const ids = new Map<string, string>();
  for (const match of html.matchAll(
    /<tr data-key-id="(key_[0-9A-Za-z]+)"[^>]*>\s*<th scope="row"[^>]*>\s*([^<]+?)\s*</g,
  )) {
    ids.set(match[2]!, match[1]!);
  }
  return ids;
}

/** A jar that shows the dashboard in `mode` (the mode switch's cookie). */
export function inMode(jar: CookieJar, mode: 'test' | 'live'): CookieJar {
  const copy = new CookieJar();
  for (const [name, value] of jar.cookies) copy.cookies.set(name, value);
  copy.cookies.set('kw_mode', mode);
  return copy;
}

/** A member's user id, read from the members page's forms (as the owner sees it). */
export async function memberUserId(ownerJar: CookieJar, email: string, base?: string): Promise<string> {
  const page = base
    ? await (await fetch(`${base}/dashboard/members`, { headers: { cookie: ownerJar.header() } })).text()
    : await (await get('/dashboard/members', ownerJar)).text();
  const row = new RegExp(
    `data-member="${email.replace(/[.+]/g, '\\$&')}"[\\s\\S]*?name="user_id" value="(user_[0-9A-Za-z]+)"`,
  ).exec(page);
  if (!row) throw new Error(`${email} is not on the members page`);
  return row[1]!;
}
