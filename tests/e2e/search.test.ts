import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, collectErrors, newContext, useBrowser } from '../support/browser.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

const dialogOpen = (page: Page) => page.evaluate(() => document.querySelector('dialog')?.open ?? false);
const focusedInDialog = (page: Page) =>
  page.evaluate(() => Boolean(document.activeElement?.closest('dialog[open]')));

describe('docs search', () => {
  it('opens with /, finds as you type with highlights, and arrows and Enter open a section', async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/keys`);
    await page.keyboard.press('/');
    const input = page.getByRole('combobox', { name: 'Search the docs' });
    await input.waitFor();
    expect(await input.evaluate((element) => element === document.activeElement)).toBe(true);
    await expect
      .poll(() => page.locator('dialog').getByRole('status').textContent())
      .toMatch(/Type a word or two/);

    await page.keyboard.type('rate limit');
    const options = page.getByRole('option');
    await expect.poll(() => options.count()).toBeGreaterThan(1);
    const first = options.first();
    expect(await first.getAttribute('href')).toBe('/docs/api/errors#rate_limit');
    expect(await first.getAttribute('aria-selected')).toBe('true');
    expect(await first.locator('mark').allTextContents()).toEqual(expect.arrayContaining(['rate', 'limit']));
    expect(await page.locator('dialog').getByRole('status').textContent()).toMatch(
      /^\d+ results for “rate limit”$/,
    );
    await page.screenshot({ path: `${SCREENSHOT_DIR}search.png` });

    await page.keyboard.press('ArrowDown');
    const second = options.nth(1);
    expect(await second.getAttribute('aria-selected')).toBe('true');
    expect(await first.getAttribute('aria-selected')).toBe('false');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await second.getAttribute('id'));
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    // Up from the first result wraps to the last.
    expect(await options.last().getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const target = (await second.getAttribute('href'))!;
    expect(target).toMatch(/^\/docs\/[\w/-]+#[\w-]+$/);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}${target}`);
    const anchor = page.locator(`[id="${target.split('#')[1]}"]`);
    await expect.poll(() => anchor.isVisible()).toBe(true);
    expect(await anchor.evaluate((element) => element.getBoundingClientRect().top)).toBeLessThan(300);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens with Ctrl+K, keeps Tab inside, and Escape closes and gives focus back', async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/api/customers`);
    const link = page.locator('.kw-sidebar').getByRole('link', { name: 'Errors' });
    await link.focus();
    await page.keyboard.press('Control+k');
    const input = page.getByRole('combobox', { name: 'Search the docs' });
    await input.waitFor();
    await page.keyboard.type('zzyzx');
    await expect
      .poll(() => page.locator('dialog').getByRole('status').textContent())
      .toMatch(/^No results for “zzyzx”/);
    expect(await page.getByRole('option').count()).toBe(0);

    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      expect(await focusedInDialog(page), `focus after ${key}`).toBe(true);
    }
    await input.focus();
    await page.keyboard.press('Escape');
    expect(await dialogOpen(page)).toBe(false);
    expect(await link.evaluate((element) => element === document.activeElement)).toBe(true);

    // The header button opens it too, keeping the last query; the Close button gives focus back.
    const button = page.getByRole('button', { name: 'Search', exact: true });
    await button.click();
    expect(await dialogOpen(page)).toBe(true);
    expect(await input.inputValue()).toBe('zzyzx');
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await dialogOpen(page)).toBe(false);
    expect(await button.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('offers popular pages, reachable with Tab, while nothing is typed or nothing is found', async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/keys`);
    await page.keyboard.press('/');
    const popular = page.getByRole('navigation', { name: 'Popular pages' });
    await expect.poll(() => popular.isVisible()).toBe(true);
    await page.keyboard.type('zzyzx');
    await expect
      .poll(() => page.locator('dialog').getByRole('status').textContent())
      .toMatch(/^No results for “zzyzx”/);
    expect(await popular.isVisible()).toBe(true);
    const links = await popular
      .getByRole('link')
      .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
    expect(links).toEqual(
      expect.arrayContaining(['/docs/first-request', '/docs/api/authentication', '/docs/keys']),
    );
    await page.screenshot({ path: `${SCREENSHOT_DIR}search-empty.png` });

    // Tab goes from the field past Close to the first page, and Enter follows it.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('href'));
    expect(await focused()).toBe('/docs/first-request');
    // Shift+Tab from the field wraps to the last popular page, still inside the dialog.
    await page.getByRole('combobox', { name: 'Search the docs' }).focus();
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe(links[links.length - 1]);

    // Results take their place.
    await page.getByRole('combobox', { name: 'Search the docs' }).fill('roll a key');
    await expect.poll(() => page.getByRole('option').count()).toBeGreaterThan(0);
    expect(await popular.isVisible()).toBe(false);
    await page.getByRole('combobox', { name: 'Search the docs' }).fill('zzyzx');
    await expect.poll(() => popular.isVisible()).toBe(true);
    await popular.getByRole('link', { name: /Get started/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}/docs/first-request`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('leaves / alone in a text field, and jumps within the page on a phone', async () => {
    const context = await newContext(browser(), { viewport: { width: 375, height: 740 } });
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/keys`);
    await page.keyboard.press('Control+`');
    const prompt = page.getByLabel('Shell command');
    await prompt.waitFor();
    await page.keyboard.type('get /v1/customers');
    expect(await prompt.inputValue()).toBe('get /v1/customers');
    expect(await dialogOpen(page)).toBe(false);
    await page.keyboard.press('Control+`');

    // On a phone the button is an icon whose accessible name is still "Search".
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.keyboard.type('roll a key');
    const first = page.getByRole('option').first();
    await expect.poll(() => first.getAttribute('href')).toBe('/docs/keys#roll-a-key');
    const box = (await page.locator('dialog').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    await page.screenshot({ path: `${SCREENSHOT_DIR}search-phone.png` });
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}/docs/keys#roll-a-key`);
    expect(await dialogOpen(page)).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });
});
