import { execFileSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { SCREENSHOT_DIR, collectErrors, newContext, useBrowser } from '../support/browser.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

/** What Chromium logs for a response with status 404, whatever was loaded. */
const NOT_FOUND_LOGGED =
  'console: Failed to load resource: the server responded with a status of 404 (Not Found)';

async function sampleKeyOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies(baseUrl)).find((c) => c.name === 'kw_sample');
  return decodeURIComponent(cookie!.value).split('.')[0]!;
}

const selectedTabs = (page: Page) =>
  page.$$eval('.kw-sample [role="tab"][aria-selected="true"]', (tabs) =>
    tabs.map((tab) => (tab as HTMLElement).dataset.tab),
  );

/** A context the size of a phone (390×844), with touch. */
const phoneContext = () =>
  newContext(browser(), { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

describe('language tabs', () => {
  it('switch every sample on the page, persist across pages and after reload', async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/api/customers`);
    expect(new Set(await selectedTabs(page))).toEqual(new Set(['curl']));

    await page.locator('.kw-sample [role="tab"][data-tab="python"]').first().click();
    expect(new Set(await selectedTabs(page))).toEqual(new Set(['python']));
    const visible = await page.$$eval(
      '.kw-sample:has([role="tablist"]) .kw-sample__panel:not([hidden])[data-tab="curl"]',
      (panels) => panels.length,
    );
    expect(visible).toBe(0);

    await page.goto(`${baseUrl}/docs/api/events`);
    expect(new Set(await selectedTabs(page))).toEqual(new Set(['python']));
    await page.reload();
    expect(new Set(await selectedTabs(page))).toEqual(new Set(['python']));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('follow the WAI-ARIA keyboard pattern', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/api/customers`);
    const first = page
      .locator('.kw-sample')
      .filter({ has: page.locator('[role="tablist"]') })
      .first();
    await first.locator('[role="tab"][aria-selected="true"]').focus();
    await page.keyboard.press('ArrowRight');
    const focused = () => page.evaluate(() => (document.activeElement as HTMLElement).dataset.tab);
    expect(await focused()).toBe('cli');
    expect(await first.locator('[role="tab"][aria-selected="true"]').getAttribute('data-tab')).toBe('cli');
    await page.keyboard.press('End');
    expect(await focused()).toBe('dotnet');
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('curl');
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toBe('dotnet');
    await page.keyboard.press('Home');
    expect(await focused()).toBe('curl');
    // Only the selected tab is in the tab order; Tab moves on into the panel's code.
    expect(await first.locator('[role="tab"][tabindex="0"]').count()).toBe(1);
    const panel = first.locator('[role="tabpanel"]:not([hidden])');
    expect(await panel.getAttribute('aria-labelledby')).toBe(
      await first.locator('[role="tab"][aria-selected="true"]').getAttribute('id'),
    );
    await context.close();
  });

  it('on a phone, name the language in a select that lists all nine and switches every sample', async () => {
    const context = await phoneContext();
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/first-request?lang=curl`);
    const samples = page.locator('.kw-sample').filter({ has: page.locator('[role="tablist"]') });
    expect(await samples.count()).toBeGreaterThan(1);
    const first = samples.first();
    const select = first.getByRole('combobox', { name: 'Language' });
    await select.scrollIntoViewIfNeeded();
    expect(await select.isVisible()).toBe(true);
    expect(await first.locator('[role="tablist"]').isVisible()).toBe(false);
    expect(await select.locator('option').allTextContents()).toEqual([
      'curl',
      'CLI',
      'Node',
      'Python',
      'Ruby',
      'PHP',
      'Go',
      'Java',
      '.NET',
    ]);
    expect(await select.inputValue()).toBe('curl');
    // In the viewport, and what a finger at its centre lands on is the select, not Copy.
    const placement = await select.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return {
        inViewport: box.left >= 0 && box.top >= 0 && box.right <= innerWidth && box.bottom <= innerHeight,
        onTop: hit !== null && element.contains(hit),
      };
    });
    expect(placement).toEqual({ inViewport: true, onTop: true });
    const copy = await first.locator('[data-kw-copy]').boundingBox();
    const own = await select.boundingBox();
    expect(copy!.x).toBeGreaterThanOrEqual(own!.x + own!.width);

    await select.selectOption('go');
    expect(await first.locator('.kw-sample__panel:not([hidden])').getAttribute('data-tab')).toBe('go');
    expect(new Set(await selectedTabs(page))).toEqual(new Set(['go']));
    expect(
      new Set(
        await samples
          .locator('.kw-sample__select')
          .evaluateAll((all) => all.map((s) => (s as HTMLSelectElement).value)),
      ),
    ).toEqual(new Set(['go']));
    const shown = await samples.evaluateAll((all) =>
      all.map((sample) => sample.querySelector<HTMLElement>('.kw-sample__panel:not([hidden])')!.dataset.tab),
    );
    expect(new Set(shown)).toEqual(new Set(['go']));
    const cookie = (await context.cookies(baseUrl)).find((c) => c.name === 'kw_lang');
    expect(cookie?.value).toBe('go');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('go');
    await page.screenshot({ path: `${SCREENSHOT_DIR}first-request-phone-select.png` });

    // A wider screen has room for the tabs, and shows them instead.
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await first.locator('[role="tablist"]').isVisible()).toBe(true);
    expect(await select.isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('copy button', () => {
  it("copies exactly the shown code, with the visitor's key", async () => {
    const context = await newContext(browser());
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/first-request`);
    const sample = page
      .locator('.kw-sample')
      .filter({ has: page.locator('[role="tablist"]') })
      .first();
    await sample.locator('[data-kw-copy]').click();
    await expect.poll(() => sample.locator('[data-kw-copy]').textContent()).toBe('Copied');
    expect(await sample.locator('[data-kw-copy-status]').textContent()).toBe('Copied to clipboard');

    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const shown = await sample.locator('.kw-sample__panel:not([hidden]) code').innerText();
    expect(copied).toBe(shown);
    expect(copied).toContain(await sampleKeyOf(context));
    expect(copied).not.toMatch(/^\$ /m);
    expect(copied).not.toContain('Sample key');
    await context.close();
  });

  it('works from the keyboard and without the Clipboard API', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.addInitScript(() => {
      Object.defineProperty(navigator, 'clipboard', { value: undefined });
    });
    await page.goto(`${baseUrl}/docs/keys`);
    const button = page.locator('[data-kw-copy]').first();
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => button.textContent()).toBe('Copied');
    await context.close();
  });
});

