import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsPostgres, POSTGRES, type ScratchDatabase } from '../support/databases.ts';
import { eventually, newReaderWithKeys, sdk, sharedBase } from '../support/sandbox.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const stripe = new Stripe('sk_test_unused');

/** The project's CLI as a child process, its output collected as it comes. */
class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[]) {
    this.child = spawn(
      process.execPath,
      ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'src/cli/keyway.ts', ...args],
      { cwd: root, env: { ...process.env, KEYWAY_API_KEY: '', KEYWAY_API_BASE: '' } },
    );
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** Waits for a match in stdout or stderr (as named), failing with what was printed. */
  async waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, ms = 15_000): Promise<RegExpMatchArray> {
    return eventually(
      async () => pattern.exec(this[stream]) ?? undefined,
      ms,
      `${pattern} in the CLI's ${stream}; it printed:\n${this.stdout}\n--- stderr ---\n${this.stderr}`,
    );
  }
}

/** What the local handler received: each request's headers and raw body. */
interface Received {
  signature: string;
  contentType: string;
  body: string;
}

async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        signature: String(request.headers['stripe-signature'] ?? ''),
        contentType: String(request.headers['content-type'] ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/webhook`, received };
}

/** The PostgreSQL channel the request bus sends delivery notices on (src/lib/live/request-bus.ts). */
const DELIVERY_CHANNEL = 'keyway_deliveries';

const TIME = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}';

/**
 * The whole loop, as a reader runs it: `keyway listen --forward-to` in one terminal (connected
 * to `listenBase`), `keyway trigger customer.updated` in another (sent to `triggerBase`), and a
 * handler that checks every signature with stripe-node using the secret the CLI printed.
 */
async function listenAndTrigger(
  listenBase: string,
  triggerBase: string,
  onDelivery?: () => Promise<Array<Record<string, unknown>>>,
): Promise<void> {
  const reader = await newReaderWithKeys(listenBase);
  const receiver = await startReceiver();
  const printed = new CliProcess([
    'listen',
    '--print-secret',
    '--api-key',
    reader.secretKey,
    '--api-base',
    listenBase,
  ]);
  expect(await printed.exited, printed.stderr).toBe(0);
  expect(printed.stdout).toMatch(/^whsec_[0-9A-Za-z]+\n$/);

  const listener = new CliProcess([
    'listen',
    '--forward-to',
    receiver.url.replace('http://', ''),
    '--api-key',
    reader.secretKey,
    '--api-base',
    listenBase,
  ]);
  try {
    await listener.waitFor('stderr', /Getting ready\.\.\.\n/);
    const [, secret] = await listener.waitFor(
      'stderr',
      /Ready! Your webhook signing secret is (whsec_\w+) \(\^C to quit\)/,
    );
    expect(secret).toBe(printed.stdout.trim());

    const trigger = new CliProcess([
      'trigger',
      'customer.updated',
      '--api-key',
      reader.secretKey,
      '--api-base',
      triggerBase,
    ]);
    expect(await trigger.exited, trigger.stderr).toBe(0);
    expect(trigger.stdout).toBe(
      [
        'Setting up fixture for: customer',
        'Running fixture for: customer',
        'Setting up fixture for: customer_updated',
        'Running fixture for: customer_updated',
        'Trigger succeeded! Check dashboard for event details.',
        '',
      ].join('\n'),
    );

    await eventually(async () => (receiver.received.length >= 2 ? true : undefined), 15_000, 'two forwards');
    const events = receiver.received.map((request) => {
      expect(request.contentType).toBe('application/json; charset=utf-8');
      // Throws unless the signature is valid for these exact bytes under the printed secret.
      return stripe.webhooks.constructEvent(request.body, request.signature, secret!);
    });
    expect(events.map((event) => event.type).sort()).toEqual(['customer.created', 'customer.updated']);
    const customerIds = new Set(events.map((event) => (event.data.object as { id: string }).id));
    expect(customerIds.size).toBe(1);
    expect(() =>
      stripe.webhooks.constructEvent(
        receiver.received[0]!.body,
        receiver.received[0]!.signature,
        'whsec_other',
      ),
    ).toThrow(/No signatures found matching/);

    for (const event of events) {
      await listener.waitFor(
        'stdout',
        new RegExp(`^${TIME}   --> ${event.type.replace('.', '\\.')} \\[${event.id}\\]$`, 'm'),
      );
      await listener.waitFor(
        'stdout',
        new RegExp(
          `^${TIME}  <--  \\[200\\] POST ${receiver.url.replaceAll('.', '\\.')} \\[${event.id}\\]$`,
          'm',
        ),
      );
    }
    if (onDelivery) {
      const notices = await onDelivery();
      expect(notices.map((notice) => notice.eventId).sort()).toEqual(events.map((event) => event.id).sort());
      for (const notice of notices) {
        expect(notice).toMatchObject({
          endpointId: null,
          url: receiver.url,
          status: 200,
          succeeded: true,
          error: null,
        });
      }
    }
    expect(listener.stderr).not.toContain('Could not report');

    listener.child.kill('SIGINT');
    expect(await listener.exited).toBe(0);
  } finally {
    listener.child.kill('SIGKILL');
    await new Promise((resolve) => receiver.server.close(resolve));
  }
}

describe('keyway listen and keyway trigger, as child processes (SQLite)', () => {
  it('forwards the triggered events, signed with the printed secret, and reports each result', async () => {
    await listenAndTrigger(sharedBase(), sharedBase());
  });
});

describe('keyway listen on one server, keyway trigger on another (PostgreSQL)', needsPostgres, () => {
  let scratch: ScratchDatabase;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    scratch = await POSTGRES.create();
    [a, b] = await Promise.all([
      startServer({ DATABASE_URL: scratch.url }),
      startServer({ DATABASE_URL: scratch.url }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await scratch?.drop();
  });

  it('hears events made through the other process, and the results reach the bus', async () => {
    const bus = new pg.Client({ connectionString: scratch.url });
    await bus.connect();
    const notices: Array<Record<string, unknown>> = [];
    bus.on('notification', (message) =>
      notices.push(JSON.parse(message.payload!) as Record<string, unknown>),
    );
    await bus.query(`LISTEN ${DELIVERY_CHANNEL}`);
    try {
      await listenAndTrigger(a.baseUrl, b.baseUrl, () =>
        eventually(async () => (notices.length >= 2 ? notices : undefined), 10_000, 'two delivery notices'),
      );
    } finally {
      await bus.end();
    }
  });
});

describe('keyway listen and trigger when things go wrong', () => {
  it('exits 1 with the server’s message for a refused key, and warns about names that are no event', async () => {
    const forged = new CliProcess([
      'listen',
      '--events',
      'customer.created,charge.succeeded',
      '--api-key',
      `sk_test_${'0'.repeat(24)}`,
      '--api-base',
      sharedBase(),
    ]);
    expect(await forged.exited).toBe(1);
    expect(forged.stderr).toContain(
      `You're attempting to listen for "charge.succeeded", which isn't a valid event`,
    );
    expect(forged.stderr).toMatch(/Invalid API Key provided: sk_test_/);
    expect(forged.stderr).not.toContain('Ready!');
    const secret = new CliProcess([
      'listen',
      '--print-secret',
      '--api-key',
      `sk_test_${'0'.repeat(24)}`,
      '--api-base',
      sharedBase(),
    ]);
    expect(await secret.exited).toBe(1);
    expect(secret.stdout).toBe('');
    expect(secret.stderr).toMatch(/Invalid API Key provided/);
  });

  it('prints [ERROR] for a handler that is not there, and reports that too', async () => {
    const reader = await newReaderWithKeys(sharedBase());
    const closed = await startReceiver();
    await new Promise((resolve) => closed.server.close(resolve));
    const listener = new CliProcess([
      'listen',
      '-f',
      closed.url,
      '--api-key',
      reader.secretKey,
      '--api-base',
      sharedBase(),
    ]);
    try {
      await listener.waitFor('stderr', /Ready!/);
      const trigger = new CliProcess([
        'trigger',
        'customer.created',
        '--api-key',
        reader.secretKey,
        '--api-base',
        sharedBase(),
      ]);
      expect(await trigger.exited, trigger.stderr).toBe(0);
      await listener.waitFor(
        'stdout',
        new RegExp(`^${TIME}            \\[ERROR\\] Failed to POST: .*ECONNREFUSED`, 'm'),
      );
      expect(listener.stderr).not.toContain('Could not report');
    } finally {
      listener.child.kill('SIGINT');
      await listener.exited;
    }
  });

  it('a trigger the sandbox refuses prints its message, exits 1, and runs no later step', async () => {
    const reader = await newReaderWithKeys(sharedBase());
    const before = await sdk(reader.secretKey, sharedBase()).customers.list();
    const trigger = new CliProcess([
      'trigger',
      'customer.updated',
      '--override',
      'customer:email=not-an-email',
      '--api-key',
      reader.secretKey,
      '--api-base',
      sharedBase(),
    ]);
    expect(await trigger.exited).toBe(1);
    expect(trigger.stderr).toMatch(/^Trigger failed: Invalid email address: not-an-email/m);
    expect(trigger.stdout).not.toContain('customer_updated');
    expect(trigger.stdout).not.toContain('Trigger succeeded');
    expect((await sdk(reader.secretKey, sharedBase()).customers.list()).data).toEqual(before.data);

    const unknown = new CliProcess([
      'trigger',
      'charge.succeeded',
      '--api-key',
      reader.secretKey,
      '--api-base',
      sharedBase(),
    ]);
    expect(await unknown.exited).toBe(1);
    expect(unknown.stderr).toContain('The event `charge.succeeded` is not supported by Keyway CLI.');
    expect(unknown.stderr).toContain('  customer.deleted');
  });

  it('reconnects when the stream drops, and says so', async () => {
    // A stand-in server: the first stream ends at once after `ready`, the second stays open.
    let connections = 0;
    const fake = createServer((request, response) => {
      if (!request.url?.startsWith('/v1/keyway/listen')) return response.writeHead(404).end();
      connections++;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('event: ready\ndata: {"secret":"whsec_fake","events":["*"]}\n\n');
      if (connections === 1) response.end();
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const { port } = fake.address() as AddressInfo;
    const listener = new CliProcess([
      'listen',
      '--api-key',
      'sk_test_fake',
      '--api-base',
      `http://127.0.0.1:${port}`,
    ]);
    try {
      await listener.waitFor('stderr', /Ready! Your webhook signing secret is whsec_fake/);
      await listener.waitFor(
        'stderr',
        /Lost the connection to http:\/\/127\.0\.0\.1:\d+ \(the server closed the stream\); reconnecting\.\.\./,
      );
      await listener.waitFor('stderr', /^Reconnected\.$/m);
      expect(connections).toBe(2);
      listener.child.kill('SIGINT');
      expect(await listener.exited).toBe(0);
    } finally {
      listener.child.kill('SIGKILL');
      fake.closeAllConnections();
      await new Promise((resolve) => fake.close(resolve));
    }
  });
});
