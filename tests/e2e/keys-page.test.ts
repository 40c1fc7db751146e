import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { SCREENSHOT_DIR, newContext, useBrowser } from '../support/browser.ts';
import { browse, createRestrictedKey, newReaderWithKeys, type Reader } from '../support/sandbox.ts';

/**
 * The API keys page as a reader meets it, on the real server: one row order in both modes, a
 * rolled key grouped with its successor, a grace window by default and a confirmed "Now",
 * Reveal in place, row actions in a dialog, and words that say what is true of live keys.
 */
const browser = useBrowser();

/** The page's rows in order: the row's heading text, squeezed to single spaces. */
function rowHeadings(html: string): string[] {
  return [
    ...html.matchAll(/<tr data-key-id="key_[0-9A-Za-z]+"[^>]*>\s*<th scope="row">([\s\S]*?)<\/th>/g),
  ].map((match) =>
    match[1]!
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

const keysPage = async (reader: Reader) =>
  (await browse(reader.base, '/dashboard/apikeys', reader.jar)).text();
const switchMode = (reader: Reader, mode: 'test' | 'live') =>
  browse(reader.base, '/dashboard/mode', reader.jar, { mode, next: '/dashboard/apikeys' });
const secretRowId = (html: string) =>
  /data-key-id="(key_[0-9A-Za-z]+)"[^>]*>\s*<th scope="row">\s*Secret key/.exec(html)![1]!;

/** The working test secret key: the first row's, in full. */
const currentSecret = (html: string) =>
  /data-key-id="key_[0-9A-Za-z]+"[^>]*>[\s\S]*?(sk_test_[0-9A-Za-z]{24})/.exec(html)![1]!;

/** A request to the sandbox with a key: the status and the error message, if any. */
async function listCustomers(reader: Reader, key: string, method = 'GET') {
  const response = await fetch(`${reader.base}/v1/customers`, {
    method,
    headers: { authorization: `Bearer ${key}` },
  });
  const body = (await response.json()) as { error?: { message: string } };
  return { status: response.status, message: body.error?.message ?? '' };
}

/** Rolls the mode's secret key with a 24-hour window, as the Manage dialog does by default. */
async function rollWithGrace(reader: Reader): Promise<void> {
  const page = await keysPage(reader);
  const rolled = await browse(reader.base, '/dashboard/apikeys', reader.jar, {
    intent: 'roll',
    key_id: secretRowId(page),
    expires: '24h',
  });
  expect(rolled.status).toBe(200);
}

describe('the API keys page', () => {
  let reader: Reader;
  let oldSecret: string;
  beforeAll(async () => {
    reader = await newReaderWithKeys();
    oldSecret = reader.secretKey;
    await rollWithGrace(reader);
    reader.secretKey = currentSecret(await keysPage(reader));
    await createRestrictedKey(reader, { customers: 'read', events: 'none' });
    await switchMode(reader, 'live');
    await rollWithGrace(reader);
    await browse(reader.base, '/dashboard/apikeys', reader.jar, {
      intent: 'create-restricted',
      name: 'Live worker',
      permission_customers: 'write',
      permission_events: 'read',
    });
    await switchMode(reader, 'test');
  });

  it('lists secret, then publishable, then restricted, with a rolled key under its successor, in both modes', async () => {
    for (const mode of ['test', 'live'] as const) {
      await switchMode(reader, mode);
      const headings = rowHeadings(await keysPage(reader));
      expect(headings, mode).toEqual([
        'Secret key New',
        'Secret key Expires tomorrow',
        'Publishable key',
        mode === 'test' ? expect.stringMatching(/^restricted /) : 'Live worker',
      ]);
    }
    await switchMode(reader, 'test');
  });

  it('rolls with a 24-hour window by default, and asks to confirm "Now", naming the key, rolling nothing until then', async () => {
    const page = await keysPage(reader);
    const select = /<select id="expires-[^"]+" name="expires">([\s\S]*?)<\/select>/.exec(page)![1]!;
    expect(select).toMatch(/<option value="24h" selected>/);
    expect(select).not.toMatch(/<option value="now" selected>/);

    const id = secretRowId(page);
    const masked = `sk_test_…${reader.secretKey.slice(-4)}`;
    const asked = await browse(reader.base, '/dashboard/apikeys', reader.jar, {
      intent: 'roll',
      key_id: id,
      expires: 'now',
    });
    expect(asked.status).toBe(200);
    const step = await asked.text();
    expect(step).toContain('Roll now?');
    expect(step).toContain(`Roll now and stop ${masked}`);
    expect(step).not.toMatch(/<code id="new-key">/);
    // Nothing changed: the same rows, and the key still works.
    expect(rowHeadings(await keysPage(reader))).toEqual(rowHeadings(page));
    expect(secretRowId(await keysPage(reader))).toBe(id);
    expect((await listCustomers(reader, reader.secretKey)).status).toBe(200);

    // The confirmation step's own form rolls it, and the old key stops at once.
    const confirmForm = /<form method="post">([\s\S]*?)Roll now and stop/.exec(step)![1]!;
    const fields = Object.fromEntries(
      [...confirmForm.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [
        m[1]!,
        m[2]!,
      ]),
    );
    const confirmed = await browse(reader.base, '/dashboard/apikeys', reader.jar, fields);
    expect(await confirmed.text()).toContain('Key rolled. The old key has stopped working.');
    expect((await listCustomers(reader, reader.secretKey)).status).toBe(401);
    reader.secretKey = currentSecret(await keysPage(reader));
  });

  it('masks keys one way on the page and in the sandbox, and names a missing permission as the form does', async () => {
    const page = await keysPage(reader);
    expect(page).toContain(`sk_test_…${oldSecret.slice(-4)}`);
    expect(page).not.toMatch(/••••|\*\*\*\*/);
    const unknown = `sk_test_${'Z'.repeat(20)}WXYZ`;
    expect((await listCustomers(reader, unknown)).message).toContain(
      'Invalid API Key provided: sk_test_…WXYZ.',
    );

    const readOnly = await createRestrictedKey(reader, { customers: 'read', events: 'none' });
    expect(await keysPage(reader)).toContain('Customers: Read, Events: None');
    const refused = await listCustomers(reader, readOnly, 'POST');
    expect(refused.status).toBe(403);
    expect(refused.message).toMatch(
      new RegExp(
        `^The provided key 'rk_test_…${readOnly.slice(-4)}' needs Customers: Write for this endpoint`,
      ),
    );
    expect(refused.message).toContain("(Stripe calls this permission 'rak_customer_write')");
  });

  it('says "Create restricted key" on the form\'s button', async () => {
    expect(await keysPage(reader)).toMatch(
      /<button type="submit" class="kw-button">\s*Create restricted key\s*<\/button>/,
    );
  });

  it('tells the truth about a live secret key that was never shown', async () => {
    const fresh = await newReaderWithKeys();
    await switchMode(fresh, 'live');
    const page = await keysPage(fresh);
    expect(page).not.toContain('Shown once, when it was made');
    expect(page).toContain('Keyway keeps only a hash of live secret keys, so it cannot show this one.');
  });

  it('says on live lists that the sandbox refuses live keys, and why live mode is there', async () => {
    const fresh = await newReaderWithKeys();
    await switchMode(fresh, 'live');
    expect(await keysPage(fresh)).toContain('The sandbox refuses live keys');
    for (const path of ['/dashboard/customers', '/dashboard/events', '/dashboard/logs']) {
      const html = await (await browse(fresh.base, path, fresh.jar)).text();
      const empty = /<p class="kw-empty"[^>]*>([\s\S]*?)<\/p>/.exec(html)![1]!;
      expect(empty, path).toContain('The sandbox refuses live keys with a 403');
      expect(empty, path).not.toContain('/docs/first-request');
    }
    // Test mode still points to the guide, where test keys work.
    await switchMode(fresh, 'test');
    expect(await (await browse(fresh.base, '/dashboard/customers', fresh.jar)).text()).toContain(
      'href="/docs/first-request"',
    );
  });

  describe('in a browser', () => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      context = await newContext(browser(), { bypassCSP: true });
      await context.addCookies(
        [...reader.jar.cookies].map(([name, value]) => ({ name, value, url: reader.base })),
      );
      page = await context.newPage();
    });

    it('reveals a test secret key in place of its mask, and hides it again', async () => {
      await page.goto(`${reader.base}/dashboard/apikeys`);
      const row = page.locator('tr', { has: page.locator('th', { hasText: /^\s*Secret key\s*New/ }) });
      const masked = row.locator('.kw-reveal__masked');
      const cell = row.locator('td[data-label="Key"]');
      // Measured from the cell: the table may widen the column for the longer text.
      const offset = async (locator: typeof masked) => {
        const [box, cellBox] = [(await locator.boundingBox())!, (await cell.boundingBox())!];
        return { x: box.x - cellBox.x, middle: box.y + box.height / 2 - cellBox.y };
      };
      const before = await offset(masked);
      await row.getByText('Reveal').click();
      const token = row.locator('.kw-reveal .kw-token code');
      expect(await token.textContent()).toMatch(/^sk_test_[0-9A-Za-z]{24}$/);
      expect(await masked.isVisible()).toBe(false);
      expect(await row.getByText('Reveal').isVisible()).toBe(false);
      expect(await row.getByText('Hide').isVisible()).toBe(true);
      // In place: the whole key starts where the mask did, on the same line.
      const after = await offset(token);
      expect(Math.abs(after.x - before.x)).toBeLessThan(2);
      expect(Math.abs(after.middle - before.middle)).toBeLessThan(6);
      await row.getByText('Hide').click();
      expect(await masked.isVisible()).toBe(true);
      expect(await token.isVisible()).toBe(false);
    });

    it('opens row actions in a dialog that moves nothing, works from the keyboard, closes on Escape', async () => {
      await page.goto(`${reader.base}/dashboard/apikeys`);
      expect(await page.locator('.kw-key-actions details').count()).toBe(0);
      const table = page.locator('table').first();
      const before = await table.boundingBox();
      const manage = page.getByRole('button', { name: /^Manage Secret key sk_test_…/ }).first();
      await manage.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: /^Manage Secret key sk_test_…/ });
      await dialog.waitFor();
      expect(await table.boundingBox()).toEqual(before);
      expect(await dialog.getByLabel('Old key stops working').inputValue()).toBe('24h');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('[popover]') !== null)).toBe(true);
      const problems = await seriousViolations(page, '/dashboard/apikeys with the Manage dialog open');
      expect(problems, problems.join('\n\n')).toEqual([]);
      await page.screenshot({ path: `${SCREENSHOT_DIR}apikeys-manage.png` });
      await page.keyboard.press('Escape');
      expect(await dialog.isVisible()).toBe(false);
    });
  });
});
