import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { newContext, useBrowser } from '../support/browser.ts';
import { seriousViolations } from '../support/axe.ts';
import { accountWithData, signInContext, type AccountWithData } from '../support/site-pages.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

/** Where the screenshots for review go, outside the repository. */
const SHOTS = '/work/notes/shots';
const KEY_SHAPED = /(?:sk|pk|rk)_(?:test|live)_[0-9A-Za-z]{24}/;

let account: AccountWithData;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  account = await accountWithData();
  // Real clipboard permissions, so the test reads what the page wrote; bypassCSP lets axe in.
  context = await newContext(browser(), {
    bypassCSP: true,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  await signInContext(context, account);
  page = await context.newPage();
});
afterAll(() => context?.close());

async function open(path: string): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.locator('[data-kw-theme-toggle]:not([hidden])').waitFor();
}

const menu = () => page.locator('[data-kw-page-actions]');
const toggle = () => menu().locator('summary');
const isOpen = () => menu().evaluate((details) => (details as HTMLDetailsElement).open);

describe('page actions', () => {
  it('opens from the keyboard, and Escape closes it and puts focus back on its toggle', async () => {
    await open('/docs/first-request');
    await toggle().focus();
    await page.keyboard.press('Enter');
    expect(await isOpen()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Copy page as Markdown',
    );
    await page.keyboard.press('Escape');
    expect(await isOpen()).toBe(false);
    expect(await toggle().evaluate((summary) => summary === document.activeElement)).toBe(true);
    await page.keyboard.press('Space');
    expect(await isOpen()).toBe(true);
    await page.locator('h1').click();
    expect(await isOpen(), 'a click elsewhere closes it').toBe(false);
  });

  it("copies the page as Markdown with the reader's own key, and says so", async () => {
    await open('/docs/first-request');
    await page.evaluate(() => navigator.clipboard.writeText('nothing copied yet'));
    await toggle().click();
    const copy = page.getByRole('button', { name: 'Copy page as Markdown' });
    await copy.click();
    await expect.poll(() => page.locator('#kw-copy-status').textContent()).toBe('Copied to clipboard');
    expect(await menu().locator('[data-kw-page-copy]').textContent()).toBe('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^# Send your first request\b/);
    expect(copied).toContain(account.secretKey);
    expect(copied).not.toMatch(/<[A-Z][A-Za-z]*[\s/>]/);
  });

  it('asks ChatGPT and Claude to read the public .md URL, with no key in the link', async () => {
    await open('/docs/api/customers');
    await toggle().click();
    for (const name of ['Open in ChatGPT', 'Open in Claude']) {
      const link = page.getByRole('link', { name: new RegExp(`^${name}`) });
      const href = (await link.getAttribute('href'))!;
      expect(new URL(href).searchParams.get('q')).toContain(`${baseUrl}/docs/api/customers.md`);
      expect(href).not.toMatch(KEY_SHAPED);
      expect(href).not.toContain(account.secretKey);
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    }
  });

  it('is clean under axe while open, in both themes', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const themed = await newContext(browser(), { colorScheme: theme, bypassCSP: true });
      const themedPage = await themed.newPage();
      await themedPage.goto(`${baseUrl}/docs/keys`);
      await themedPage.locator('[data-kw-theme-toggle]:not([hidden])').waitFor();
      await themedPage.locator('[data-kw-page-actions] summary').click();
      const scope = { include: '.kw-page-title' };
      expect(await seriousViolations(themedPage, `page actions open, ${theme}`, scope)).toEqual([]);
      await themed.close();
    }
  });

  it('shows only its links without JavaScript', async () => {
    const bare = await newContext(browser(), { javaScriptEnabled: false });
    const plain = await bare.newPage();
    await plain.goto(`${baseUrl}/docs/keys`);
    await plain.locator('[data-kw-page-actions] summary').click();
    expect(await plain.getByRole('link', { name: 'View as Markdown' }).isVisible()).toBe(true);
    expect(await plain.getByRole('button', { name: 'Copy page as Markdown' }).isVisible()).toBe(false);
    await bare.close();
  });

  it('takes screenshots with the menu open, 1280 light and 390 dark, for review', async () => {
    for (const { width, theme } of [
      { width: 1280, theme: 'light' },
      { width: 390, theme: 'dark' },
    ] as const) {
      const shots = await newContext(browser(), { colorScheme: theme, viewport: { width, height: 800 } });
      const shot = await shots.newPage();
      await shot.goto(`${baseUrl}/docs/first-request`);
      await shot.locator('[data-kw-theme-toggle]:not([hidden])').waitFor();
      await shot.locator('[data-kw-page-actions] summary').click();
      await shot.screenshot({ path: `${SHOTS}/actions-${width}-${theme}.png` });
      await shots.close();
    }
  });
});
