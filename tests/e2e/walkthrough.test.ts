import { execFileSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { adviceFor } from '../../src/isomorphic/error-advice.ts';
import { SCREENSHOT_DIR, collectErrors, newContext, useBrowser } from '../support/browser.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('the live walkthrough, as a new reader meets it', () => {
  it('turns green on Run, follows a copied curl run from a terminal, and keeps what was made at sign-up', async () => {
    const context = await newContext(browser());
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/first-request`);
    const live = page.locator('[data-kw-live-status]');
    expect(await live.textContent()).toContain('Waiting for your first request…');

    // Run from the page.
    const widget = page.locator('[data-kw-tryit]').first();
    await widget.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => live.getAttribute('data-state'), { timeout: 10_000 }).toBe('ok');
    expect(await live.textContent()).toMatch(/POST \/v1\/customers 200 — cus_[0-9A-Za-z]{14}/);
    const details = page.locator('[data-kw-live-details]');
    await expect.poll(() => details.textContent(), { timeout: 5000 }).toContain('customer.created');
    await page.screenshot({ path: `${SCREENSHOT_DIR}walkthrough-live.png` });

    // Copy the curl sample and run it from a real terminal.
    const sample = widget.locator('.kw-sample');
    await sample.locator('[role="tab"][data-tab="curl"]').click();
    await sample.locator('[data-kw-copy]').click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const output = execFileSync('bash', ['-c', copied], { encoding: 'utf8' });
    const customer = JSON.parse(output) as { id: string };
    await expect.poll(() => live.textContent(), { timeout: 10_000 }).toContain(customer.id);

    // Sign up: the customers made as a guest are in the new account.
    await page.locator('.kw-header').getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Email').fill(`walkthrough.${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${baseUrl}/docs/first-request`);
    // Said once that the samples changed keys, and put away without a script of its own.
    const switched = page.getByRole('dialog', { name: /now use your own test keys/ });
    expect(await switched.isVisible()).toBe(true);
    await switched.getByRole('button', { name: 'Dismiss' }).click();
    expect(await switched.isVisible()).toBe(false);
    await page.goto(`${baseUrl}/dashboard/customers`);
    expect(await page.locator('main').textContent()).toContain(customer.id);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('explains a failed request next to the sample, and what to fix', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/first-request`);
    const key = await page.locator('[data-kw-tryit]').first().getAttribute('data-key');
    // A typo from their terminal, the sample key's first use: it starts the guest, then fails.
    execFileSync(
      'curl',
      ['-s', `${baseUrl}/v1/customers`, '-u', `${key}:`, '-d', 'emial=jenny@example.com'],
      {
        encoding: 'utf8',
      },
    );
    const live = page.locator('[data-kw-live-status]');
    await expect.poll(() => live.getAttribute('data-state'), { timeout: 10_000 }).toBe('failed');
    expect(await live.textContent()).toContain('POST /v1/customers 400');
    expect(await live.textContent()).toContain('Received unknown parameter: emial');
    expect(await live.textContent()).toContain('check its spelling against the reference');
    await context.close();
  });

  it("shows a refusal of the reader's own rolled key, sent from a terminal, with the advice the try-it gives", async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel('Email').fill(`walkthrough.rolled.${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname !== '/signup');

    // Roll the test secret key with expiry "now", as the dashboard's form does.
    await page.goto(`${baseUrl}/dashboard/apikeys`);
    const keyId = await page
      .locator('tr[data-key-id]', { hasText: 'Secret key' })
      .first()
      .getAttribute('data-key-id');
    await page.goto(`${baseUrl}/docs/first-request`);
    const rolled = await page.locator('[data-kw-tryit]').first().getAttribute('data-key');
    const roll = await page.request.post(`${baseUrl}/dashboard/apikeys`, {
      form: { intent: 'roll', key_id: keyId!, expires: 'now', confirm: 'now' },
      headers: { origin: baseUrl },
    });
    expect(roll.status()).toBe(200);
    const live = page.locator('[data-kw-live-status]');
    expect(await live.textContent()).toContain('Waiting for your first request…');

    // The old key, from outside the page: a terminal that still holds it.
    const output = execFileSync(
      'curl',
      ['-s', `${baseUrl}/v1/customers`, '-u', `${rolled}:`, '-d', 'email=jenny@example.com'],
      { encoding: 'utf8' },
    );
    expect((JSON.parse(output) as { error: { code: string } }).error.code).toBe('api_key_expired');
    await expect.poll(() => live.getAttribute('data-state'), { timeout: 10_000 }).toBe('failed');
    expect(await live.textContent()).toContain('POST /v1/customers 401');
    expect(await live.textContent()).toContain('Expired API Key provided');
    expect(await live.textContent()).toContain(adviceFor('api_key_expired', 401));
    expect(await live.textContent()).not.toContain(rolled!.slice(8));
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows on load only the step's own latest request, the same one in the line and the log card, and ticks the steps", async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel('Email').fill(`walkthrough.load.${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname !== '/signup');
    await page.goto(`${baseUrl}/docs/first-request`);
    const key = (await page.locator('[data-kw-tryit]').first().getAttribute('data-key'))!;
    const live = page.locator('[data-kw-live-status]');
    const details = page.locator('[data-kw-live-details]');

    // Only an unrelated failure so far: the step has nothing of its own to show.
    const missing = await fetch(`${baseUrl}/v1/customers/cus_nope`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(missing.status).toBe(404);
    await page.reload();
    await page.waitForLoadState('networkidle');
    expect(await live.textContent()).toContain('Waiting for your first request…');
    expect(await live.getAttribute('data-state')).toBeNull();
    expect(await details.textContent()).not.toContain('cus_nope');

    // A customer made from a terminal, then the unrelated failure again: the step shows the customer.
    const created = await fetch(`${baseUrl}/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=jenny.rosen%40example.com',
    });
    const requestId = created.headers.get('request-id')!;
    await fetch(`${baseUrl}/v1/customers/cus_nope`, { headers: { authorization: `Bearer ${key}` } });
    await page.reload();
    await expect.poll(() => live.getAttribute('data-state'), { timeout: 10_000 }).toBe('ok');
    expect(await live.textContent()).toContain('POST /v1/customers 200');
    const card = details.locator('.kw-log-card');
    await expect.poll(() => card.count(), { timeout: 5000 }).toBe(1);
    const text = (await card.textContent())!;
    expect(text).toContain(requestId);
    expect(text).toContain('POST /v1/customers');
    expect(text).toContain('API');
    expect(text).toMatch(/sk_test_…[0-9A-Za-z]{4}/);
    expect(text).not.toContain('created_ms');
    expect(await card.getByRole('link', { name: 'Open it in your request log' }).getAttribute('href')).toBe(
      `/dashboard/logs/${requestId}`,
    );
    expect(await card.getByRole('link', { name: 'customer.created' }).getAttribute('href')).toMatch(
      /^\/dashboard\/events\/evt_/,
    );

    // The first three steps are done, and say so in words.
    const steps = page.locator('.kw-steps > ol > li');
    for (const index of [0, 1, 2]) {
      await expect.poll(() => steps.nth(index).getAttribute('data-done')).toBe('');
      expect(await steps.nth(index).getByRole('heading', { level: 2 }).textContent()).toContain('(done)');
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOT_DIR}walkthrough-log-card.png` });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a guest the log card with no dashboard link they cannot open', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/first-request`);
    await page.locator('[data-kw-tryit]').first().getByRole('button', { name: 'Run' }).click();
    const card = page.locator('[data-kw-live-details] .kw-log-card');
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    expect(await card.textContent()).toContain('Try it');
    const hrefs = await card
      .locator('a')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(hrefs.some((href) => href?.startsWith('/dashboard'))).toBe(false);
    expect(hrefs).toContain('/signup');
    await context.close();
  });

  it('sends nothing that could write for a reader who only reads', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    // The server side (a page view writes no row) is tests/integration/guest-sandboxes.test.ts.
    const writes: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (request.method() !== 'GET' || path.startsWith('/v1')) writes.push(`${request.method()} ${path}`);
    });
    await page.goto(`${baseUrl}/docs/first-request`);
    await page.goto(`${baseUrl}/docs/api/customers`);
    await page.waitForLoadState('networkidle');
    expect(writes).toEqual([]);
    await context.close();
  });

  it("shows an anonymous reader none of another reader's requests", async () => {
    const first = await newContext(browser());
    const second = await newContext(browser());
    const pageOne = await first.newPage();
    const pageTwo = await second.newPage();
    await pageOne.goto(`${baseUrl}/docs/first-request`);
    await pageTwo.goto(`${baseUrl}/docs/first-request`);
    const keyOne = await pageOne.locator('[data-kw-tryit]').first().getAttribute('data-key');
    const keyTwo = await pageTwo.locator('[data-kw-tryit]').first().getAttribute('data-key');
    expect(keyOne).not.toBe(keyTwo);
    await pageOne.locator('[data-kw-tryit]').first().getByRole('button', { name: 'Run' }).click();
    await expect
      .poll(() => pageOne.locator('[data-kw-live-status]').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('ok');
    await pageTwo.waitForTimeout(500);
    expect(await pageTwo.locator('[data-kw-live-status]').textContent()).toContain(
      'Waiting for your first request…',
    );
    await first.close();
    await second.close();
  });
});