describe('sample keys in the page', () => {
  it('work in a terminal when the sample is selected with the mouse and copied with Ctrl+C', async () => {
    const context = await newContext(browser());
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/first-request`);
    // The curl sample that creates a customer, as the reader sees it: no Copy, no Run.
    const code = page
      .locator('.kw-sample__panel:not([hidden]) code')
      .filter({ hasText: /^curl .*\/v1\/customers/ })
      .filter({ hasText: '-d email=' })
      .first();
    // Where the code's text starts and ends on screen: a drag from one to the other is
    // what a reader does (past the end, the selection would run on into the prose).
    await code.scrollIntoViewIfNeeded();
    const [start, end] = await code.evaluate((element) => {
      const range = document.createRange();
      range.selectNodeContents(element);
      const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
      const first = rects[0]!;
      const last = rects.at(-1)!;
      return [
        { x: first.left + 1, y: first.top + first.height / 2 },
        { x: last.right - 1, y: last.top + last.height / 2 },
      ];
    });
    await page.mouse.move(start!.x, start!.y);
    await page.mouse.down();
    await page.mouse.move(end!.x, end!.y, { steps: 8 });
    await page.mouse.up();
    await page.keyboard.press('Control+C');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(await page.evaluate(() => window.getSelection()!.toString()));
    expect(copied).toContain(await sampleKeyOf(context));
    expect(copied).toMatch(/^curl /);

    const output = execFileSync('sh', ['-c', `${copied.trim()} -w '\\n%{http_code}'`], { encoding: 'utf8' });
    expect(output.slice(output.lastIndexOf('\n') + 1)).toBe('200');
    expect(JSON.parse(output.slice(0, output.lastIndexOf('\n')))).toMatchObject({
      object: 'customer',
      email: 'jenny.rosen@example.com',
    });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('are explained on focus without changing the code', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/first-request`);
    const key = page.locator('.kw-sample__panel:not([hidden]) .kw-key').first();
    await key.focus();
    const tip = page.locator('.kw-key-tip');
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toBe('Sample key: sign in to see your own test key');
    expect(await key.textContent()).toBe(await sampleKeyOf(context));
    await context.close();
  });
});

