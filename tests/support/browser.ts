import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';
import { CHROMIUM_FLAGS } from './chromium.ts';

/** Launches the system Chromium that tests/run.mjs found (KEYWAY_CHROMIUM). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.KEYWAY_CHROMIUM ?? '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    args: CHROMIUM_FLAGS,
  });
}

/** Console errors and uncaught page errors seen in a context, for "no errors" checks. */
export function collectErrors(context: BrowserContext): string[] {
  const errors: string[] = [];
  context.on('page', (page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  });
  return errors;
}

export async function newContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
}

/** Where screenshots go; the folder is ignored by git. */
export const SCREENSHOT_DIR = new URL('../../test-results/screenshots/', import.meta.url).pathname;

/** One Chromium for the tests of a file: launched before them, closed after. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('The browser is not launched yet.');
    return browser;
  };
}
