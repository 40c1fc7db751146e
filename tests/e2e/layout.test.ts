import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { newContext, useBrowser } from '../support/browser.ts';
import { accountWithData, signInContext, type AccountWithData } from '../support/site-pages.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let account: AccountWithData;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  account = await accountWithData();
  context = await newContext(browser());
  await signInContext(context, account);
  page = await context.newPage();
});
afterAll(() => context?.close());

async function open(path: string, viewport: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(viewport);
  await page.goto(`${baseUrl}${path}`);
  await page.locator('[data-kw-theme-toggle]:not([hidden])').waitFor();
}

describe('the one header', () => {
  it('on a phone, opens the docs navigation from every page, and offers the shell', async () => {
    for (const path of ['/', '/login', '/no-such-page', '/dashboard/logs', '/docs/keys']) {
      await open(path, PHONE);
      await expect
        .poll(() => page.locator('[data-kw-shell-toggle]').isVisible(), { message: path })
        .toBe(true);
      const menu = page.locator('[data-kw-sidebar-toggle]');
      await menu.click();
      const link = page.locator('#kw-sidebar a[href="/docs/api/customers"]');
      await expect.poll(() => link.isVisible(), { message: path }).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => menu.getAttribute('aria-expanded'), { message: path }).toBe('false');
    }
  });

  it('keeps the drawer out of sight on a wide screen, off the docs', async () => {
    await open('/login', DESKTOP);
    expect(await page.locator('#kw-sidebar').isVisible()).toBe(false);
    expect(await page.locator('[data-kw-sidebar-toggle]').isVisible()).toBe(false);
    expect(await page.locator('.kw-header__nav a[href="/docs/first-request"]').isVisible()).toBe(true);
  });

  it('shows the section the reader is in', async () => {
    await open('/docs/api/customers', DESKTOP);
    const style = (name: string) =>
      page
        .locator('.kw-header__nav a', { hasText: name })
        .evaluate((link) => `${getComputedStyle(link).color} ${getComputedStyle(link).fontWeight}`);
    expect(await style('API reference')).not.toBe(await style('Guides'));
  });
});

describe('"On this page"', () => {
  it('marks the section being read as the reader scrolls', async () => {
    await open('/docs/api/customers', DESKTOP);
    const current = () =>
      page.$$eval('.kw-toc a[aria-current]', (links) => links.map((link) => link.getAttribute('href')));
    for (const id of ['update-customer', 'list-customers']) {
      await page.locator(`#${id}`).evaluate((heading) => heading.scrollIntoView());
      await expect.poll(current).toEqual([`#${id}`]);
    }
    const link = page.locator('.kw-toc a[aria-current]');
    const plain = page.locator('.kw-toc a:not([aria-current])').first();
    const color = (locator: typeof link) => locator.evaluate((element) => getComputedStyle(element).color);
    expect(await color(link)).not.toBe(await color(plain));
  });
});

describe('code', () => {
  it('is 14 px on docs pages and on the landing page', async () => {
    for (const path of ['/docs/first-request', '/']) {
      await open(path, DESKTOP);
      const sizes = await page.$$eval('.kw-sample pre code', (codes) => [
        ...new Set(codes.map((code) => getComputedStyle(code).fontSize)),
      ]);
      expect(sizes, path).toEqual(['14px']);
    }
  });

  it('shows a cue where a long line runs past the edge, and scrolls from the keyboard', async () => {
    await open('/docs/api/customers?lang=dotnet', PHONE);
    const pre = page.locator('.kw-sample pre:visible').first();
    const box = await pre.evaluate((element) => ({
      overflows: element.scrollWidth > element.clientWidth,
      tabindex: element.getAttribute('tabindex'),
      attachment: getComputedStyle(element).backgroundAttachment,
      image: getComputedStyle(element).backgroundImage,
    }));
    expect(box.overflows).toBe(true);
    expect(box.tabindex).toBe('0');
    // Covers that move with the text over shadows that stay at the edges.
    expect(box.attachment).toContain('local');
    expect(box.attachment).toContain('scroll');
    expect(box.image).toContain('radial-gradient');
    await pre.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => pre.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
  });
});

describe('the dashboard on a phone', () => {
  it('shows logs as compact cards and its sections on one row', async () => {
    await open('/dashboard/logs', PHONE);
    const heights = await page.$$eval('.kw-table tbody tr', (rows) =>
      rows.map((row) => row.getBoundingClientRect().height),
    );
    expect(heights.length).toBeGreaterThan(0);
    for (const height of heights) expect(height).toBeLessThan(150);
    const tops = await page.$$eval('.kw-dashboard__nav a', (links) => [
      ...new Set(links.map((link) => Math.round(link.getBoundingClientRect().top))),
    ]);
    expect(tops).toHaveLength(1);
  });
});
