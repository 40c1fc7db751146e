import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, collectErrors, newContext, useBrowser } from '../support/browser.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

/** The reader's place: how far down the page is, and the first heading below the header, with its top. */
function place(page: Page): Promise<{ scrollY: number; heading: string; top: number }> {
  return page.evaluate(() => {
    const header = document.querySelector('.kw-header')!.getBoundingClientRect().bottom;
    const headings = [...document.querySelectorAll<HTMLElement>('.kw-docs__main :is(h2, h3)')];
    const first = headings.find((heading) => heading.getBoundingClientRect().top >= header)!;
    return { scrollY, heading: first.id, top: first.getBoundingClientRect().top };
  });
}

/** Runs one step of opening, closing or resizing the shell, and checks the page did not move. */
async function keepsPlace(page: Page, step: string, action: () => Promise<unknown>): Promise<void> {
  const before = await place(page);
  await action();
  // Give a late scroll (a focus moved after an import, a resize) the time to land.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
  const after = await place(page);
  expect(after.heading, step).toBe(before.heading);
  expect(
    Math.abs(after.scrollY - before.scrollY),
    `${step}: scrollY ${before.scrollY} → ${after.scrollY}`,
  ).toBeLessThanOrEqual(1);
  expect(Math.abs(after.top - before.top), step).toBeLessThanOrEqual(1);
}

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

  for (const [device, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`keeps the reader's place as the shell opens, closes and resizes (${device})`, async () => {
      const context = await newContext(browser(), { viewport });
      const errors = collectErrors(context);
      const page = await context.newPage();
      await page.goto(`${baseUrl}/docs/api/customers`);
      const panel = page.locator('#kw-shell-panel');
      const toggle = page.locator('[data-kw-shell-toggle]');
      const prompt = panel.getByLabel('Shell command');
      await toggle.waitFor();

      // Header button to open, the panel's Close button to close.
      await page.evaluate(() => scrollTo(0, 1500));
      await keepsPlace(page, 'open with the header button', async () => {
        await toggle.click();
        await expect.poll(() => prompt.evaluate((input) => input === document.activeElement)).toBe(true);
      });
      await page.screenshot({ path: `${SCREENSHOT_DIR}shell-scroll-${device}.png` });
      await keepsPlace(page, 'resize with the handle', () =>
        panel.locator('[data-kw-shell-resize]').press('ArrowUp'),
      );
      await keepsPlace(page, 'close with its Close button', async () => {
        await panel.locator('[data-kw-shell-close]').click();
        await expect.poll(() => toggle.evaluate((button) => button === document.activeElement)).toBe(true);
      });
      await keepsPlace(page, 'open and close with the header button', async () => {
        await toggle.click();
        await prompt.waitFor();
        await toggle.click();
        await panel.waitFor({ state: 'hidden' });
      });

      // Ctrl+` to open, Escape to hand focus back to the page, Ctrl+` into the prompt and to close,
      // from a link near the top that the reader has since scrolled far away from.
      const link = page.locator('.kw-docs__main a[href]').first();
      await link.focus();
      await page.evaluate(() => scrollTo(0, 3000));
      await keepsPlace(page, 'open with Ctrl+`', async () => {
        await page.keyboard.press('Control+`');
        await expect.poll(() => prompt.evaluate((input) => input === document.activeElement)).toBe(true);
      });
      await keepsPlace(page, 'leave with Escape', async () => {
        await page.keyboard.press('Escape');
        await expect.poll(() => link.evaluate((element) => element === document.activeElement)).toBe(true);
      });
      await keepsPlace(page, 'back into the prompt with Ctrl+`', async () => {
        await page.keyboard.press('Control+`');
        await expect.poll(() => prompt.evaluate((input) => input === document.activeElement)).toBe(true);
      });
      await keepsPlace(page, 'close with Ctrl+`', async () => {
        await page.keyboard.press('Control+`');
        await panel.waitFor({ state: 'hidden' });
        await expect.poll(() => link.evaluate((element) => element === document.activeElement)).toBe(true);
      });
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