describe('themes and screens', () => {
  it('follows a dark system theme without a flash, and the toggle switches it', async () => {
    const context = await newContext(browser(), { colorScheme: 'dark' });
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/first-request`);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(15, 17, 23)');
    await page.screenshot({ path: `${SCREENSHOT_DIR}first-request-dark.png`, fullPage: false });
    await page.locator('[data-kw-theme-toggle]').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a sidebar toggle on a phone', async () => {
    const context = await phoneContext();
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/keys`);
    const toggle = page.locator('[data-kw-sidebar-toggle]');
    const sidebar = page.locator('#kw-sidebar');
    expect(await toggle.isVisible()).toBe(true);
    expect(await sidebar.isVisible()).toBe(false);
    await page.screenshot({ path: `${SCREENSHOT_DIR}keys-phone.png` });
    await toggle.click();
    await expect.poll(() => sidebar.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.waitForTimeout(300); // let the drawer finish sliding in before the picture
    await page.screenshot({ path: `${SCREENSHOT_DIR}keys-phone-menu.png` });
    await page.keyboard.press('Escape');
    await expect.poll(() => sidebar.isVisible()).toBe(false);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps every page free of console errors and failed loads', async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    const failedLoads: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failedLoads.push(`${response.status()} ${response.url()}`);
    });
    for (const path of [
      '/',
      '/docs/first-request',
      '/docs/test-mode',
      '/docs/logs-and-events',
      '/docs/api/errors',
      '/docs/nope',
    ]) {
      await page.goto(`${baseUrl}${path}`);
    }
    await page.goto(`${baseUrl}/`);
    await page.screenshot({ path: `${SCREENSHOT_DIR}landing.png` });
    await page.goto(`${baseUrl}/docs/first-request`);
    await page.screenshot({ path: `${SCREENSHOT_DIR}first-request.png` });
    // /docs/nope is meant to be a 404, and Chromium logs that document as a console error. It is
    // the only load allowed to fail: a missing stylesheet, script, font or image fails the test.
    expect(failedLoads).toEqual([`404 ${baseUrl}/docs/nope`]);
    expect(errors.filter((error) => error !== NOT_FOUND_LOGGED)).toEqual([]);
    await context.close();
  });

  it('reads well without JavaScript: every language shown, with the keys', async () => {
    const context = await newContext(browser(), { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/api/customers`);
    const sample = page
      .locator('.kw-sample')
      .filter({ has: page.locator('[role="tablist"]') })
      .first();
    expect(await sample.locator('.kw-sample__panel:visible').count()).toBe(9);
    expect(await sample.locator('[role="tablist"]').isVisible()).toBe(false);
    expect(await sample.innerText()).toContain(await sampleKeyOf(context));
    await page.screenshot({ path: `${SCREENSHOT_DIR}customers-nojs.png` });
    // A phone's select cannot switch either: it stays hidden, and every language still shows.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await sample.locator('.kw-sample__select').isVisible()).toBe(false);
    expect(await sample.locator('.kw-sample__panel:visible').count()).toBe(9);
    await context.close();
  });
});
