import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { newContext, useBrowser } from '../support/browser.ts';
import { accountWithData, signInContext, type AccountWithData } from '../support/site-pages.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

let account: AccountWithData;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  account = await accountWithData();
  context = await newContext(browser());
  page = await context.newPage();
});
afterAll(() => context?.close());

async function open(path: string, viewport = { width: 1280, height: 900 }): Promise<void> {
  await page.setViewportSize(viewport);
  await page.goto(`${baseUrl}${path}`);
  await page.locator('[data-kw-theme-toggle]:not([hidden])').waitFor();
}

/** A short, recognisable description of the focused element. */
function focused(): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return 'body';
    const name = element.getAttribute('aria-label') ?? element.textContent ?? '';
    return `${element.tagName.toLowerCase()} "${name.replace(/\s+/g, ' ').trim().slice(0, 40)}"`;
  });
}

/**
 * Presses Tab from the top of the page until focus comes round again, and reports the
 * controls Tab never reached, the ones it reached without a visible focus indicator,
 * and any place it got stuck.
 */
async function walkWithTab(): Promise<string[]> {
  // Inline shells and "your latest requests" mount as they near the viewport: scroll the page
  // through once so every control Tab can reach is there before they are counted.
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight / 2) {
      window.scrollTo(0, y);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    window.scrollTo(0, 0);
  });
  await page.waitForLoadState('networkidle');
  const expected = await page.evaluate(() => {
    const selector = 'a[href], button, input, select, textarea, summary, [tabindex]';
    // A radio group is one Tab stop (arrow keys choose within it): its checked radio.
    const otherRadio = (element: HTMLElement) =>
      element instanceof HTMLInputElement &&
      element.type === 'radio' &&
      !element.checked &&
      document.querySelector(`input[type="radio"][name="${element.name}"]:checked`) !== null;
    // Inside a closed <details> only its own summary shows (Chromium still lays the rest out).
    const inClosedDetails = (element: HTMLElement) =>
      (element.tagName === 'SUMMARY' ? element.parentElement?.parentElement : element)?.closest(
        'details:not([open])',
      ) != null;
    const controls = [...document.querySelectorAll<HTMLElement>(selector)].filter(
      (element) =>
        element.tabIndex >= 0 &&
        !inClosedDetails(element) &&
        !element.matches(':disabled') &&
        element.getClientRects().length > 0 &&
        getComputedStyle(element).visibility !== 'hidden' &&
        !otherRadio(element),
    );
    controls.forEach((element, index) => (element.dataset.kwProbe = String(index)));
    return controls.map((element) => {
      const name = element.getAttribute('aria-label') ?? element.textContent ?? '';
      return `${element.tagName.toLowerCase()} "${name.replace(/\s+/g, ' ').trim().slice(0, 40)}"`;
    });
  });
  const reached = new Set<number>();
  const problems: string[] = [];
  let previous = -1;
  let repeats = 0;
  for (let presses = 0; presses < expected.length + 20; presses++) {
    await page.keyboard.press('Tab');
    const state = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      const own = getComputedStyle(element);
      const outline = own.outlineStyle !== 'none' && parseFloat(own.outlineWidth) > 0;
      // The shell's prompt line draws the ring for the input inside it.
      const around = element.parentElement ? getComputedStyle(element.parentElement).boxShadow : 'none';
      return {
        probe: Number(element.dataset.kwProbe ?? -1),
        visible:
          element.matches(':focus-visible') && (outline || own.boxShadow !== 'none' || around !== 'none'),
        tag: element.tagName.toLowerCase(),
      };
    });
    if (!state) continue; // focus left the page for the browser's own controls
    // A shell prompt may keep one Tab to list completions; a third in a row is a trap.
    repeats = state.probe === previous ? repeats + 1 : 0;
    if (repeats === 2) {
      problems.push(`Tab stays on ${expected[state.probe]}`);
      break;
    }
    if (repeats > 0) continue;
    if (state.probe < 0) problems.push(`Tab reached an unexpected ${state.tag}`);
    else if (reached.has(state.probe))
      break; // round again
    else reached.add(state.probe);
    if (state.probe >= 0 && !state.visible) problems.push(`${expected[state.probe]} shows no focus`);
    previous = state.probe;
  }
  expected.forEach((description, index) => {
    if (!reached.has(index)) problems.push(`Tab never reaches ${description}`);
  });
  return problems;
}

