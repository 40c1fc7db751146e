import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.ts';
import { newReaderWithKeys, sleep, throttledFetch, type Reader } from '../support/sandbox.ts';

/**
 * 50 clients (50 accounts, a key each) create customers at once for 20 s against a server
 * of their own; every customer a 2xx answer announced must then be there exactly once. The
 * server is then killed with SIGKILL in the middle of a second burst and restarted on the
 * same database file: every announced customer must have survived, none twice.
 */

const CLIENTS = 50;
const LOAD_MS = 20_000;

interface Client {
  reader: Reader;
  /** Paced under the 25/s per-key limit: the limit is not what this test is about. */
  fetch: typeof fetch;
  /** Ids of the customers a 2xx answer announced, in order. */
  created: string[];
  sent: number;
  /** Statuses other than 200, and connection errors, by name. */
  other: Map<string, number>;
}

let folder: string;
let databaseUrl: string;
let server: RunningServer;
const clients: Client[] = [];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'keyway-load-'));
  databaseUrl = `file:${join(folder, 'keyway.sqlite')}`;
  server = await startServer({ DATABASE_URL: databaseUrl });
  // Sign-ups hash passwords; ten at a time keeps that from crowding the machine.
  for (let i = 0; i < CLIENTS; i += 10) {
    const readers = await Promise.all(
      Array.from({ length: Math.min(10, CLIENTS - i) }, () => newReaderWithKeys(server.baseUrl)),
    );
    for (const reader of readers)
      clients.push({ reader, fetch: throttledFetch(20), created: [], sent: 0, other: new Map() });
  }
});

afterAll(async () => {
  // A SIGKILLed server has exited already; stop() is for the one still running.
  if (server?.process.exitCode === null && server.process.signalCode === null) await server.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** One client creating customers one after another until `until()` says stop. */
async function drive(client: Client, base: string, until: () => boolean, phase: string): Promise<void> {
  const tally = (what: string) => client.other.set(what, (client.other.get(what) ?? 0) + 1);
  while (!until()) {
    const n = client.sent++;
    try {
      const response = await client.fetch(`${base}/v1/customers`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${client.reader.secretKey}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          email: `load.${n}@example.com`,
          'metadata[phase]': phase,
          'metadata[n]': String(n),
        }).toString(),
      });
      const body = (await response.json()) as { id?: string };
      if (response.status === 200 && body.id) client.created.push(body.id);
      else tally(String(response.status));
    } catch (error) {
      tally((error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
      // The server is gone (the SIGKILL phase): stop rather than spin.
      return;
    }
  }
}

/** Every customer of the client's account, through the API, newest first. */
async function listAll(
  client: Client,
  base: string,
): Promise<{ id: string; metadata: Record<string, string> }[]> {
  const all: { id: string; metadata: Record<string, string> }[] = [];
  let cursor: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: '100', ...(cursor ? { starting_after: cursor } : {}) });
    const response = await client.fetch(`${base}/v1/customers?${query}`, {
      headers: { authorization: `Bearer ${client.reader.secretKey}` },
    });
    expect(response.status).toBe(200);
    const page = (await response.json()) as {
      has_more: boolean;
      data: { id: string; metadata: Record<string, string> }[];
    };
    all.push(...page.data);
    if (!page.has_more) return all;
    cursor = page.data.at(-1)!.id;
  }
}

/** No id twice in the account; every announced one present; at most `extra` more. */
async function expectAccountsConsistent(
  base: string,
  extraAllowed: (client: Client) => number,
): Promise<void> {
  for (const client of clients) {
    const listed = await listAll(client, base);
    const ids = listed.map((customer) => customer.id);
    expect(new Set(ids).size, 'an id listed twice').toBe(ids.length);
    expect(new Set(client.created).size, 'an id announced twice').toBe(client.created.length);
    const present = new Set(ids);
    const missing = client.created.filter((id) => !present.has(id));
    expect(missing, 'customers a 2xx announced but the account does not have').toEqual([]);
    const extra = ids.length - client.created.length;
    expect(extra).toBeGreaterThanOrEqual(0);
    expect(extra).toBeLessThanOrEqual(extraAllowed(client));
  }
}

describe('50 concurrent clients creating customers', () => {
  it(
    `for ${LOAD_MS / 1000} s: every 2xx customer is retrievable, none twice`,
    { timeout: 60_000 },
    async () => {
      const end = Date.now() + LOAD_MS;
      await Promise.all(
        clients.map((client) => drive(client, server.baseUrl, () => Date.now() >= end, 'steady')),
      );

      const total = clients.reduce((sum, client) => sum + client.created.length, 0);
      const failures = clients.flatMap((client) => [...client.other]);
      console.log(
        `load: ${total} customers created by ${CLIENTS} clients in ${LOAD_MS / 1000} s (${Math.round(total / (LOAD_MS / 1000))}/s)`,
      );
      expect(failures, 'non-2xx answers or errors under load').toEqual([]);
      // How many is the machine's business (the benches measure speed); that every client was
      // served, none starved behind the others, is the server's.
      for (const client of clients)
        expect(client.created.length, 'every client was served').toBeGreaterThan(0);

      await expectAccountsConsistent(server.baseUrl, () => 0);
      // And one by one, a sample of them, as a reader would retrieve them.
      for (const client of clients.slice(0, 10)) {
        for (const id of client.created.filter((_, i) => i % 50 === 0)) {
          const response = await client.fetch(`${server.baseUrl}/v1/customers/${id}`, {
            headers: { authorization: `Bearer ${client.reader.secretKey}` },
          });
          expect(response.status).toBe(200);
          expect(((await response.json()) as { id: string }).id).toBe(id);
        }
      }
    },
  );

  it(
    'after a SIGKILL mid-burst and a restart on the same database, nothing announced is lost or doubled',
    { timeout: 60_000 },
    async () => {
      const before = new Map(clients.map((client) => [client, client.created.length]));
      let killed = false;
      const burst = Promise.all(
        clients.map((client) => drive(client, server.baseUrl, () => killed, 'burst')),
      );
      await sleep(1500);
      const midBurst = clients.reduce((sum, client) => sum + client.created.length - before.get(client)!, 0);
      expect(midBurst, 'the burst was under way when the server was killed').toBeGreaterThan(0);
      server.process.kill('SIGKILL');
      await new Promise((resolve) => server.process.once('exit', resolve));
      killed = true;
      await burst;
      console.log(
        `load: ${clients.reduce((sum, client) => sum + client.created.length - before.get(client)!, 0)} customers announced in the burst before the SIGKILL`,
      );

      server = await startServer({ DATABASE_URL: databaseUrl });
      // A create may have committed with its answer lost to the kill: one per client at most,
      // since each client has one request in flight.
      await expectAccountsConsistent(server.baseUrl, () => 1);
    },
  );
});
