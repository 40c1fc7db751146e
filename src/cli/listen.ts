import http from 'node:http';
import https from 'node:https';
import type { ListenCommand } from '../isomorphic/command-line/webhook-commands.ts';
import { readEventStream } from '../isomorphic/webhooks/event-stream.ts';
import { invalidEventWarning } from '../isomorphic/webhooks/listen-events.ts';
import {
  eventLine,
  forwardErrorLine,
  readyLine,
  responseLine,
} from '../isomorphic/webhooks/listen-output.ts';
import { webhookSignatureHeader } from '../isomorphic/webhook-signature.ts';

/** Where the CLI talks to and with which key. */
export interface Connection {
  apiKey: string;
  apiBase: string;
}

/** Where the CLI writes a line (stdout for events, stderr for everything else, as Stripe's CLI). */
export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** How long a forward may take, as the Stripe CLI's default `--timeout`. */
const FORWARD_TIMEOUT_MS = 30_000;
/** Waits between reconnection attempts, growing to the last and staying there. */
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000, 10_000];

/** A refusal from the server: its status and Stripe-style error message. */
class ServerRefusal extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Why a request failed: fetch's own message ("fetch failed") hides the cause, so the cause's. */
function reasonOf(error: unknown): string {
  const cause = (error as Error).cause;
  return cause instanceof Error ? cause.message : (error as Error).message;
}

function endpoint(connection: Connection, path: string): URL {
  return new URL(path, `${connection.apiBase.replace(/\/+$/, '')}/`);
}

function authorization(connection: Connection): Record<string, string> {
  return { authorization: `Bearer ${connection.apiKey}` };
}

/** The error message of a failed response: the sandbox's JSON error, or the text as it came. */
async function refusalOf(response: Response): Promise<ServerRefusal> {
  const text = await response.text();
  try {
    const message = (JSON.parse(text) as { error?: { message?: string } }).error?.message;
    if (message) return new ServerRefusal(response.status, message);
  } catch {
    // Not JSON: a proxy's page, say.
  }
  return new ServerRefusal(response.status, `The server answered ${response.status}: ${text.slice(0, 200)}`);
}

/**
 * `keyway listen`: follows the key's events on the server's stream, prints each, and forwards
 * it, signed, to `--forward-to` when given, reporting what the handler answered. Resolves to
 * the exit code: 0 after ^C (or `--print-secret`), 1 when the server refuses the key.
 */
