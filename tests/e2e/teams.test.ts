import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { SCREENSHOT_DIR, newContext, useBrowser } from '../support/browser.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();
const PASSWORD = 'correct horse battery';
const shownKey = (page: Page) =>
  page.locator('.kw-sample__panel:not([hidden]) .kw-key').first().textContent();

/** The owner fills the members page's invite form; returns the link the page shows. */
async function inviteThroughPage(page: Page, email: string, role: string): Promise<string> {
  await page.goto(`${baseUrl}/dashboard/members`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption({ label: role });
  await page.getByRole('button', { name: 'Make invitation link' }).click();
  const link = await page.locator('#invitation-link').textContent();
  expect(link).toMatch(/\/invite\/[a-z2-7]{24}$/);
  return link!;
}

/**
 * axe's serious and critical findings on the page as it is now, in both themes (the new
 * team pages and controls are checked here; tests/e2e/accessibility.test.ts does the rest).
 */
async function expectAccessible(page: Page, label: string): Promise<void> {
  const problems: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.evaluate((theme) => (document.documentElement.dataset.theme = theme), colorScheme);
    problems.push(...(await seriousViolations(page, `${label} (${colorScheme})`)));
  }
  expect(problems, problems.join('\n\n')).toEqual([]);
}

/** Someone new opens the link in their own browser and signs up through it. */
async function acceptAsNewUser(link: string): Promise<Page> {
  const page = await (await newContext(browser(), { bypassCSP: true })).newPage();
  await page.goto(link);
  await expectAccessible(page, 'the invitation page');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create login and join' }).click();
  await page.waitForURL(/\/dashboard\//);
  return page;
}

/**
 * An owner signs up in their own browser, naming the account; returns their page, email,
 * the account's name and its docs test key.
 */
async function signUpOwner(): Promise<{
  owner: Page;
  ownerEmail: string;
  teamName: string;
  teamKey: string | null;
}> {
  const owner = await (await newContext(browser(), { bypassCSP: true })).newPage();
  const suffix = `${Date.now()}.${Math.random().toString(36).slice(2, 6)}`;
  const ownerEmail = `owner.${suffix}@example.com`;
  const teamName = `Rosen Labs ${suffix}`;
  await owner.goto(`${baseUrl}/signup`);
  await owner.getByLabel('Email').fill(ownerEmail);
  await owner.getByLabel('Account name (optional)').fill(teamName);
  await owner.getByLabel('Password').fill(PASSWORD);
  await owner.getByRole('button', { name: 'Create account' }).click();
  await owner.waitForURL(/\/dashboard\/apikeys/);
  await owner.goto(`${baseUrl}/docs/first-request`);
  return { owner, ownerEmail, teamName, teamKey: await shownKey(owner) };
}

describe('a team', () => {
  it('owner invites, the invitee signs up through the link, picks the account and sees its key', async () => {
    const { owner, teamName, teamKey } = await signUpOwner();

    const inviteeEmail = `dev.${Date.now()}@example.com`;
    const link = await inviteThroughPage(owner, inviteeEmail, 'Developer');
    await owner.screenshot({ path: `${SCREENSHOT_DIR}members-invited.png`, fullPage: true });
    await expectAccessible(owner, 'the members page with a new invitation');

    const invitee = await acceptAsNewUser(link);
    await expect
      .poll(() => invitee.locator('[data-kw-joined]').textContent())
      .toContain(`You joined ${teamName}`);
    await invitee.reload();
    expect(await invitee.locator('[data-kw-joined]').count()).toBe(0);
    // Two accounts now: their own and the team's. Pick their own, then the team's.
    await invitee.goto(`${baseUrl}/docs/first-request`);
    const picker = invitee.locator('.kw-picker');
    await picker.locator('summary').click();
    await invitee.screenshot({ path: `${SCREENSHOT_DIR}account-picker.png` });
    await expectAccessible(invitee, 'the walkthrough with the account picker open');
    const options = picker.locator('.kw-picker__option');
    expect(await options.count()).toBe(2);
    await picker.getByRole('button', { name: /Owner$/ }).click();
    await invitee.waitForURL(`${baseUrl}/docs/first-request`);
    const ownKey = await shownKey(invitee);
    expect(ownKey).toMatch(/^sk_test_[0-9A-Za-z]{24}$/);
    expect(ownKey).not.toBe(teamKey);

    await invitee.locator('.kw-picker summary').click();
    await invitee
      .locator('.kw-picker')
      .getByRole('button', { name: new RegExp(`^${teamName}`) })
      .click();
    await invitee.waitForURL(`${baseUrl}/docs/first-request`);
    expect(await shownKey(invitee)).toBe(teamKey);
    expect(await invitee.locator('.kw-picker__label').textContent()).toBe(teamName);
    // The menu says who is signed in apart from the account they work in.
    await invitee.locator('.kw-picker summary').click();
    expect(await invitee.locator('[data-kw-user-email]').textContent()).toBe(inviteeEmail);
    expect(await invitee.locator('[data-kw-account-name]').textContent()).toBe(teamName);
    await invitee.locator('.kw-picker summary').click();

    // On a phone the picker still fits in the header.
    await invitee.setViewportSize({ width: 375, height: 800 });
    expect(
      await invitee.evaluate(() => document.documentElement.scrollWidth - innerWidth),
    ).toBeLessThanOrEqual(0);
    await invitee.locator('.kw-picker summary').click();
    await invitee.screenshot({ path: `${SCREENSHOT_DIR}account-picker-phone.png` });
    await invitee.locator('.kw-picker summary').click();
    await invitee.setViewportSize({ width: 1280, height: 900 });

    // The choice holds on other pages and in the shell's samples too.
    await invitee.goto(`${baseUrl}/docs/keys`);
    expect(await invitee.content()).toContain(teamKey);
    expect(await invitee.content()).not.toContain(ownKey);
  });

  it('a View-only member sees sample keys, the note, and who the owners are', async () => {
    const { owner, ownerEmail, teamKey } = await signUpOwner();

    const viewer = await acceptAsNewUser(
      await inviteThroughPage(owner, `viewer.${Date.now()}@example.com`, 'View only'),
    );
    // Their landing page is the logs, which their role may see.
    expect(viewer.url()).toBe(`${baseUrl}/dashboard/logs`);
    await viewer.goto(`${baseUrl}/docs/first-request`);
    const key = await shownKey(viewer);
    expect(key).toMatch(/^sk_test_[0-9A-Za-z]{24}$/);
    expect(key).not.toBe(teamKey);
    expect(await viewer.content()).not.toContain(teamKey);
    const banner = viewer.locator('.kw-key-banner');
    expect(await banner.textContent()).toContain('Ask an account owner for a role that can see API keys');
    await viewer.screenshot({ path: `${SCREENSHOT_DIR}viewer-docs.png` });
    await expectAccessible(viewer, 'the walkthrough for a View-only member');
    await banner.getByRole('link', { name: 'See who the owners are' }).click();
    await viewer.waitForURL(`${baseUrl}/dashboard/members#owners`);
    expect(await viewer.locator('[data-kw-owners]').textContent()).toContain(ownerEmail);
    // No invite form for them, and the keys page explains itself.
    expect(await viewer.getByRole('button', { name: 'Make invitation link' }).count()).toBe(0);
    const keys = await viewer.goto(`${baseUrl}/dashboard/apikeys`);
    expect(keys?.status()).toBe(403);
    expect(await viewer.locator('[data-kw-denied]').textContent()).toContain('View only');
    await expectAccessible(viewer, 'the keys page refusing a View-only member');
  });
});
