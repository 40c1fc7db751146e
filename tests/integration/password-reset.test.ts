import { execFile } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../src/lib/auth/accounts.ts';
import { createPasswordReset, RESET_TTL_MS } from '../../src/lib/auth/password-reset.ts';
import { THROTTLE_RULES } from '../../src/lib/auth/throttle.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { openMigrated, SQLITE, type ScratchDatabase } from '../support/databases.ts';
import { CookieJar, sendTo } from '../support/http.ts';
import { startMailCatcher, type MailCatcher } from '../support/mail.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { freshEmail } from '../support/teams.ts';

// Against servers of their own: these tests use up the reset allowance of 127.0.0.1.

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new phrase';
const root = fileURLToPath(new URL('../..', import.meta.url));

/** A server on a scratch SQLite file the test reads too; `env` runs first, in the same hook. */
function useServer(env: () => Promise<Record<string, string>>) {
  const state = {} as { server: RunningServer; db: Kysely<Database>; scratch: ScratchDatabase };
  beforeAll(async () => {
    state.scratch = await SQLITE.create();
    state.server = await startServer({ DATABASE_URL: state.scratch.url, ...(await env()) });
    state.db = await openMigrated(state.scratch.url);
  });
  afterAll(async () => {
    await state.server?.stop();
    await state.db?.destroy();
    await state.scratch?.drop();
  });
  return state;
}

/** A request to a server of this file's, as a same-origin page sends it (see sendTo). */
function send(server: RunningServer, path: string, jar: CookieJar, fields?: Record<string, string>) {
  return sendTo(server.baseUrl, path, jar, fields);
}

/** Whether an email and password sign in, in a jar of their own. */
async function signsIn(server: RunningServer, email: string, password: string): Promise<boolean> {
  return (await send(server, '/login', new CookieJar(), { email, password })).status === 303;
}

/** A jar signed in through the form. */
async function signedIn(server: RunningServer, email: string): Promise<CookieJar> {
  const jar = new CookieJar();
  expect((await send(server, '/login', jar, { email, password: PASSWORD })).status).toBe(303);
  return jar;
}

/** Whether a jar's session still opens the dashboard. */
async function sessionWorks(server: RunningServer, jar: CookieJar): Promise<boolean> {
  return (await send(server, '/dashboard/apikeys', jar)).status === 200;
}

/** A user made straight in the server's database (sign-up with SMTP would want a confirmation). */
async function person(db: Kysely<Database>, label: string) {
  const email = freshEmail(label);
  const made = await signUp(db, { email, password: PASSWORD });
  if (!made.ok) throw new Error('sign-up failed');
  return { email, userId: made.userId };
}

/** The reset links in a message (quoted-printable undone), as full URLs. */
function resetLinks(message: string): string[] {
  const unfolded = message.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  return unfolded.match(/https?:\/\/[^/\s]+\/reset-password\/[a-z2-7]{24}/g) ?? [];
}

/** The part of a page that answers the form, with the address taken out. */
function answerBlock(html: string, email: string): string {
  const block = /<div[^>]*data-kw-reset-answer[\s\S]*?<\/div>/.exec(html);
  expect(block, html.slice(0, 400)).not.toBeNull();
  return block![0].replaceAll(email, 'EMAIL');
}

