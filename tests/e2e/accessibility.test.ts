import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { newContext, useBrowser } from '../support/browser.ts';
import { seriousViolations } from '../support/axe.ts';
import {
  accountWithData,
  dashboardPaths,
  signInContext,
  sitemapPaths,
  type AccountWithData,
} from '../support/site-pages.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

let publicPaths: string[];
let account: AccountWithData;

beforeAll(async () => {
  publicPaths = [
    ...(await sitemapPaths()),
    '/login',
    '/signup',
    '/forgot-password',
    '/reset-password/spent',
    '/no-such-page',
  ];
  account = await accountWithData();
});

/** Fails with every problem found, each readable on its own. */
function expectNone(problems: string[]): void {
  expect(problems.length, `Accessibility problems:\n\n${problems.join('\n\n')}\n`).toBe(0);
}

/**
 * What is wrong with a page as loaded: axe's serious and critical findings (for code, in
 * every language, not only the chosen tab), and a first Tab that misses the skip link.
 */
async function audit(page: Page, path: string, label: string): Promise<string[]> {
  await page.goto(`${baseUrl}${path}`);
  // The page's scripts have run once the theme toggle, hidden without them, shows.
  await page.locator('[data-kw-theme-toggle]:not([hidden])').waitFor();
  const problems = await seriousViolations(page, label);
  const panels = await page.evaluate(() => {
    const hidden = document.querySelectorAll<HTMLElement>('.kw-sample__panel[hidden]');
    hidden.forEach((panel) => (panel.hidden = false));
    return hidden.length;
  });
  if (panels > 0) {
    const scope = { include: '.kw-sample__panel', rules: ['color-contrast'] };
    problems.push(...(await seriousViolations(page, `${label}, every language`, scope)));
  }
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return { text: element?.textContent?.trim(), href: element?.getAttribute('href') };
  });
  if (first.text !== 'Skip to content' || first.href !== '#kw-main') {
    problems.push(`${label}: the first Tab reached ${JSON.stringify(first)}, not the skip link`);
  }
  return problems;
}

describe.each(['light', 'dark'] as const)('in the %s theme', (theme) => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    // bypassCSP: axe goes in as an inline script, which the site's policy refuses.
    context = await newContext(browser(), { colorScheme: theme, bypassCSP: true });
    page = await context.newPage();
  });
  afterAll(() => context.close());

  const auditAll = async (paths: string[], who: string) => {
    const problems: string[] = [];
    for (const path of paths) {
      problems.push(...(await audit(page, path, `${path} (${who}, ${theme})`)));
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
    }
    return problems;
  };

  // A ceiling for a stuck run, not a speed check: axe reads every page of the sitemap twice,
  // and the API reference pages, generated from the declaration, hold a table per operation.
  it(
    'every page in the sitemap, sign-in, sign-up and the 404 page pass axe and start with a skip link',
    {
      timeout: 180_000,
    },
    async () => {
      expectNone(await auditAll(publicPaths, 'anonymous'));
    },
  );

  it('the walkthrough passes with the shell open and a try-it answered', async () => {
    await page.goto(`${baseUrl}/docs/first-request`);
    await page.getByRole('button', { name: 'Shell', exact: true }).click();
    const prompt = page.getByLabel('Shell command');
    await prompt.fill('keyway customers list --limit=1');
    await prompt.press('Enter');
    await expect
      .poll(() => page.locator('#kw-shell-panel [role="log"]').textContent(), { timeout: 10_000 })
      .toContain('"object": "list"');
    const widget = page.locator('[data-kw-tryit]').first();
    await widget.getByRole('button', { name: 'Run' }).click();
    await expect
      .poll(() => widget.locator('[data-kw-tryit-result]').textContent(), { timeout: 10_000 })
      .toMatch(/^200 OK/);
    // The walkthrough's last step fills in with the request's log card.
    await page.locator('[data-kw-live-details] .kw-log-card').waitFor();
    const problems = await seriousViolations(page, `/docs/first-request after running (${theme})`);
    await page.getByRole('button', { name: 'Close the shell' }).click();
    expectNone(problems);
  });

  it('every dashboard page passes, signed in, with every disclosure open in test and live mode', async () => {
    await signInContext(context, account);
    const problems = await auditAll(['/docs/first-request', ...dashboardPaths(account)], 'signed in');
    for (const mode of ['Test', 'Live']) {
      await page.goto(`${baseUrl}/dashboard/apikeys`);
      await page.getByRole('button', { name: mode, exact: true }).click();
      await page.waitForLoadState();
      await page.evaluate(() =>
        document.querySelectorAll('details').forEach((details) => (details.open = true)),
      );
      const label = `/dashboard/apikeys in ${mode} mode with everything open (${theme})`;
      problems.push(...(await seriousViolations(page, label)));
    }
    expectNone(problems);
  });
});
