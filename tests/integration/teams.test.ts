import { afterAll, describe, expect, inject, it } from 'vitest';
import { CookieJar, get, postForm, SECRET_KEY_PATTERN, signUpReader } from '../support/http.ts';
import { startMailCatcher, verificationPath, type MailCatcher } from '../support/mail.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { EventReader } from '../support/sse.ts';
import { freshEmail, inMode, invite, joinAs, keyIds, memberUserId } from '../support/teams.ts';

const baseUrl = inject('baseUrl');

async function secretKeyOf(jar: CookieJar): Promise<string> {
  return (await (await get('/dashboard/apikeys', jar)).text()).match(SECRET_KEY_PATTERN)![0];
}

describe('teams over HTTP', () => {
  it('send anonymous readers to sign in from every protected page and form', async () => {
    for (const path of [
      '/dashboard',
      '/dashboard/apikeys',
      '/dashboard/members',
      '/dashboard/logs',
      '/dashboard/customers',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toMatch(/^\/login\?next=/);
    }
    for (const path of ['/dashboard/members', '/dashboard/apikeys', '/account/switch']) {
      const response = await postForm(path, { intent: 'invite', email: 'x@example.com', role: 'owner' });
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toMatch(/^\/login/);
    }
  });

  it("refuse a Developer's test-mode form that names a live key", async () => {
    const owner = new CookieJar();
    await signUpReader(owner);
    const developer = await joinAs(owner, 'developer');
    const liveIds = keyIds(await (await get('/dashboard/apikeys', inMode(owner, 'live'))).text());
    const liveSecret = liveIds.get('Secret key')!;
    const response = await postForm(
      '/dashboard/apikeys',
      { intent: 'roll', key_id: liveSecret, expires: 'now', confirm: 'now' },
      developer.jar,
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('not one of this account&#39;s test keys');
    expect(
      keyIds(await (await get('/dashboard/apikeys', inMode(owner, 'live'))).text()).get('Secret key'),
    ).toBe(liveSecret);
  });

  it('switch accounts only to ones the reader belongs to, and keep the choice across sign-ins', async () => {
    const owner = new CookieJar();
    await signUpReader(owner);
    const teamKey = await secretKeyOf(owner);
    const member = await joinAs(owner, 'developer');
    // Accepting lands in the team account.
    expect(await secretKeyOf(member.jar)).toBe(teamKey);
    const docs = await (await get('/docs/first-request', member.jar)).text();
    expect(docs).toContain(teamKey);
    expect(docs).toContain('Use keys from');
    const ownAccount = /name="account" value="(acct_[0-9A-Za-z]+)" class/.exec(docs)![1]!;

    const switched = await postForm(
      '/account/switch',
      { account: ownAccount, next: '/docs/keys' },
      member.jar,
    );
    expect(switched.status).toBe(303);
    expect(switched.headers.get('location')).toBe('/docs/keys');
    const ownKey = (await (await get('/docs/first-request', member.jar)).text()).match(
      SECRET_KEY_PATTERN,
    )![0];
    expect(ownKey).not.toBe(teamKey);

    // An account the reader is not in (here, one that does not exist) is refused.
    const refused = await postForm(
      '/account/switch',
      { account: 'acct_0000000000000000', next: '/' },
      member.jar,
    );
    expect(refused.status).toBe(403);

    // Sign out and in again: the last choice (own account) is where the session starts.
    await postForm('/logout', {}, member.jar);
    const signedIn = await postForm(
      '/login',
      { email: member.email, password: 'correct horse battery' },
      member.jar,
    );
    expect(signedIn.status).toBe(303);
    expect((await (await get('/docs/first-request', member.jar)).text()).match(SECRET_KEY_PATTERN)![0]).toBe(
      ownKey,
    );
  });

  it('invitation links: reused, for someone else, and for an existing user', async () => {
    const owner = new CookieJar();
    await signUpReader(owner);
    const joined = await joinAs(owner, 'viewer');
    // The link the viewer used is spent (found again from a fresh invitation's shape).
    const email = freshEmail('existing');
    const existing = new CookieJar();
    await postForm('/signup', { email, password: 'correct horse battery' }, existing);
    const link = await invite(owner, email, 'developer');

    // Someone else, signed in, opens it: refused, with the address it is for.
    const wrong = await get(link, joined.jar);
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain(`This invitation is for ${email}`);

    // The invited person, signed out, signs in through it and joins.
    const visitor = new CookieJar();
    const page = await (await get(link, visitor)).text();
    expect(page).toContain('Sign in and join');
    const badPassword = await postForm(link, { intent: 'signin', password: 'wrong password here' }, visitor);
    expect(badPassword.status).toBe(400);
    const accepted = await postForm(link, { intent: 'signin', password: 'correct horse battery' }, visitor);
    expect(accepted.status).toBe(303);
    expect(await secretKeyOf(visitor)).toBe(await secretKeyOf(owner));

    // Used once: the link now says so.
    const reused = await get(link, new CookieJar());
    expect(reused.status).toBe(410);
    expect(await reused.text()).toContain('already been used');
    const reusedPost = await postForm(
      link,
      { intent: 'signup', password: 'correct horse battery' },
      new CookieJar(),
    );
    expect(reusedPost.status).toBe(410);

    const unknown = await get('/invite/aaaaaaaaaaaaaaaaaaaaaaaa');
    expect(unknown.status).toBe(404);
  });

  it('lets a member leave, but not the only owner, and shows a new name in the picker', async () => {
    const owner = new CookieJar();
    await signUpReader(owner);
    const teamKey = await secretKeyOf(owner);
    const sole = await postForm('/dashboard/members', { intent: 'leave' }, owner);
    expect(sole.status).toBe(400);
    expect(await sole.text()).toContain('An account needs an owner');

    const renamed = await postForm(
      '/dashboard/members',
      { intent: 'rename', name: '  Acme   payments ' },
      owner,
    );
    expect(renamed.headers.get('location')).toBe('/dashboard/members?renamed=1');
    const empty = await postForm('/dashboard/members', { intent: 'rename', name: '   ' }, owner);
    expect(empty.status).toBe(400);

    const member = await joinAs(owner, 'developer');
    const docs = await (await get('/docs/first-request', member.jar)).text();
    expect(docs).toContain('<span class="kw-picker__label">Acme payments</span>');
    expect(docs).toContain(teamKey);
    const left = await postForm('/dashboard/members', { intent: 'leave' }, member.jar);
    expect(left.status).toBe(303);
    expect(left.headers.get('location')).toBe('/dashboard');
    const after = await (await get('/docs/first-request', member.jar)).text();
    expect(after).not.toContain(teamKey);
    expect(after).not.toContain('Acme payments');
  });

  it("ends an open docs page's live stream when the member is lowered or removed", async () => {
    const owner = new CookieJar();
    await signUpReader(owner);
    for (const change of ['lower', 'remove'] as const) {
      const member = await joinAs(owner, 'developer');
      const stream = await fetch(`${baseUrl}/api/stream`, { headers: { cookie: member.jar.header() } });
      expect(stream.status).toBe(200);
      const events = new EventReader(stream);
      await events.waitFor(() => true);
      let ended = false;
      void events.ended.then(() => (ended = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(ended).toBe(false);
      const userId = await memberUserId(owner, member.email);
      const response =
        change === 'lower'
          ? await postForm(
              '/dashboard/members',
              { intent: 'change-role', user_id: userId, role: 'viewer' },
              owner,
            )
          : await postForm('/dashboard/members', { intent: 'remove', user_id: userId }, owner);
      expect(response.status).toBe(200);
      await Promise.race([
        events.ended,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`the stream stayed open after "${change}"`)), 3000),
        ),
      ]);
    }
  });
});

