import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/lib/config/database-url.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { RequestBus, type DeliveryNotice } from '../../src/lib/live/request-bus.ts';
import { webhookAdvice } from '../../src/isomorphic/webhook-advice.ts';
import { needsPostgres, POSTGRES, openMigrated, type ScratchDatabase } from '../support/databases.ts';
import { SCREENSHOT_DIR, collectErrors, newContext, useBrowser } from '../support/browser.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const browser = useBrowser();

/**
 * The guide's last step as a signed-in reader sees it, with the deliveries `keyway listen`
 * would report published on the bus by the test (PostgreSQL NOTIFY, as from another process).
 * The real listen and trigger run is the CLI's own end-to-end test.
 */
describe('the webhooks guide, live', needsPostgres, () => {
  let scratch: ScratchDatabase;
  let server: RunningServer;
  let db: Kysely<Database>;
  let bus: RequestBus;

  beforeAll(async () => {
    scratch = await POSTGRES.create();
    server = await startServer({ DATABASE_URL: scratch.url });
    db = await openMigrated(scratch.url);
    bus = new RequestBus();
    await bus.connect(parseDatabaseUrl(scratch.url));
  });
  afterAll(async () => {
    await bus?.close();
    await server?.stop();
    await db?.destroy();
    await scratch?.drop();
  });

  it('explains a refused signature, then turns green and ticks the steps when the handler answers 2xx', async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    const email = `guide.${Date.now()}@example.com`;
    await page.goto(`${server.baseUrl}/signup`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/signup'));
    const { accountId } = await db
      .selectFrom('users')
      .innerJoin('memberships', 'memberships.user_id', 'users.id')
      .select('memberships.account_id as accountId')
      .where('users.email', '=', email)
      .executeTakeFirstOrThrow();

    await page.goto(`${server.baseUrl}/docs/webhooks`);
    const status = page.locator('[data-kw-webhook-status]');
    expect(await status.textContent()).toContain('Waiting for an event to reach your handler');
    const steps = page.locator('.kw-steps > ol > li');

    const notice = (overrides: Partial<DeliveryNotice>): DeliveryNotice => ({
      accountId,
      mode: 'test',
      eventId: 'evt_GuideEvent000000000000000',
      eventType: 'customer.created',
      endpointId: null,
      url: 'http://localhost:3000/webhook',
      status: 400,
      error: null,
      durationMs: 7,
      attempt: 1,
      succeeded: false,
      createdMs: Date.now(),
      ...overrides,
    });
    // Published until the page hears it: the stream may still be connecting.
    await expect
      .poll(
        async () => {
          bus.publishDelivery(notice({}));
          return status.getAttribute('data-state');
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe('failed');
    expect(await status.textContent()).toContain(
      'customer.created evt_GuideEvent000000000000000 → 400 in 7 ms',
    );
    const advice = status.locator('[data-kw-webhook-advice]');
    expect(await advice.textContent()).toBe(webhookAdvice({ status: 400, error: null }));
    expect(await steps.nth(0).getAttribute('data-done')).toBe('');
    expect(await steps.nth(2).getAttribute('data-done')).toBeNull();

    bus.publishDelivery(
      notice({ status: null, error: 'connect ECONNREFUSED 127.0.0.1:3000', durationMs: 1 }),
    );
    await expect.poll(() => advice.textContent(), { timeout: 10_000 }).toContain('port 3000');
    expect(await advice.textContent()).toContain('ECONNREFUSED');

    bus.publishDelivery(notice({ status: 200, succeeded: true, durationMs: 12 }));
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 10_000 }).toBe('ok');
    expect(await status.textContent()).toContain('→ 200 in 12 ms');
    expect(await advice.isHidden()).toBe(true);
    for (const index of [0, 1, 2]) expect(await steps.nth(index).getAttribute('data-done')).toBe('');
    await status.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOT_DIR}webhooks-guide-live.png` });
    expect(errors).toEqual([]);
    await context.close();
  });
});
