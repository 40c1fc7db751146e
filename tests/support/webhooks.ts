import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import type { Database, KeyMode } from '../../src/lib/db/schema.ts';
import { newEndpointSecret } from '../../src/lib/webhooks/secrets.ts';

/** One request a test receiver got, as it came off the wire. */
export interface Receipt {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The raw body, exactly as sent: signatures are checked over these bytes. */
  body: string;
  receivedMs: number;
}

/** How a receiver answers a request: a status and body, or `hang` (never answers). */
export type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

/** A real HTTP server on loopback that records what it gets and answers as told. */
export interface Receiver {
  url: string;
  port: number;
  receipts: Receipt[];
  /** Decides each answer; the receipt is recorded before it is asked. */
  answer: (receipt: Receipt, index: number) => Answer;
  close: () => Promise<void>;
}

export async function startReceiver(answer: Receiver['answer'] = () => ({ status: 200 })): Promise<Receiver> {
  const receipts: Receipt[] = [];
  const hanging = new Set<http.ServerResponse>();
  const receiver = { receipts, answer } as Receiver;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const receipt: Receipt = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedMs: Date.now(),
      };
      receipts.push(receipt);
      const reply = receiver.answer(receipt, receipts.length - 1);
      if (reply === 'hang') {
        hanging.add(response);
        return;
      }
      response.writeHead(reply.status, reply.headers ?? {});
      response.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.port = port;
  receiver.url = `http://127.0.0.1:${port}/webhook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** Writes an endpoint row as the webhook endpoints API would, and returns its id and secret. */
export async function insertEndpoint(
  db: Kysely<Database>,
  {
    accountId,
    url,
    mode = 'test',
    enabledEvents = ['*'],
    status = 'enabled',
  }: {
    accountId: string;
    url: string;
    mode?: KeyMode;
    enabledEvents?: string[];
    status?: 'enabled' | 'disabled';
  },
): Promise<{ id: string; secret: string }> {
  const now = Date.now();
  const id = `we_${Math.random().toString(36).slice(2, 14).padEnd(12, '0')}${now.toString(36)}`;
  const secret = newEndpointSecret();
  await db
    .insertInto('webhook_endpoints')
    .values({
      id,
      account_id: accountId,
      mode,
      url,
      description: null,
      enabled_events: JSON.stringify(enabledEvents),
      metadata: '{}',
      status,
      api_version: null,
      secret,
      created: Math.floor(now / 1000),
      created_ms: now,
    })
    .execute();
  return { id, secret };
}
