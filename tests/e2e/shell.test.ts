import { describe, expect, inject, it } from 'vitest';
import { SCREENSHOT_DIR, collectErrors, newContext, useBrowser } from '../support/browser.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('the shell', () => {
  it('runs the customers create command for an anonymous reader and stays open across pages', async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/first-request`);
    await page.getByRole('button', { name: 'Shell' }).click();
    const prompt = page.getByLabel('Shell command');
    await prompt.waitFor();
    await prompt.fill(
      'keyway customers create --email=jane@example.com --name="Jane Smith" --description="My first customer"',
    );
    await prompt.press('Enter');
    const output = page.locator('#kw-shell-panel [role="log"]');
    await expect
      .poll(() => output.textContent(), { timeout: 10_000 })
      .toMatch(/POST \/v1\/customers → 200 · req_/);
    const text = (await output.textContent()) ?? '';
    expect(text).toMatch(/"id": "cus_[0-9A-Za-z]{14}"/);
    expect(text).toContain('"name": "Jane Smith"');
    await page.screenshot({ path: `${SCREENSHOT_DIR}shell.png` });

    // A typo is answered with the closest command.
    await prompt.fill('keyway custmers list');
    await prompt.press('Enter');
    await expect.poll(() => output.textContent()).toContain('Did you mean customers?');

    // Still open on the next page, with the history a keypress away.
    await page.goto(`${baseUrl}/docs/keys`);
    await expect.poll(() => page.locator('#kw-shell-panel').isVisible()).toBe(true);
    const again = page.getByLabel('Shell command');
    await again.press('ArrowUp');
    await again.press('ArrowUp');
    expect(await again.inputValue()).toContain('customers create');

    // Tab completes; Ctrl+` closes.
    await again.fill('keyway customers li');
    await again.press('Tab');
    expect(await again.inputValue()).toBe('keyway customers list ');
    await page.keyboard.press('Control+`');
    await expect.poll(() => page.locator('#kw-shell-panel').isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("makes the page's samples name the customer it just created", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/api/customers`);
    const retrieve = page.locator('[data-operation="retrieve-customer"] .kw-sample').first();
    expect(await retrieve.locator('.kw-objid').first().textContent()).toBe('cus_CREATE_A_CUSTOMER_FIRST');
    await page.keyboard.press('Control+`');
    const prompt = page.locator('#kw-shell-panel').getByLabel('Shell command');
    await prompt.fill('keyway customers create --email=named@example.com');
    await prompt.press('Enter');
    const output = page.locator('#kw-shell-panel [role="log"]');
    await expect.poll(() => output.textContent(), { timeout: 10_000 }).toMatch(/"id": "cus_[0-9A-Za-z]{14}"/);
    const id = /"id": "(cus_[0-9A-Za-z]{14})"/.exec((await output.textContent()) ?? '')![1];
    await expect.poll(() => retrieve.locator('.kw-objid').first().textContent()).toBe(id);
    // And after a reload, the server names it too.
    await page.reload();
    expect(
      await page
        .locator('[data-operation="retrieve-customer"] .kw-sample')
        .first()
        .locator('.kw-objid')
        .first()
        .textContent(),
    ).toBe(id);
    await context.close();
  });

  it('runs inline in a page, with its command ready', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/api/customers`);
    const inline = page.locator('[data-kw-terminal-inline]');
    const prompt = inline.getByLabel('Shell command');
    await prompt.waitFor();
    expect(await prompt.inputValue()).toBe('keyway customers list --limit=3');
    await prompt.press('Enter');
    await expect.poll(() => inline.textContent(), { timeout: 10_000 }).toMatch(/GET \/v1\/customers → 200/);
    expect(await inline.textContent()).toContain('"object": "list"');
    await context.close();
  });

  it('refuses a live key with an explanation', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/keys`);
    await page.keyboard.press('Control+`');
    const prompt = page.getByLabel('Shell command');
    await prompt.fill(`keyway customers list --api-key sk_live_${'a'.repeat(24)}`);
    await prompt.press('Enter');
    await expect
      .poll(() => page.locator('#kw-shell-panel [role="log"]').textContent())
      .toContain('The shell runs in test mode only');
    await context.close();
  });
});
