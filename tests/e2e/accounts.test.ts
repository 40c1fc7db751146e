import { describe, expect, inject, it } from 'vitest';
import { SCREENSHOT_DIR, collectErrors, newContext, useBrowser } from '../support/browser.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('a new reader', () => {
  it('signs up, sees their key in the walkthrough, reveals the same key on the dashboard, signs out', async () => {
    const context = await newContext(browser());
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    const errors = collectErrors(context);
    const page = await context.newPage();

    await page.goto(`${baseUrl}/docs/first-request`);
    const sampleKey = await page.locator('.kw-sample__panel:not([hidden]) .kw-key').first().textContent();
    await page.locator('.kw-header').getByRole('link', { name: 'Sign up' }).click();
    await page.waitForURL(/\/signup/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}signup.png` });

    // A mistake first: the error appears next to the field, and the email is kept.
    const email = `browser.${Date.now()}@example.com`;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect
      .poll(() => page.locator('#field-password-error').textContent())
      .toBe('Use at least 8 characters.');
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await page.screenshot({ path: `${SCREENSHOT_DIR}signup-error.png` });

    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    // Back on the page they came from, now with their own key.
    await page.waitForURL(`${baseUrl}/docs/first-request`);
    const ownKey = await page.locator('.kw-sample__panel:not([hidden]) .kw-key').first().textContent();
    expect(ownKey).toMatch(/^sk_test_[0-9A-Za-z]{24}$/);
    expect(ownKey).not.toBe(sampleKey);
    await page.locator('.kw-sample__panel:not([hidden]) .kw-key').first().focus();
    expect(await page.locator('.kw-key-tip').textContent()).toBe(
      'Your own test key: it works against this sandbox',
    );

    await page.locator('.kw-header').getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForURL(`${baseUrl}/dashboard/apikeys`);
    const secretRow = page.locator('tr', { has: page.locator('th', { hasText: 'Secret key' }) });
    await secretRow.getByText('Reveal').click();
    const revealed = secretRow.locator('.kw-reveal code').last();
    expect(await revealed.textContent()).toBe(ownKey);
    await secretRow.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(ownKey);
    await page.screenshot({ path: `${SCREENSHOT_DIR}dashboard-apikeys.png`, fullPage: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${baseUrl}/`);
    expect(await page.locator('.kw-header').getByRole('link', { name: 'Sign in' }).isVisible()).toBe(true);
    await page.goto(`${baseUrl}/docs/first-request`);
    expect(await page.locator('.kw-sample__panel:not([hidden]) .kw-key').first().textContent()).toBe(
      sampleKey,
    );
    // The one expected error: the refused form answers 400, which Chromium logs.
    expect(errors).toEqual([
      'console: Failed to load resource: the server responded with a status of 400 (OK)',
    ]);
    await context.close();
  });

  it('creates a restricted key and copies it from the one-time notice, in dark mode on a phone', async () => {
    const context = await newContext(browser(), {
      colorScheme: 'dark',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel('Email').fill(`phone.${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${baseUrl}/dashboard/apikeys`);

    await page.locator('.kw-create > summary').click();
    await page.getByLabel('Name').fill('Invoice worker');
    await page.getByRole('radiogroup', { name: 'Customers' }).getByLabel('Write').check();
    await page.locator('.kw-create__form').getByRole('button', { name: 'Create restricted key' }).click();
    const notice = page.locator('.kw-notice--ok');
    await expect.poll(() => notice.isVisible()).toBe(true);
    const key = await notice.locator('#new-key').textContent();
    expect(key).toMatch(/^rk_test_[0-9A-Za-z]{24}$/);
    // The first press on a new page also fetches the copy code, and is carried out when it arrives.
    await notice.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}dashboard-phone-dark.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
