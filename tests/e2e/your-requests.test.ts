import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, collectErrors, newContext, useBrowser } from '../support/browser.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

/** Runs a command in the shell panel; returns the request id it printed. */
async function runInShell(page: Page, command: string): Promise<string> {
  await page.keyboard.press('Control+`');
  const prompt = page.locator('#kw-shell-panel').getByLabel('Shell command');
  const output = page.locator('#kw-shell-panel [role="log"]');
  // The log keeps earlier commands' output: only what this one prints counts.
  const before = ((await output.textContent()) ?? '').length;
  const printed = async () => ((await output.textContent()) ?? '').slice(before);
  await prompt.fill(command);
  await prompt.press('Enter');
  await expect.poll(printed, { timeout: 10_000 }).toMatch(/→ \d{3} · req_/);
  const id = /→ \d{3} · (req_[0-9A-Za-z]{14})/.exec(await printed())![1]!;
  await page.getByRole('button', { name: 'Close the shell' }).click();
  return id;
}

describe('your latest requests, beside each operation', () => {
  it('fills in for a guest when scrolled to, and shows a request run from the page', async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/api/customers`);
    const create = page.locator('[data-kw-your-requests][data-operation="create-customer"]');
    const list = page.locator('[data-kw-your-requests][data-operation="list-customers"]');
    await create.scrollIntoViewIfNeeded();
    await expect
      .poll(() => create.textContent(), { timeout: 10_000 })
      .toContain('No recent requests to this endpoint. Run the sample or the try-it');

    const id = await runInShell(page, 'keyway customers create --email=block@example.com');
    const row = create.locator('.kw-yours__row').first();
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain(id);
    expect(await row.locator('.kw-status').textContent()).toBe('200');
    expect(await row.locator('.kw-status').getAttribute('class')).toContain('kw-status--ok');
    expect(await row.locator('code').textContent()).toBe('POST /v1/customers');
    expect(await row.locator('time').textContent()).toMatch(/now|second/);
    // A guest has no dashboard: the id opens the log entry the walkthrough shows.
    expect(await row.getByRole('link').getAttribute('href')).toBe(`/api/requests/${id}`);
    expect(await create.locator('[role="status"]').textContent()).toContain('POST /v1/customers, status 200');
    await create.screenshot({ path: `${SCREENSHOT_DIR}your-requests-guest.png` });

    // Another operation's block does not list it.
    await list.scrollIntoViewIfNeeded();
    await expect
      .poll(() => list.textContent(), { timeout: 10_000 })
      .toContain('No recent requests to this endpoint');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("links a member's requests to the dashboard's log, and looks finished on a phone in dark mode", async () => {
    const context = await newContext(browser(), {
      colorScheme: 'dark',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel('Email').fill(`yours.${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${baseUrl}/dashboard/apikeys`);
    await page.goto(`${baseUrl}/docs/api/customers`);
    const retrieve = page.locator('[data-kw-your-requests][data-operation="retrieve-customer"]');
    await retrieve.scrollIntoViewIfNeeded();
    await expect
      .poll(() => retrieve.textContent(), { timeout: 10_000 })
      .toContain('No recent requests to this endpoint');

    // A request that fails is listed too, in the client-error colour.
    const failed = await runInShell(page, 'keyway customers retrieve cus_doesnotexist');
    await runInShell(page, 'keyway customers create --email=phone@example.com');
    const customer = (await page.locator('.kw-objid[data-kind="customer"]').first().textContent())!;
    const found = await runInShell(page, `keyway customers retrieve ${customer}`);
    const rows = retrieve.locator('.kw-yours__row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    expect(await rows.nth(0).textContent()).toContain(found);
    expect(await rows.nth(1).locator('.kw-status').getAttribute('class')).toContain('kw-status--warn');
    expect(await rows.nth(1).getByRole('link').getAttribute('href')).toBe(`/dashboard/logs/${failed}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await retrieve.screenshot({ path: `${SCREENSHOT_DIR}your-requests-phone-dark.png` });

    await rows.nth(0).getByRole('link').click();
    await page.waitForURL(`${baseUrl}/dashboard/logs/${found}`);
    expect(errors.filter((error) => !error.includes('status of 404'))).toEqual([]);
    await context.close();
  });

  it('is told by a try-it which request it ran, so a block for that operation can find it', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/first-request`);
    const widget = page.locator('[data-kw-tryit]').first();
    await expect.poll(() => widget.locator('[data-kw-tryit-key]').textContent()).toMatch(/sample key/);
    const told = page.evaluate(
      () =>
        new Promise<unknown>((resolve) =>
          document.addEventListener('kw:request', (event) => resolve((event as CustomEvent).detail), {
            once: true,
          }),
        ),
    );
    await widget.getByRole('button', { name: 'Run' }).click();
    const detail = (await told) as { method: string; path: string; requestId: string };
    const shown = await widget.locator('[data-kw-tryit-result]').textContent();
    expect(detail).toMatchObject({ method: 'POST', path: '/v1/customers' });
    expect(shown).toContain(detail.requestId);
    expect(detail.requestId).toMatch(/^req_[0-9A-Za-z]{14}$/);
    await context.close();
  });
});