describe('the keyboard', () => {
  it('reaches every control of the docs and the dashboard with Tab, always showing focus', async () => {
    const problems: string[] = [];
    await open('/docs/first-request');
    problems.push(...(await walkWithTab()).map((problem) => `/docs/first-request: ${problem}`));
    // A page with an inline shell, and the docked shell open: Tab ends up trapped in the
    // docked one, the last thing on the page, so the walk ends there.
    await open('/docs/api/customers');
    await page.getByRole('button', { name: 'Shell', exact: true }).click();
    await expect.poll(focused).toBe('input "Shell command"');
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());
    problems.push(...(await walkWithTab()).map((problem) => `/docs/api/customers: ${problem}`));
    await page.keyboard.press('Control+`');
    await expect.poll(() => page.locator('#kw-shell-panel').isVisible()).toBe(false);
    await signInContext(context, account);
    await open('/dashboard/apikeys');
    await page.evaluate(() =>
      document.querySelectorAll('details').forEach((details) => (details.open = true)),
    );
    problems.push(...(await walkWithTab()).map((problem) => `/dashboard/apikeys: ${problem}`));
    await context.clearCookies();
    expect(problems.length, `Keyboard problems:\n${problems.join('\n')}\n`).toBe(0);
  });

  it('skips to the content with the first Tab and Enter', async () => {
    for (const [path, firstInMain] of [
      // The page's actions sit by its title, so they come first in a docs page's content.
      ['/docs/keys', 'summary "Page actions"'],
      ['/login', 'input "Email"'],
    ] as const) {
      await open(path);
      await page.keyboard.press('Tab');
      const link = page.getByRole('link', { name: 'Skip to content' });
      expect(await focused()).toBe('a "Skip to content"');
      const box = (await link.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0); // shown while focused
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('kw-main');
      await page.keyboard.press('Tab');
      const next = await page.evaluate(() => {
        // An input is known by its label; anything else by its name or text.
        const element = document.activeElement as HTMLInputElement;
        const text =
          element.getAttribute('aria-label') ?? element.labels?.[0]?.textContent ?? element.textContent;
        return `${element.tagName.toLowerCase()} "${text?.replace(/\s+/g, ' ').trim()}"`;
      });
      expect(next).toBe(firstInMain);
    }
  });

  it('moves into the docked shell, keeps Tab inside it, and gives focus back on Escape and on close', async () => {
    await open('/docs/keys');
    const toggle = page.getByRole('button', { name: 'Shell', exact: true });
    const panel = page.locator('#kw-shell-panel');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('input "Shell command"');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');

    // Tab cycles through the shell's own controls: the prompt, the resize handle, Close.
    // On an empty prompt the first Tab lists the commands and the second moves on.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('input "Shell command"');
    expect(await panel.locator('[role="log"]').textContent()).toContain('customers');
    const cycle: string[] = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      cycle.push(await focused());
    }
    expect(cycle).toEqual([
      'div "Resize the shell"',
      'button "Close the shell"',
      'div "Shell output"',
      'input "Shell command"',
      'div "Resize the shell"',
    ]);
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('input "Shell command"');

    // Escape leaves the shell open and returns to the opener; the shortcut comes back.
    await page.keyboard.press('Escape');
    expect(await focused()).toBe('button "Shell"');
    expect(await panel.isVisible()).toBe(true);
    await page.keyboard.press('Control+`'); // handled once the shell's module has loaded
    await expect.poll(focused).toBe('input "Shell command"');

    // Opened from a link in the page, it goes back there; Close gives focus back too.
    await page.keyboard.press('Escape');
    const link = page.getByRole('link', { name: 'Test mode and live mode' });
    await link.focus();
    await page.keyboard.press('Control+`'); // handled once the shell's module has loaded
    await expect.poll(focused).toBe('input "Shell command"');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('button "Close the shell"');
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.isVisible()).toBe(false);
    expect(await focused()).toBe('a "Test mode and live mode"');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  });

  it('keeps Tab inside the open drawer on a phone and returns focus to the menu button on Escape', async () => {
    await open('/docs/keys', { width: 375, height: 800 });
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('a "API keys"'); // the current page's link
    // Tab goes round the drawer's links and the menu button, and nowhere else.
    const links = await page.locator('#kw-sidebar a').allTextContents();
    const cycle = ['button "Menu"', ...links.map((text) => `a "${text.trim()}"`)];
    const start = cycle.indexOf('a "API keys"');
    const order: string[] = [];
    for (let i = 0; i < cycle.length; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused());
    }
    expect(order).toEqual(cycle.map((_, i) => cycle[(start + 1 + i) % cycle.length]));
    await menu.focus();
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe(cycle.at(-1)); // from the button back to the last link
    await page.keyboard.press('Escape');
    expect(await focused()).toBe('button "Menu"');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#kw-sidebar').isVisible()).toBe(false);
  });
});
