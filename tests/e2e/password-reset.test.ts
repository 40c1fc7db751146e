import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Page } from 'playwright-core';
import { signUp } from '../../src/lib/auth/accounts.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { seriousViolations } from '../support/axe.ts';
import { SCREENSHOT_DIR, collectErrors, newContext, useBrowser } from '../support/browser.ts';
import { openMigrated, SQLITE, type ScratchDatabase } from '../support/databases.ts';
import { startMailCatcher, type MailCatcher } from '../support/mail.ts';
import { startServer, type RunningServer } from '../support/server.ts';

// A server of its own, with a mail catcher: the shared one sends no email.

const browser = useBrowser();
let mail: MailCatcher;
let scratch: ScratchDatabase;
let server: RunningServer;
let db: Kysely<Database>;
beforeAll(async () => {
  mail = await startMailCatcher();
  scratch = await SQLITE.create();
  server = await startServer({ DATABASE_URL: scratch.url, SMTP_URL: mail.url });
  db = await openMigrated(scratch.url);
});
afterAll(async () => {
  await server?.stop();
  await db?.destroy();
  await scratch?.drop();
  mail?.close();
});

/** Signs in through the form in a page. */
async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('a reader who forgot their password', () => {
  it('asks for a link from the sign-in page, sets a new password, and every other device is signed out', async () => {
    const email = `forgetful.${Date.now()}@example.com`;
    expect((await signUp(db, { email, password: 'correct horse battery' })).ok).toBe(true);
    const base = server.baseUrl;

    // Signed in on another device first.
    const other = await newContext(browser());
    const otherPage = await other.newPage();
    await otherPage.goto(`${base}/login`);
    await signIn(otherPage, email, 'correct horse battery');
    await otherPage.waitForURL(`${base}/dashboard/apikeys`);

    const context = await newContext(browser(), { bypassCSP: true });
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL(`${base}/forgot-password`);
    expect(await seriousViolations(page, '/forgot-password')).toEqual([]);

    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain(`If ${email} has a Keyway account`);
    expect(await seriousViolations(page, '/forgot-password, answered')).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}forgot-password-sent.png` });

    await expect.poll(() => mail.to(email).length).toBe(1);
    const unfolded = mail.to(email)[0]!.replace(/=\r?\n/g, '');
    const link = /https?:\/\/[^/\s]+\/reset-password\/[a-z2-7]{24}/.exec(unfolded)![0];
    await page.goto(link);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Choose a new password');
    expect(await seriousViolations(page, '/reset-password/…')).toEqual([]);

    // A mistake first: the sign-up rule appears beside the field.
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Set new password' }).click();
    // Waited for, not polled for a second: the machine may be busy, and a form post loads a page.
    await page.locator('#field-password-error').waitFor();
    expect(await page.locator('#field-password-error').textContent()).toBe('Use at least 8 characters.');
    await page.getByLabel('Password').fill('a brand new phrase');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.waitForURL(`${base}/login?reset=done`);
    expect(await page.getByRole('status').textContent()).toContain('Your password was changed');
    await signIn(page, email, 'a brand new phrase');
    await page.waitForURL(`${base}/dashboard/apikeys`);

    // The other device's session ended with the reset.
    await otherPage.goto(`${base}/dashboard/apikeys`);
    await otherPage.waitForURL(/\/login/);

    // The link worked once.
    await page.goto(link);
    expect(await page.getByRole('alert').textContent()).toContain('This reset link does not work');
    expect(await seriousViolations(page, '/reset-password/<spent>')).toEqual([]);
    // The refusals' own statuses, which Chromium logs; nothing else.
    expect(errors).toEqual([
      'console: Failed to load resource: the server responded with a status of 400 (OK)',
      'console: Failed to load resource: the server responded with a status of 410 (OK)',
    ]);
    await other.close();
    await context.close();
  });
});
