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
