import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverArguments } from '../../scripts/server-command.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningServer {
  baseUrl: string;
  port: number;
  process: ChildProcess;
  /** Everything the server printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Runs the production server (src/server/main.ts as the build bundled it) as `npm start`
 * would, on a free port, and waits until it answers. Unless `env` names a database, the
 * server gets a fresh SQLite file of its own, removed when it stops.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  if (!existsSync(`${root}/dist/node-server/main.mjs`)) {
    throw new Error('The site is not built. Run the tests with `npm test`, which builds it first.');
  }
  let scratch: string | undefined;
  if (!env.DATABASE_URL) {
    scratch = mkdtempSync(join(tmpdir(), 'keyway-test-'));
    env = { ...env, DATABASE_URL: `file:${join(scratch, 'keyway.sqlite')}` };
  }
  // The suite signs up far more readers from one address than the hourly limit allows;
  // the test of that limit sets its own.
  env = { SIGNUP_RATE_LIMIT: '100000', ...env };
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, serverArguments(root), {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: 'pipe',
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited at start:\n${output}`);
    try {
      await fetch(`${baseUrl}/favicon.svg`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`The server did not answer within 30 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    baseUrl,
    port,
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }).then(() => {
        if (scratch) rmSync(scratch, { recursive: true, force: true });
      }),
  };
}
