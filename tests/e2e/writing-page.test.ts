import { describe, expect, inject, it } from 'vitest';
import { collectErrors, newContext, useBrowser } from '../support/browser.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('an example on /docs/writing', () => {
  it('copies its MDX as written, tokens and all, without starting a guest sandbox', async () => {
    const context = await newContext(browser());
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    const errors = collectErrors(context);
    const page = await context.newPage();
    // Nothing the page sends may reach the sandbox, where a sample key would start a guest.
    const sandboxCalls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/v1')) sandboxCalls.push(request.method());
    });
    await page.goto(`${baseUrl}/docs/writing`);
    const example = page.locator('.kw-example').filter({ hasText: 'List customers' }).first();
    const copy = example.locator('.kw-example__source [data-kw-copy-from]');
    await copy.click();
    await expect.poll(() => copy.textContent()).toBe('Copied');

    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(
      '```bash title="List customers"\ncurl {{API_BASE}}/v1/customers -u {{SECRET_KEY}}:\n```',
    );
    // The rendered result beneath is a normal sample, with the reader's key in it.
    expect(await example.locator('.kw-example__result code').innerText()).toMatch(
      /-u sk_test_[0-9A-Za-z]{24}:/,
    );
    expect(sandboxCalls).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
