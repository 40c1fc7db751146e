import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, newContext, useBrowser } from '../support/browser.ts';
import { seriousViolations } from '../support/axe.ts';
import * as site from '../support/site-pages.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

const WIDTHS = [375, 768, 1280];
/** The pages issue 6 asks to see at every width: name, path, and whether it needs a session. */
const PAGES = [
  { name: 'walkthrough', path: '/docs/first-request', signedIn: false },
  { name: 'keys', path: '/docs/keys', signedIn: false },
  { name: 'dashboard', path: '/dashboard/apikeys', signedIn: true },
];

let account: site.AccountWithData;
beforeAll(async () => {
  account = await site.accountWithData();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
});

/**
 * What sticks out past the right edge of the viewport: the document itself, and the outermost
 * visible elements whose right edge passes it. Content inside a box that scrolls or clips
 * horizontally (a code block, a tab strip) is that box's business, so it is excepted.
 */
function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth > width) found.push(`the document is ${scrollWidth} px wide`);
    const clipsX = (element: Element) => getComputedStyle(element).overflowX !== 'visible';
    const sticksOut = (element: Element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && box.right > width + 0.5;
    };
    for (const element of document.body.querySelectorAll('*')) {
      if (!sticksOut(element) || getComputedStyle(element).visibility === 'hidden') continue;
      let ancestor = element.parentElement;
      let excepted = false;
      while (ancestor && ancestor !== document.body && !excepted) {
        excepted = clipsX(ancestor) || sticksOut(ancestor);
        ancestor = ancestor.parentElement;
      }
      if (excepted) continue;
      const name = `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).trim().split(/\s+/).join('.')}` : ''}`;
      found.push(`${name} ends at ${Math.round(element.getBoundingClientRect().right)} px`);
    }
    return found;
  });
}

async function load(page: Page, path: string, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 900 });
  await page.goto(`${baseUrl}${path}`);
  await page.locator('[data-kw-theme-toggle]:not([hidden])').waitFor();
}

describe.each(['light', 'dark'] as const)('in the %s theme', (theme) => {
  it('shows the walkthrough, keys page and dashboard at 375, 768 and 1280 px, nothing overflowing', async () => {
    // bypassCSP lets axe in (tests/support/axe.ts); the accessibility tests cover 1280 px.
    const context = await newContext(browser(), { colorScheme: theme, bypassCSP: true });
    const page = await context.newPage();
    const problems: string[] = [];
    for (const { name, path, signedIn } of PAGES) {
      if (signedIn) await site.signInContext(context, account);
      for (const width of WIDTHS) {
        await load(page, path, width);
        await page.screenshot({ path: `${SCREENSHOT_DIR}${name}-${width}-${theme}.png`, fullPage: true });
        problems.push(...(await overflow(page)).map((problem) => `${path} at ${width} px: ${problem}`));
        if (width < 1280) problems.push(...(await seriousViolations(page, `${path} at ${width} px`)));
      }
    }
    expect(problems.length, `Problems:\n${problems.join('\n')}\n`).toBe(0);
    await context.close();
  });
});

it('fits every docs and dashboard page into a 375 px phone', async () => {
  const context = await newContext(browser());
  const page = await context.newPage();
  const problems: string[] = [];
  for (const path of [...(await site.sitemapPaths()), '/login', '/signup']) {
    await load(page, path, 375);
    problems.push(...(await overflow(page)).map((problem) => `${path}: ${problem}`));
  }
  await site.signInContext(context, account);
  for (const path of site.dashboardPaths(account)) {
    await load(page, path, 375);
    problems.push(...(await overflow(page)).map((problem) => `${path}: ${problem}`));
  }
  expect(problems.length, `Overflowing horizontally at 375 px:\n${problems.join('\n')}\n`).toBe(0);
  await context.close();
});