export async function runListen(
  command: ListenCommand,
  connection: Connection,
  output: Output,
  stop: AbortSignal,
): Promise<number> {
  for (const name of command.invalidEvents) output.err(invalidEventWarning(name));
  if (command.events.length === 0) {
    output.err('None of the names given to --events is an event type: there is nothing to listen for.');
    return 1;
  }
  if (command.printSecret) return printSecret(connection, output);
  output.err('Getting ready...');
  const streamUrl = endpoint(connection, '/v1/keyway/listen');
  streamUrl.searchParams.set('events', command.events.join(','));
  let ready = false;
  let failures = 0;
  let secret = '';
  while (!stop.aborted) {
    let reason: string;
    try {
      const response = await fetch(streamUrl, {
        headers: { ...authorization(connection), accept: 'text/event-stream' },
        signal: stop,
      });
      if (!response.ok) throw await refusalOf(response);
      for await (const message of readEventStream(response.body!)) {
        if (message.event === 'ready') {
          ({ secret } = JSON.parse(message.data) as { secret: string });
          output.err(ready ? 'Reconnected.' : readyLine(secret));
          ready = true;
          failures = 0;
        } else if (message.event === 'webhook') {
          handleEvent(message.data, secret, command, connection, output).catch((error: Error) =>
            output.err(`Could not handle an event from the stream: ${error.message}`),
          );
        } else if (message.event === 'end') {
          output.err((JSON.parse(message.data) as { message: string }).message);
          return 1;
        }
      }
      reason = 'the server closed the stream';
    } catch (error) {
      if (stop.aborted) break;
      if (error instanceof ServerRefusal && error.status < 500) {
        output.err(error.message);
        return 1;
      }
      if (!ready) {
        output.err(
          `Could not listen on ${connection.apiBase}: ${reasonOf(error)}. Is the Keyway server running (npm start)?`,
        );
        return 1;
      }
      reason = reasonOf(error);
    }
    if (stop.aborted) break;
    const delay = RECONNECT_DELAYS_MS[Math.min(failures++, RECONNECT_DELAYS_MS.length - 1)]!;
    output.err(`Lost the connection to ${connection.apiBase} (${reason}); reconnecting...`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      stop.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  return 0;
}

async function printSecret(connection: Connection, output: Output): Promise<number> {
  try {
    const response = await fetch(endpoint(connection, '/v1/keyway/listen/secret'), {
      headers: authorization(connection),
    });
    if (!response.ok) throw await refusalOf(response);
    const { secret } = (await response.json()) as { secret: string };
    output.out(secret);
    return 0;
  } catch (error) {
    output.err(
      error instanceof ServerRefusal
        ? error.message
        : `Could not reach ${connection.apiBase}: ${reasonOf(error)}`,
    );
    return 1;
  }
}

/** Prints one event and, with `--forward-to`, forwards it and reports how that went. */
async function handleEvent(
  raw: string,
  secret: string,
  command: ListenCommand,
  connection: Connection,
  output: Output,
): Promise<void> {
  const event = JSON.parse(raw) as { id: string; type: string };
  output.out(eventLine(new Date(), event.type, event.id));
  if (!command.forwardTo) return;
  const started = Date.now();
  const signature = await webhookSignatureHeader(raw, secret);
  const outcome = await postEvent(command.forwardTo, raw, signature, command);
  const durationMs = Date.now() - started;
  if ('status' in outcome) output.out(responseLine(new Date(), outcome.status, command.forwardTo, event.id));
  else output.out(forwardErrorLine(new Date(), outcome.error));
  try {
    const response = await fetch(endpoint(connection, '/v1/keyway/listen/results'), {
      method: 'POST',
      headers: { ...authorization(connection), 'content-type': 'application/json' },
      body: JSON.stringify({
        event_id: event.id,
        url: command.forwardTo,
        status: 'status' in outcome ? outcome.status : null,
        error: 'error' in outcome ? outcome.error.slice(0, 1000) : null,
        duration_ms: durationMs,
      }),
    });
    if (!response.ok)
      output.err(`Could not report the result of ${event.id}: ${(await refusalOf(response)).message}`);
  } catch (error) {
    output.err(`Could not report the result of ${event.id}: ${reasonOf(error)}`);
  }
}

/**
 * POSTs the event's exact bytes as Stripe does: JSON, signed, redirects not followed (a 3xx is
 * the handler's answer, and a failure), given up after 30 s. `--skip-verify` accepts an HTTPS
 * handler's self-signed certificate.
 */
function postEvent(
  target: string,
  body: string,
  signature: string,
  command: ListenCommand,
): Promise<{ status: number } | { error: string }> {
  const url = new URL(target);
  const client = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-cache',
    accept: '*/*; q=0.5, application/xml',
    'user-agent': 'Keyway/1.0 (keyway listen)',
    'content-length': String(Buffer.byteLength(body)),
  };
  for (const [name, value] of command.headers) headers[name.toLowerCase()] = value;
  headers['stripe-signature'] = signature;
  return new Promise((resolve) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers,
        signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
        ...(url.protocol === 'https:' && command.skipVerify ? { rejectUnauthorized: false } : {}),
      },
      (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0 });
      },
    );
    request.on('error', (error: Error) =>
      resolve({
        error:
          error.name === 'TimeoutError' || error.name === 'AbortError'
            ? `no answer within ${FORWARD_TIMEOUT_MS / 1000} s`
            : error.message,
      }),
    );
    request.end(body);
  });
}
