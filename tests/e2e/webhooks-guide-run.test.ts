import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, newContext, SCREENSHOT_DIR, useBrowser } from '../support/browser.ts';
import { eventually } from '../support/sandbox.ts';
import { freePort, startServer, type RunningServer } from '../support/server.ts';

const browser = useBrowser();
const root = fileURLToPath(new URL('../..', import.meta.url));
/** Debian's python3, which sees Debian's python3-stripe (a pyenv python first on PATH does not). */
const PYTHON = '/usr/bin/python3';

/** A child process whose output is collected as it comes. */
class Child {
  readonly child: ChildProcess;
  output = '';
  constructor(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
    this.child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env } });
    for (const stream of [this.child.stdout!, this.child.stderr!])
      stream.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }
  waitFor(pattern: RegExp, what: string): Promise<RegExpMatchArray> {
    return eventually(
      async () => pattern.exec(this.output) ?? undefined,
      20_000,
      `${what}; printed:\n${this.output}`,
    );
  }
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('close', resolve));
    this.child.kill('SIGINT');
    await exited;
  }
}

/** The project's CLI, as a reader runs it once installed, with the reader's key in the environment. */
const keyway = (args: string[], env: NodeJS.ProcessEnv) =>
  new Child(
    process.execPath,
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'src/cli/keyway.ts', ...args],
    { cwd: root, env },
  );

/** The text of the guide's code sample with this title (copied as a reader copies it). */
async function codeBlock(page: Page, title: string): Promise<string> {
  const text = await page
    .locator(`.kw-sample__panel[data-label="${title}"] pre`)
    .first()
    .evaluate((pre) => pre.textContent);
  if (!text) throw new Error(`No code sample titled "${title}" on the page.`);
  return text;
}

/**
 * The webhooks guide run for real, as a reader follows it: the Node and the Python handler
 * copied from the page (with the reader's own secret in them), `keyway listen` and
 * `keyway trigger` as child processes, and the page's status line turning green when the
 * handler answers 2xx, or explaining a refused signature.
 */
describe('the webhooks guide, followed for real', () => {
  let server: RunningServer;
  let folder: string;
  beforeAll(async () => {
    server = await startServer();
    folder = mkdtempSync(join(tmpdir(), 'keyway-guide-'));
    // The reader installed stripe beside their handler: here, the project's own copy.
    symlinkSync(join(root, 'node_modules'), join(folder, 'node_modules'));
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('turns green for the Node and the Python handler, and explains a wrong secret', async () => {
    const context = await newContext(browser());
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/signup`);
    await page.getByLabel('Email').fill(`guide.run.${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/signup'));
    await page.goto(`${server.baseUrl}/docs/webhooks`);

    const forwarding = await codeBlock(page, 'Start forwarding');
    const key = /KEYWAY_API_KEY=(sk_test_\w+)/.exec(forwarding)?.[1];
    expect(key, forwarding).toBeTruthy();
    const shownSecret = (await codeBlock(page, 'Your signing secret')).trim();
    expect(shownSecret).toMatch(/^whsec_\w+$/);
    const port = await freePort();
    // The reader's port 3000 may be taken here; the copied code is otherwise run as it is.
    const onPort = (code: string) => code.replaceAll('3000', String(port));
    const nodeHandler = onPort(await codeBlock(page, 'Node (server.mjs)'));
    const pythonHandler = onPort(await codeBlock(page, 'Python (server.py)'));
    expect(nodeHandler).toContain(shownSecret);
    expect(pythonHandler).toContain(shownSecret);
    writeFileSync(join(folder, 'server.mjs'), nodeHandler);
    writeFileSync(join(folder, 'server.py'), pythonHandler);
    writeFileSync(
      join(folder, 'wrong.py'),
      pythonHandler.replace(shownSecret, 'whsec_NotTheSecretKeywayPrinted'),
    );

    const env = { KEYWAY_API_KEY: key!, KEYWAY_API_BASE: server.baseUrl };
    const listen = keyway(['listen', '--forward-to', `localhost:${port}/webhook`], env);
    const status = page.locator('[data-kw-webhook-status]');
    try {
      // The secret the CLI prints is the one the page shows.
      const ready = await listen.waitFor(/Your webhook signing secret is (whsec_\w+)/, 'listen ready');
      expect(ready[1]).toBe(shownSecret);

      for (const [name, command, args] of [
        ['node', process.execPath, ['server.mjs']],
        ['python', PYTHON, ['-u', 'server.py']],
      ] as const) {
        const handler = new Child(command, [...args], { cwd: folder });
        try {
          await handler.waitFor(/Listening on/, `the ${name} handler starting`);
          const trigger = keyway(['trigger', 'customer.created'], env);
          await trigger.waitFor(/Trigger succeeded!/, 'the trigger');
          const received = await handler.waitFor(
            /Received customer\.created (evt_\w+)/,
            `the ${name} handler`,
          );
          await listen.waitFor(
            new RegExp(`<--  \\[200\\] POST \\S+ \\[${received[1]}\\]`),
            'the 200 in listen',
          );
          await expect.poll(() => status.getAttribute('data-state'), { timeout: 15_000 }).toBe('ok');
          await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain(received[1]!);
        } finally {
          await handler.stop();
        }
      }
      await status.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOT_DIR}webhooks-guide-run-ok.png` });

      // A handler with another secret refuses the signature: 400, and the page says why.
      const wrong = new Child(PYTHON, ['-u', 'wrong.py'], { cwd: folder });
      try {
        await wrong.waitFor(/Listening on/, 'the wrong-secret handler starting');
        const trigger = keyway(['trigger', 'customer.created'], env);
        await trigger.waitFor(/Trigger succeeded!/, 'the trigger');
        await wrong.waitFor(/Refused: No signatures found matching/, 'the handler refusing');
        await expect.poll(() => status.getAttribute('data-state'), { timeout: 15_000 }).toBe('failed');
        expect(await status.locator('[data-kw-webhook-advice]').textContent()).toMatch(/signature/);
      } finally {
        await wrong.stop();
      }
    } finally {
      await listen.stop();
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
