import { describe, expect, inject, it } from 'vitest';
import { SCREENSHOT_DIR, collectErrors, newContext, useBrowser } from '../support/browser.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('the try-it widget on the walkthrough', () => {
  it('runs for an anonymous reader, shows the customer, and keeps the samples in step with the fields', async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/first-request`);
    const widget = page.locator('[data-kw-tryit]').first();
    // The widget's script loads after the page (only pages with a widget load it).
    await expect
      .poll(() => widget.locator('[data-kw-tryit-key]').textContent())
      .toMatch(/^with a sample key sk_test_…[0-9A-Za-z]{4}$/);

    await widget.getByLabel('email').fill('edited@example.com');
    const curl = widget.locator('.kw-sample__panel[data-tab="curl"] code');
    await expect.poll(() => curl.textContent(), { timeout: 5000 }).toContain('email=edited@example.com');

    await widget.getByRole('button', { name: 'Run' }).click();
    const result = widget.locator('[data-kw-tryit-result]');
    await expect
      .poll(() => result.textContent(), { timeout: 10_000 })
      .toMatch(/^200 OK · \d+ ms · req_[0-9A-Za-z]{14}/);
    expect(await result.textContent()).toMatch(/"id": "cus_[0-9A-Za-z]{14}"/);
    expect(await result.textContent()).toContain('"email": "edited@example.com"');
    await widget.screenshot({ path: `${SCREENSHOT_DIR}try-it.png` });

    // A bad value is explained.
    await widget.getByLabel('metadata[order_id]').fill('x'.repeat(501));
    await widget.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => result.textContent(), { timeout: 10_000 }).toMatch(/^400 Error/);
    expect(await result.textContent()).toContain('must be a string under 500 characters');
    expect(await result.textContent()).toContain('A parameter has a value the sandbox does not accept');
    expect(errors.filter((error) => !error.includes('status of 400'))).toEqual([]);
    await context.close();
  });

  it('explains a 400 in reading order, points at the field it names, and links what a guest can open', async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/first-request`);
    const widget = page.locator('[data-kw-tryit]').first();
    const field = widget.getByLabel('metadata[order_id]');
    await field.fill('x'.repeat(501));
    await widget.getByRole('button', { name: 'Run' }).click();
    const result = widget.locator('[data-kw-tryit-result]');
    await expect.poll(() => result.textContent(), { timeout: 10_000 }).toMatch(/^400 Error/);

    // The message comes first, then the advice, which does not send the reader looking elsewhere.
    const lines = await result.locator('.kw-tryit__message, .kw-tryit__advice').allTextContents();
    expect(lines[0]).toContain('must be a string under 500 characters');
    expect(lines[1]).toContain('the message says which one');
    expect(lines.join()).not.toMatch(/above|below/);

    // The field is marked and one press away.
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await widget.getByRole('button', { name: 'Fix metadata[order_id]' }).click();
    expect(await field.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await widget.getByLabel('email').getAttribute('aria-invalid')).toBeNull();

    // doc_url is a link; a guest has no dashboard, so no link leads there.
    expect(
      await result.getByRole('link', { name: 'About parameter_invalid_string' }).getAttribute('href'),
    ).toBe(`${baseUrl}/docs/api/errors#parameter_invalid_string`);
    const hrefs = await result
      .locator('a')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(hrefs.some((href) => href?.includes('/dashboard'))).toBe(false);
    expect(await result.textContent()).not.toContain('request_log_url');
    await widget.screenshot({ path: `${SCREENSHOT_DIR}try-it-error.png` });

    // Fixed and run again, the mark goes.
    await field.fill('6735');
    await widget.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => result.textContent(), { timeout: 10_000 }).toMatch(/^200 OK/);
    expect(await field.getAttribute('aria-invalid')).toBeNull();
    expect(errors.filter((error) => !error.includes('status of 400'))).toEqual([]);
    await context.close();
  });

  it("links a signed-in reader's failed request to its entry in their request log", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel('Email').fill(`tryit.error.${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname !== '/signup');
    await page.goto(`${baseUrl}/docs/first-request`);
    const widget = page.locator('[data-kw-tryit]').first();
    await widget.getByLabel('metadata[order_id]').fill('x'.repeat(501));
    await widget.getByRole('button', { name: 'Run' }).click();
    const result = widget.locator('[data-kw-tryit-result]');
    await expect.poll(() => result.textContent(), { timeout: 10_000 }).toMatch(/^400 Error/);
    const log = result.getByRole('link', { name: 'This request in your log' });
    expect(await log.getAttribute('href')).toMatch(
      new RegExp(`^${baseUrl}/dashboard/logs/req_[0-9A-Za-z]{14}$`),
    );
    await context.close();
  });

  it("says what to do when the reader's network has started too many guest sandboxes", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    // The sandbox's own refusal (tests/integration/guest-sandboxes.test.ts makes a real one);
    // here only what the page makes of it.
    await page.route('**/v1/customers', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { type: 'invalid_request_error', code: 'guest_limit', message: 'Too many guest sandboxes…' },
        }),
      }),
    );
    await page.goto(`${baseUrl}/docs/first-request`);
    const widget = page.locator('[data-kw-tryit]').first();
    await widget.getByRole('button', { name: 'Run' }).click();
    const advice = widget.locator('.kw-tryit__advice');
    await expect.poll(() => advice.textContent()).toContain('sign up for keys of your own');
    await context.close();
  });
});
