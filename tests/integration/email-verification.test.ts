import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, sendTo } from '../support/http.ts';
import { startMailCatcher, verificationPath, type MailCatcher } from '../support/mail.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { freshEmail } from '../support/teams.ts';

const PASSWORD = 'correct horse battery';

describe('with SMTP_URL set, sign-up and invitations', () => {
  let mail: MailCatcher;
  let server: RunningServer;
  beforeAll(async () => {
    mail = await startMailCatcher();
    server = await startServer({ SMTP_URL: mail.url });
  });
  afterAll(async () => {
    await server?.stop();
    mail?.close();
  });

  /** A request to this file's server with a jar's cookies, as a same-origin page sends it. */
  function send(path: string, jar: CookieJar, fields?: Record<string, string>): Promise<Response> {
    return sendTo(server.baseUrl, path, jar, fields);
  }

  /** The latest verification link emailed to an address. */
  function latestLink(email: string): string {
    const links = mail.to(email).filter((message) => message.includes('/verify-email/'));
    expect(links.length, `verification emails to ${email}`).toBeGreaterThan(0);
    return verificationPath(links.at(-1)!);
  }

  /** Signs up through the form and confirms through the emailed link: the jar is signed in. */
  async function confirmedReader(email = freshEmail('confirmed')): Promise<CookieJar> {
    const jar = new CookieJar();
    expect((await send('/signup', jar, { email, password: PASSWORD })).status).toBe(200);
    expect((await send(latestLink(email), jar, {})).status).toBe(303);
    return jar;
  }

  /** What the sign-up page answered, with the address taken out. */
  async function answerOf(response: Response, email: string): Promise<string> {
    const html = await response.text();
    expect(html).toContain('<h1 class="kw-auth__title">Check your email</h1>');
    const block = /<div[^>]*data-kw-signup-answer[\s\S]*?<\/div>/.exec(html);
    expect(block, html.slice(0, 400)).not.toBeNull();
    return block![0].replaceAll(email, 'EMAIL');
  }

  it('answer a new and a taken address alike: same status and page, no session, no "already exists"', async () => {
    const taken = freshEmail('taken');
    await confirmedReader(taken);
    const newcomer = freshEmail('newcomer');
    const fresh = await send('/signup', new CookieJar(), { email: newcomer, password: PASSWORD });
    const again = await send('/signup', new CookieJar(), { email: taken, password: 'another fine phrase' });
    expect(fresh.status).toBe(200);
    expect(again.status).toBe(200);
    for (const response of [fresh, again]) {
      expect(response.headers.getSetCookie().some((line) => line.startsWith('kw_session='))).toBe(false);
    }
    const freshAnswer = await answerOf(fresh, newcomer);
    expect(freshAnswer).toBe(await answerOf(again, taken));
    expect(freshAnswer).not.toMatch(/already exists/i);
    // Only the mailboxes tell them apart: a link for the newcomer, a note for the owner.
    expect(mail.to(newcomer).at(-1)).toContain('/verify-email/');
    expect(mail.to(taken).at(-1)).toContain('already has an account');
    // The owner's password is unchanged.
    const signIn = await send('/login', new CookieJar(), { email: taken, password: PASSWORD });
    expect(signIn.status).toBe(303);
  });

  it('confirm an address through the emailed link, once, which signs its owner in', async () => {
    const email = freshEmail('link');
    const jar = new CookieJar();
    await send('/signup', jar, { email, password: PASSWORD });
    const link = latestLink(email);
    expect(link).toMatch(/\?next=%2Fdashboard%2Fapikeys$/);
    // Opening it (as a mail scanner would) only asks.
    const opened = await send(link, jar);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('Confirm and sign in');
    expect(jar.cookies.has('kw_session')).toBe(false);
    const confirmed = await send(link, jar, {});
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('/dashboard/apikeys');
    expect((await send('/dashboard/apikeys', jar)).status).toBe(200);
    const reused = await send(link, new CookieJar(), {});
    expect(reused.status).toBe(410);
    expect(reused.headers.getSetCookie().some((line) => line.startsWith('kw_session='))).toBe(false);
  });

  it('let an invitation be accepted only once the address is confirmed', async () => {
    const owner = await confirmedReader();
    const invitee = freshEmail('invitee');
    const made = await send('/dashboard/members', owner, {
      intent: 'invite',
      email: invitee,
      role: 'developer',
    });
    const invitation = /\/invite\/[a-z2-7]{24}/.exec(await made.text())![0];
    const isMember = async () =>
      (await (await send('/dashboard/members', owner)).text()).includes(`data-member="${invitee}"`);

    // Signing up through the link signs in, but does not join: the address is unconfirmed.
    const jar = new CookieJar();
    const signedUp = await send(invitation, jar, { intent: 'signup', password: PASSWORD });
    expect(signedUp.status).toBe(303);
    expect(signedUp.headers.get('location')).toBe(invitation);
    const page = await (await send(invitation, jar)).text();
    expect(page).toContain('data-kw-invitation-unverified');
    expect(page).toContain(`Confirm that ${invitee} is yours before joining`);
    expect(page).toContain('Send the link again');
    const refused = await send(invitation, jar, { intent: 'accept' });
    expect(refused.status).toBe(403);
    expect(await isMember()).toBe(false);
    // Asking again at once waits: a link went out moments ago.
    const resend = await send(invitation, jar, { intent: 'resend' });
    expect(resend.status).toBe(429);
    const resendPage = await resend.text();
    expect(resendPage, /data-kw-invitation-unverified[\s\S]{0,800}/.exec(resendPage)?.[0]).toMatch(
      /Ask again in \d+ (seconds?|minute)\./,
    );

    // The emailed link confirms and comes back to the invitation, which now joins.
    const link = latestLink(invitee);
    const confirmed = await send(link, jar, {});
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(invitation);
    const joined = await send(invitation, jar, { intent: 'accept' });
    expect(joined.status).toBe(303);
    expect(await isMember()).toBe(true);
  });
});