describe('with SMTP_URL set', () => {
  let mail: MailCatcher;
  const state = useServer(async () => {
    mail = await startMailCatcher();
    return { SMTP_URL: mail.url };
  });
  afterAll(() => mail?.close());

  /** Asks for a link for an address through the form and waits for the email. */
  async function emailedLink(email: string): Promise<string> {
    const before = mail.to(email).length;
    const response = await send(state.server, '/forgot-password', new CookieJar(), { email });
    expect(response.status).toBe(200);
    await expect.poll(() => mail.to(email).length).toBe(before + 1);
    const links = resetLinks(mail.to(email).at(-1)!);
    expect(links).toHaveLength(1);
    return links[0]!;
  }

  it('links /login to /forgot-password, which asks for an email', async () => {
    const login = await (await send(state.server, '/login', new CookieJar())).text();
    expect(login).toContain('<a href="/forgot-password">Forgot password?</a>');
    const page = await send(state.server, '/forgot-password', new CookieJar());
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="email"');
    expect(html).toContain('Send reset link');
  });

  it('answers an address without an account as one with: same status and page, no token, no email', async () => {
    const known = await person(state.db, 'known');
    const unknown = freshEmail('unknown');
    const forKnown = await send(state.server, '/forgot-password', new CookieJar(), { email: known.email });
    const forUnknown = await send(state.server, '/forgot-password', new CookieJar(), { email: unknown });
    expect(forKnown.status).toBe(200);
    expect(forUnknown.status).toBe(200);
    expect(answerBlock(await forKnown.text(), known.email)).toBe(
      answerBlock(await forUnknown.text(), unknown),
    );
    await expect.poll(() => mail.to(known.email).length).toBe(1);
    expect(mail.to(unknown)).toHaveLength(0);
    const rows = await state.db.selectFrom('password_resets').select('user_id').execute();
    expect(rows.filter((row) => row.user_id === known.userId)).toHaveLength(1);
    expect(
      await state.db.selectFrom('users').select('id').where('email', '=', unknown).execute(),
    ).toHaveLength(0);
  });

  it('sets a new password once: the old one and every old session stop working, and a notice is mailed', async () => {
    const { server, db } = state;
    const user = await person(db, 'resetter');
    const laptop = await signedIn(server, user.email);
    const phone = await signedIn(server, user.email);
    const link = await emailedLink(user.email);
    expect(link.startsWith(`${server.baseUrl}/reset-password/`)).toBe(true);
    const path = new URL(link).pathname;

    // Opening the link (as a mail scanner would, twice) shows the form and spends nothing.
    for (let i = 0; i < 2; i++) {
      const form = await send(server, path, new CookieJar());
      expect(form.status).toBe(200);
      const html = await form.text();
      expect(html).toContain(user.email);
      expect(html).toContain('autocomplete="new-password"');
    }

    const weak = await send(server, path, new CookieJar(), { password: 'password' });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('This password is too easy to guess.');
    expect(await signsIn(server, user.email, PASSWORD)).toBe(true);

    const done = await send(server, path, laptop, { password: NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/login?reset=done');
    expect(await sessionWorks(server, laptop)).toBe(false);
    expect(await sessionWorks(server, phone)).toBe(false);
    expect(await db.selectFrom('sessions').select('id').where('user_id', '=', user.userId).execute()).toEqual(
      [],
    );
    expect(await signsIn(server, user.email, PASSWORD)).toBe(false);
    expect(await signsIn(server, user.email, NEW_PASSWORD)).toBe(true);
    expect(await (await send(server, '/login?reset=done', new CookieJar())).text()).toContain(
      'Your password was changed and every device was signed out.',
    );
    await expect
      .poll(() => mail.to(user.email).filter((message) => message.includes('password was changed')).length)
      .toBe(1);

    // A used link is refused the second time, and changes nothing.
    const again = await send(server, path, new CookieJar(), { password: 'a third phrase entirely' });
    expect(again.status).toBe(410);
    expect(await signsIn(server, user.email, NEW_PASSWORD)).toBe(true);
    expect(await signsIn(server, user.email, 'a third phrase entirely')).toBe(false);
  });

  it('refuses forged, garbage, oversized and expired links with a clear page, changing nothing', async () => {
    const { server, db } = state;
    const user = await person(db, 'untouched');
    const jar = await signedIn(server, user.email);
    const expired = await createPasswordReset(db, user.userId, Date.now() - RESET_TTL_MS - 1);
    for (const token of ['a'.repeat(24), '%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'a'.repeat(4000), expired]) {
      const opened = await send(server, `/reset-password/${token}`, new CookieJar());
      expect(opened.status, token.slice(0, 40)).toBe(410);
      const html = await opened.text();
      expect(html).toContain('This reset link does not work');
      expect(html).toContain('<a href="/forgot-password">Ask for a new link</a>');
      expect(html).not.toContain('<script>alert(1)');
      const posted = await send(server, `/reset-password/${token}`, new CookieJar(), {
        password: NEW_PASSWORD,
      });
      expect(posted.status).toBe(410);
    }
    expect(await signsIn(server, user.email, PASSWORD)).toBe(true);
    expect(await signsIn(server, user.email, NEW_PASSWORD)).toBe(false);
    expect(await sessionWorks(server, jar)).toBe(true);
  });

  it("resets only the link's own user, whatever the form claims", async () => {
    const { server, db } = state;
    const alice = await person(db, 'alice');
    const bob = await person(db, 'bob');
    const bobsSession = await signedIn(server, bob.email);
    const path = new URL(await emailedLink(alice.email)).pathname;
    const response = await send(server, path, new CookieJar(), {
      password: NEW_PASSWORD,
      email: bob.email,
      user_id: bob.userId,
    });
    expect(response.status).toBe(303);
    expect(await signsIn(server, alice.email, NEW_PASSWORD)).toBe(true);
    expect(await signsIn(server, bob.email, PASSWORD)).toBe(true);
    expect(await signsIn(server, bob.email, NEW_PASSWORD)).toBe(false);
    expect(await sessionWorks(server, bobsSession)).toBe(true);
  });

  it('refuses a reset posted from another site, changing nothing', async () => {
    const { server, db } = state;
    const user = await person(db, 'crosssite');
    const path = new URL(await emailedLink(user.email)).pathname;
    const response = await fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password: NEW_PASSWORD }),
    });
    expect(response.status).toBe(403);
    expect(await signsIn(server, user.email, PASSWORD)).toBe(true);
    expect((await send(server, path, new CookieJar())).status).toBe(200);
  });

  it('names the configured origin in the link, never the Host header the requester sent', async () => {
    const { server, db } = state;
    const user = await person(db, 'hostheader');
    const status = await new Promise<number>((resolve, reject) => {
      const body = new URLSearchParams({ email: user.email }).toString();
      const request = http.request(
        `${server.baseUrl}/forgot-password`,
        {
          method: 'POST',
          headers: {
            host: 'evil.example',
            origin: 'http://evil.example',
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode!);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    expect(status).toBe(200);
    await expect.poll(() => mail.to(user.email).length).toBe(1);
    const [link] = resetLinks(mail.to(user.email)[0]!);
    expect(link!.startsWith(`${server.baseUrl}/reset-password/`)).toBe(true);
  });

  it('keeps the token out of the database and the server log', async () => {
    const { server, db } = state;
    const user = await person(db, 'secretive');
    const link = await emailedLink(user.email);
    const token = link.split('/').at(-1)!;
    const rows = await db.selectFrom('password_resets').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows.some((row) => row.user_id === user.userId && /^[0-9a-f]{64}$/.test(row.token_hash))).toBe(
      true,
    );
    await send(server, new URL(link).pathname, new CookieJar(), { password: NEW_PASSWORD });
    expect(server.output()).not.toContain(token);
  });

  it('throttles requests like sign-in: past the free number it answers 429 and sends nothing', async () => {
    const { server, db } = state;
    const user = await person(db, 'flooded');
    // Earlier tests asked from this address for other emails; the pair count is this email's own.
    for (let i = 0; i < THROTTLE_RULES.addressAndEmail.freeAttempts; i++) {
      expect((await send(server, '/forgot-password', new CookieJar(), { email: user.email })).status).toBe(
        200,
      );
    }
    await expect.poll(() => mail.to(user.email).length).toBe(1);
    // Without the one-a-minute rule the next request would send: the throttle is what stops it.
    await db.deleteFrom('password_resets').where('user_id', '=', user.userId).execute();
    const refused = await send(server, '/forgot-password', new CookieJar(), { email: user.email });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.text()).toContain('Too many reset requests.');
    // The answer does not wait for delivery, so give a delivery that should not exist time to show.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      await db.selectFrom('password_resets').select('user_id').where('user_id', '=', user.userId).execute(),
    ).toEqual([]);
    expect(mail.to(user.email)).toHaveLength(1);
  });
});