describe('words and identity', () => {
  it('names an account at sign-up, or after the local part of the email, as the invitation shows it', async () => {
    const named = new CookieJar();
    const namedEmail = freshEmail('named');
    const answer = await postForm(
      '/signup',
      { email: namedEmail, password: 'correct horse battery', account_name: '  Rosen   Labs ' },
      named,
    );
    expect(answer.status).toBe(303);
    const link = await invite(named, freshEmail('guest'), 'developer');
    const page = await (await get(link)).text();
    expect(page).toMatch(/invited <strong>[^<]+<\/strong> to <strong>Rosen Labs<\/strong>/);

    const unnamed = new CookieJar();
    const email = await signUpReader(unnamed);
    const localPart = email.slice(0, email.indexOf('@'));
    const other = await (await get(await invite(unnamed, freshEmail('guest'), 'viewer'))).text();
    expect(other).toContain(`to <strong>${localPart}&#39;s account</strong>`);
    expect(other).not.toContain(`to <strong>${email}</strong>`);
  });

  it('refuses an account name with control characters, and makes nothing', async () => {
    const jar = new CookieJar();
    const email = freshEmail('badname');
    const response = await postForm(
      '/signup',
      { email, password: 'correct horse battery', account_name: 'Rosen\u202eLabs' },
      jar,
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('id="field-account_name-error"');
    expect(html).toContain('Use letters, digits, spaces and punctuation only.');
    expect(jar.cookies.has('kw_session')).toBe(false);
    // No user was made: the address can still sign up, and could not sign in.
    expect((await postForm('/login', { email, password: 'correct horse battery' })).status).toBe(400);
  });

  it('shows who is signed in apart from the account in the menu, not under the page titles', async () => {
    const owner = new CookieJar();
    const email = await signUpReader(owner);
    await postForm('/dashboard/members', { intent: 'rename', name: 'Rosen Labs' }, owner);
    for (const path of ['/dashboard/apikeys', '/dashboard/members', '/docs/first-request']) {
      const html = await (await get(path, owner)).text();
      expect(html, path).toContain(`<p class="kw-picker__email" data-kw-user-email>${email}</p>`);
      expect(html, path).toMatch(
        /<span data-kw-account-name>Rosen Labs<\/span> · <span data-kw-role>Owner<\/span>/,
      );
      // Under a title the account and role read like the page's subject's own (a customer's email).
      expect(html, path).not.toMatch(/<\/h1>\s*<p[^>]*>Rosen Labs ·/);
    }
  });

  it('says "You joined …" once, on the dashboard page after accepting', async () => {
    const owner = new CookieJar();
    await signUpReader(owner);
    await postForm('/dashboard/members', { intent: 'rename', name: 'Rosen Labs' }, owner);
    const { jar } = await joinAs(owner, 'developer');
    const first = await (await get('/dashboard/apikeys', jar)).text();
    expect(first).toMatch(/data-kw-joined>\s*You joined <strong>Rosen Labs<\/strong>/);
    const again = await (await get('/dashboard/apikeys', jar)).text();
    expect(again).not.toContain('data-kw-joined');
    // Someone who only signed up joined nothing.
    expect(await (await get('/dashboard/apikeys', owner)).text()).not.toContain('data-kw-joined');
  });

  it('tells only those who cannot add members to ask an owner', async () => {
    const owner = new CookieJar();
    await signUpReader(owner);
    const viewer = await joinAs(owner, 'viewer');
    const ASK = 'Ask an owner to add someone';
    expect(await (await get('/dashboard/members', owner)).text()).not.toContain(ASK);
    expect(await (await get('/dashboard/members', viewer.jar)).text()).toContain(ASK);
  });
});

describe('invitation emails', () => {
  let mail: MailCatcher | undefined;
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.stop();
    mail?.close();
  });

  it('are sent through SMTP_URL when it is set, with the link', async () => {
    mail = await startMailCatcher();
    server = await startServer({ SMTP_URL: mail.url, MAIL_FROM: 'Keyway <team@keyway.test>' });
    const post = (path: string, fields: Record<string, string>, jar: CookieJar) =>
      fetch(`${server!.baseUrl}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          origin: server!.baseUrl,
          cookie: jar.header(),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(fields),
      });
    // With mail set up, the inviter confirms their address through the emailed link first.
    const jar = new CookieJar();
    const inviter = freshEmail('mailer');
    await post('/signup', { email: inviter, password: 'correct horse battery' }, jar);
    jar.store(await post(verificationPath(mail.to(inviter)[0]!), {}, jar));
    const invitee = freshEmail('invitee');
    const response = await post(
      '/dashboard/members',
      { intent: 'invite', email: invitee, role: 'developer' },
      jar,
    );
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(page).toContain('It was also emailed to them.');
    const link = /http:\/\/127\.0\.0\.1:\d+\/invite\/[a-z2-7]{24}/.exec(page)![0];
    const received = mail.to(invitee);
    expect(received).toHaveLength(1);
    expect(received[0]).toContain(`To: ${invitee}`);
    expect(received[0]).toContain('From: Keyway <team@keyway.test>');
    expect(received[0]).toContain(link);
    expect(received[0]).toContain('as Developer');
  });
});
