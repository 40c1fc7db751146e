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
    // The terminal mounts as it nears the viewport, where a reader scrolls to it.
    await inline.scrollIntoViewIfNeeded();
    await prompt.waitFor();
    expect(await prompt.inputValue()).toBe('keyway customers list --limit=3');
    await prompt.press('Enter');
    await expect.poll(() => inline.textContent(), { timeout: 10_000 }).toMatch(/GET \/v1\/customers → 200/);
    expect(await inline.textContent()).toContain('"object": "list"');
    await context.close();
  });

  it("triggers an event and, while listening, shows the reader's events arriving until Ctrl+C", async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/first-request`);
    await page.getByRole('button', { name: 'Shell' }).click();
    const prompt = page.getByLabel('Shell command');
    await prompt.waitFor();
    const output = page.locator('#kw-shell-panel [role="log"]');

    await prompt.fill('listen --events customer.created,customer.updated');
    await prompt.press('Enter');
    await expect.poll(() => output.textContent(), { timeout: 10_000 }).toContain('Ready!');

    await prompt.fill('trigger customer.updated --override customer:email=listen@example.com');
    await prompt.press('Enter');
    await expect
      .poll(() => output.textContent(), { timeout: 10_000 })
      .toContain('Trigger succeeded! Check dashboard for event details.');
    await expect
      .poll(() => output.textContent(), { timeout: 10_000 })
      .toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {3}--> customer\.updated \[evt_[0-9A-Za-z]+\]/);
    const text = (await output.textContent()) ?? '';
    expect(text).toMatch(/--> customer\.created \[evt_/);
    expect(text.indexOf('Running fixture for: customer_updated')).toBeGreaterThan(
      text.indexOf('Running fixture for: customer'),
    );

    // Ctrl+C stops it: a customer.created made now, which the filter takes, is not shown.
    await prompt.press('Control+c');
    await expect.poll(() => output.textContent()).toContain('Stopped listening.');
    await prompt.fill('trigger customer.created');
    await prompt.press('Enter');
    await expect
      .poll(() => output.textContent(), { timeout: 10_000 })
      .toMatch(/Trigger succeeded![^]*Trigger succeeded!/);
    const created = ((await output.textContent()) ?? '').match(/--> customer\.created/g) ?? [];
    expect(created).toHaveLength(1);

    // A mistake is explained, and sends nothing.
    await prompt.fill('trigger customer.craeted');
    await prompt.press('Enter');
    await expect.poll(() => output.textContent()).toContain('is not supported by Keyway CLI');
    expect(errors).toEqual([]);
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

  it('shows a pending line in its log while a request runs, which becomes the status line', async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    // The sandbox answers only when the test lets it, so the pending line can be looked at.
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    await page.route('**/v1/customers', async (route) => {
      await answered;
      await route.continue();
    });
    await page.goto(`${baseUrl}/docs/keys`);
    await page.keyboard.press('Control+`');
    const log = page.locator('#kw-shell-panel [role="log"]');
    const prompt = page.locator('#kw-shell-panel').getByLabel('Shell command');
    await prompt.fill('keyway customers create --email=jane@example.com');
    await prompt.press('Enter');
    const pending = log.locator('.kw-term__pending');
    await expect.poll(() => pending.textContent()).toBe('→ POST /v1/customers …');
    // Inside the log, a polite live region, so a screen reader hears that it is under way.
    expect(await log.getAttribute('aria-live')).toBe('polite');
    expect(await pending.isVisible()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}shell-pending.png` });
    answer();
    await expect
      .poll(() => log.textContent(), { timeout: 10_000 })
      .toMatch(/POST \/v1\/customers → 200 · req_/);
    expect(await pending.count()).toBe(0);
    // The status line stands where the pending line stood: right after the command.
    const lines = await log
      .locator(':scope > *')
      .evaluateAll((elements) => elements.map((element) => element.className));
    expect(lines.slice(-3)).toEqual(['kw-term__echo', 'kw-term__ok', 'kw-term__json']);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('wraps lines between words on a phone, breaking only a token longer than the line', async () => {
    const context = await newContext(browser(), { viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/keys`);
    await page.keyboard.press('Control+`');
    const log = page.locator('#kw-shell-panel [role="log"]');
    const prompt = page.locator('#kw-shell-panel').getByLabel('Shell command');
    const long = 'x'.repeat(80);
    await prompt.fill(
      `keyway customers create --email=jane.smith@example.com --name="Jane Smith" --description=${long} -d "metadata[order_id]=6735"`,
    );
    await prompt.press('Enter');
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toMatch(/POST \/v1\/customers → 200/);
    const layout = await log.evaluate((output) => {
      const echo = output.querySelector('.kw-term__echo')!;
      const width = echo.getBoundingClientRect().width;
      // Each word of the echoed command, as the lines it is drawn on.
      const words: { word: string; lines: number; wider: boolean }[] = [];
      const text = echo.firstChild ? echo : null;
      const walker = document.createTreeWalker(text!, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.textContent!.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
          words.push({
            word: match[0],
            lines: tops.size,
            wider: range.getBoundingClientRect().width > width - 1,
          });
        }
      }
      const json = output.querySelector('pre')!;
      return {
        words,
        wrapped: echo.getClientRects()[0]!.height > 40,
        overflows: output.scrollWidth > output.clientWidth,
        jsonText: json.textContent!,
        jsonSpace: getComputedStyle(json).whiteSpace,
      };
    });
    expect(layout.wrapped).toBe(true);
    expect(layout.overflows).toBe(false);
    for (const { word, lines } of layout.words.filter((word) => word.word.length < 30)) {
      expect(lines, `"${word}" is cut across lines`).toBe(1);
    }
    // The 80-character value is wider than the line, so it breaks rather than overflows.
    expect(layout.words.find(({ word }) => word.includes(long))?.lines).toBeGreaterThan(1);
    expect(layout.jsonText).toMatch(/^\{\n {2}"id": "cus_/);
    expect(layout.jsonSpace).toBe('pre-wrap');
    await page.screenshot({ path: `${SCREENSHOT_DIR}shell-wrap-phone.png` });
    await context.close();
  });

  it('keeps its output across pages, bounded, with keys masked, until cleared', async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/docs/keys`);
    await page.keyboard.press('Control+`');
    const panel = page.locator('#kw-shell-panel');
    const key = (await panel.getAttribute('data-key'))!;
    expect(key).toMatch(/^sk_test_[0-9A-Za-z]{24}$/);
    const log = panel.locator('[role="log"]');
    const prompt = panel.getByLabel('Shell command');
    await prompt.fill(`keyway customers create --email=kept@example.com --api-key=${key}`);
    await prompt.press('Enter');
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain('"email": "kept@example.com"');
    const saved = () => page.evaluate(() => sessionStorage.getItem('kw-shell-output') ?? '');

    // The next page shows what the shell printed on this one, the key masked.
    await page.goto(`${baseUrl}/docs/first-request`);
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain('"email": "kept@example.com"');
    const restored = (await log.textContent())!;
    expect(restored).toMatch(/POST \/v1\/customers → 200 · req_/);
    expect(restored).toContain(`--api-key=sk_test_…${key.slice(-4)}`);
    expect(restored).not.toContain(key);
    expect(await saved()).not.toContain(key);

    // Bounded: a long session keeps its newest 200 entries, within 64 KB.
    await page.evaluate((owner) => {
      const entries = Array.from({ length: 300 }, (_, index) => ({
        text: `$ help ${index} ${'y'.repeat(300)}`,
        kind: 'kw-term__echo',
      }));
      sessionStorage.setItem('kw-shell-output', JSON.stringify({ owner, entries }));
    }, key.slice(-4));
    await page.reload();
    await prompt.fill('help');
    await prompt.press('Enter');
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain('Commands');
    const bounded = await saved();
    expect(bounded.length).toBeLessThanOrEqual(64 * 1024);
    const entries = (JSON.parse(bounded) as { entries: { text: string }[] }).entries;
    expect(entries.length).toBeLessThanOrEqual(200);
    expect(entries.at(-2)!.text).toBe('$ help');

    // Ctrl+L clears it here and on the next page.
    await prompt.press('Control+l');
    await page.reload();
    await expect
      .poll(() => log.textContent(), { timeout: 10_000 })
      .toContain('Type help to see the commands');
    expect(await log.textContent()).not.toContain('$ help');
    expect(errors).toEqual([]);
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
      const link = page.locator('.kw-docs__main a[href]:visible').first();
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