describe('without SMTP_URL', () => {
  const state = useServer(async () => ({}));

  /**
   * Runs `npm run reset-link -- <email>` against this server's database and address. Not
   * spawnSync: a blocked event loop would miss the server closing idle connections.
   */
  function resetLinkCommand(email: string): Promise<{ status: number; stdout: string; stderr: string }> {
    const env = {
      ...process.env,
      DATABASE_URL: state.scratch.url,
      HOST: '127.0.0.1',
      PORT: String(state.server.port),
    };
    return new Promise((resolve) => {
      execFile('npm', ['run', '-s', 'reset-link', '--', email], { cwd: root, env }, (error, stdout, stderr) =>
        resolve({ status: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
  }

  it('tells the reader to ask the operator, with no form to probe addresses with', async () => {
    const page = await send(state.server, '/forgot-password', new CookieJar());
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Ask the person who runs it');
    expect(html).not.toContain('name="email"');
    const user = await person(state.db, 'nosmtp');
    const posted = await send(state.server, '/forgot-password', new CookieJar(), { email: user.email });
    expect(answerBlock(await posted.text(), user.email)).toBe(answerBlock(html, user.email));
    expect(await state.db.selectFrom('password_resets').select('user_id').execute()).toEqual([]);
  });

  it('gives the operator a command that prints a working link', async () => {
    const user = await person(state.db, 'operator');
    const session = await signedIn(state.server, user.email);
    const run = await resetLinkCommand(` ${user.email.toUpperCase()}`);
    expect(run.status, run.stderr).toBe(0);
    const link = run.stdout.trim();
    expect(link).toMatch(new RegExp(`^${state.server.baseUrl}/reset-password/[a-z2-7]{24}$`));
    const path = new URL(link).pathname;
    expect((await send(state.server, path, new CookieJar(), { password: NEW_PASSWORD })).status).toBe(303);
    expect(await signsIn(state.server, user.email, NEW_PASSWORD)).toBe(true);
    expect(await sessionWorks(state.server, session)).toBe(false);
  });

  it('says so when no account has the address, and makes nothing', async () => {
    const before = await state.db.selectFrom('password_resets').select('user_id').execute();
    const run = await resetLinkCommand('nobody.here@example.com');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('No account has the address nobody.here@example.com.');
    expect(await state.db.selectFrom('password_resets').select('user_id').execute()).toEqual(before);
  });
});
