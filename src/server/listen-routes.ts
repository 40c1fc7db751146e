import type http from 'node:http';
import type { KeywayConfig } from '../lib/config/config.ts';
import { getDatabase } from '../lib/db/index.ts';
import { apiOrigin } from '../lib/http/api-origin.ts';
import { authenticateKey, type AuthenticatedKey } from '../lib/keys/api-keys.ts';
import { sampleKeySecret } from '../lib/keys/sample-key-secret.ts';
import { requestBus, type EventNotice } from '../lib/live/request-bus.ts';
import { StreamSlots } from '../lib/live/stream-slots.ts';
import { listenSigningSecret } from '../lib/webhooks/secrets.ts';
import { maskKey } from '../isomorphic/key-mask.ts';
import { listensFor, MAX_LISTEN_EVENTS, readListenEvents } from '../isomorphic/webhooks/listen-events.ts';
import { EVENT_TYPES } from '../spec/objects.ts';
import { authenticate, requirePermission } from '../sandbox/auth.ts';
import { errorBody, SandboxError } from '../sandbox/errors.ts';
import { messages } from '../sandbox/messages.ts';
import { enforceRateLimit } from '../sandbox/rate-limit.ts';
import { sandboxRateWindows } from '../sandbox/serve.ts';

/**
 * `keyway listen`'s side of the server, beside the sandbox under `/v1` (an SDK's base URL
 * reaches it too) and authenticated the same way, by the sandbox's own `authenticate`:
 *
 * - `GET /v1/keyway/listen?events=a,b`: Server-Sent Events. First `ready`, with the key's
 *   signing secret; then a `webhook` message per event of the key's account and mode, its JSON
 *   as stored, read from the database (the bus carries only ids, between processes too).
 * - `GET /v1/keyway/listen/secret`: the signing secret alone (`--print-secret`).
 * - `POST /v1/keyway/listen/results`: what the reader's handler answered to a forward, passed
 *   to the bus so the docs' live guide can show it.
 *
 * Stripe's CLI talks to `/v1/stripecli/sessions` and a websocket; one plain HTTP stream does the
 * same here, and any client that reads SSE can follow it.
 */
export const LISTEN_PATH = '/v1/keyway/listen';
const SECRET_PATH = `${LISTEN_PATH}/secret`;
const RESULTS_PATH = `${LISTEN_PATH}/results`;

/** The largest results body read: its fields together are bounded far below this. */
const MAX_RESULTS_BYTES = 8 * 1024;
/** The longest forward URL and error message a result may report. */
const MAX_URL_LENGTH = 2048;
const MAX_ERROR_LENGTH = 1000;
/** A forward times out after 30 s; a longer duration is not one the CLI measured. */
const MAX_DURATION_MS = 10 * 60 * 1000;
/** An event id as the sandbox makes them, with room. */
const EVENT_ID = /^evt_[0-9A-Za-z]{1,64}$/;

/** The too-many message for one key: it is a terminal, not a tab, that holds these streams. */
const TOO_MANY_FOR_KEY = 'Too many keyway listen sessions for this API key: stop one (^C) and try again.';

let slots: StreamSlots | null = null;

/** Whether a path is one of the listen routes (they are answered here, not by the sandbox). */
export function isListenPath(pathname: string): boolean {
  return pathname === LISTEN_PATH || pathname.startsWith(`${LISTEN_PATH}/`);
}

/** Answers a listen route; `address` is the client's, for the per-address stream limit. */
export async function serveListen(
  config: KeywayConfig,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  address: string,
): Promise<void> {
  const encrypted = 'encrypted' in req.socket && Boolean(req.socket.encrypted);
  const origin = apiOrigin(config.publicOrigin, req.headers.host, encrypted).origin;
  const method = req.method ?? 'GET';
  const route = routeFor(url.pathname);
  try {
    if (!route) throw new SandboxError(404, messages.unknownUrl(method, url.pathname, origin));
    if (method !== route.method) {
      throw new SandboxError(405, messages.methodNotAllowed(method, url.pathname), {
        headers: { allow: route.method },
      });
    }
    const { db } = await getDatabase(config.database);
    const now = Date.now();
    const siteSecret = await sampleKeySecret(db, config.sampleKeySecret);
    // Only the key is read from the request; its body (a result) is read below, once.
    const authorization = req.headers.authorization;
    const request = new Request(`${origin}${LISTEN_PATH}`, {
      headers: authorization === undefined ? {} : { authorization },
    });
    const { key, presented } = await authenticate(db, request, origin, now, {
      secret: siteSecret,
      clientAddress: address,
    });
    requirePermission(key, presented, 'events', 'read');
    await enforceRateLimit(sandboxRateWindows(config, db), key.id, config.sandboxRateLimit, now, origin);
    const secret = listenSigningSecret(siteSecret, presented);
    if (route.name === 'secret') return sendJson(res, 200, { object: 'listen_secret', secret });
    if (route.name === 'results') return await recordResult(config, req, res, key);
    const events = requestedEvents(url.searchParams);
    slots ??= new StreamSlots(config.liveStreams, TOO_MANY_FOR_KEY);
    const claim = slots.claim({ reader: `key:${key.id}`, address });
    if (!claim.ok) throw new SandboxError(429, claim.message, { code: 'rate_limit' });
    openStream(config, req, res, { key, presented, secret, events, origin, release: claim.release });
  } catch (error) {
    if (!(error instanceof SandboxError)) throw error;
    sendJson(res, error.status, errorBody(error, origin, null), error.headers);
  }
}

function routeFor(pathname: string): { name: 'stream' | 'secret' | 'results'; method: string } | null {
  if (pathname === LISTEN_PATH) return { name: 'stream', method: 'GET' };
  if (pathname === SECRET_PATH) return { name: 'secret', method: 'GET' };
  if (pathname === RESULTS_PATH) return { name: 'results', method: 'POST' };
  return null;
}

/** The `events` parameter: a comma list of event types or `*` (the default); any other name is refused. */
function requestedEvents(params: URLSearchParams): string[] {
  const given = params.getAll('events').join(',');
  const { events, invalid } = readListenEvents(given);
  if (invalid.length > 0) {
    const shown = invalid[0]!.slice(0, 100);
    throw new SandboxError(
      400,
      `Invalid events: "${shown}" is not an event type. Listen for * or any of ${EVENT_TYPES.join(', ')}.`,
      { param: 'events' },
    );
  }
  if (events.length > MAX_LISTEN_EVENTS) {
    throw new SandboxError(400, `Invalid events: name at most ${MAX_LISTEN_EVENTS} event types.`, {
      param: 'events',
    });
  }
  return events;
}

interface StreamOptions {
  key: AuthenticatedKey;
  presented: string;
  secret: string;
  events: string[];
  origin: string;
  release: () => void;
}

/**
 * Holds the stream open: each event of the key's account and mode that the listener asked for
 * is read from the database and sent, in the order the bus told of them. Every heartbeat the
 * key is checked again, so a rolled (once expired), deleted or downgraded key ends its streams.
 */
function openStream(
  config: KeywayConfig,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: StreamOptions,
): void {
  const { key, presented, events } = options;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  });
  res.flushHeaders();
  let ended = false;
  let queue = Promise.resolve();
  const send = (text: string) => {
    if (!ended) res.write(text);
  };
  const end = (message?: string) => {
    if (ended) return;
    if (message) send(`event: end\ndata: ${JSON.stringify({ message })}\n\n`);
    ended = true;
    stopEvents();
    clearInterval(heartbeat);
    options.release();
    res.end();
  };
  const forward = async (notice: EventNotice) => {
    const { db } = await getDatabase(config.database);
    const row = await db
      .selectFrom('events')
      .select('event')
      .where('id', '=', notice.eventId)
      .where('account_id', '=', key.accountId)
      .where('mode', '=', key.mode)
      .executeTakeFirst();
    // One line of JSON: exactly the bytes the CLI signs and forwards.
    if (row)
      send(`event: webhook\nid: ${notice.eventId}\ndata: ${JSON.stringify(JSON.parse(row.event))}\n\n`);
  };
  const stopEvents = requestBus().subscribeEvents((notice) => {
    if (notice.accountId !== key.accountId || notice.mode !== key.mode) return;
    if (!listensFor(events, notice.type)) return;
    queue = queue
      .then(() => forward(notice))
      .catch((error: Error) =>
        console.error(`keyway listen could not read ${notice.eventId}: ${error.message}`),
      );
  });
  const heartbeat = setInterval(() => {
    send(': keep-alive\n\n');
    void stillValid(config, presented, key, options.origin).then(
      (refusal) => refusal && end(refusal),
      // The database is away for a moment: keep the stream, check again on the next beat.
      (error: Error) => console.error(`keyway listen could not check a key: ${error.message}`),
    );
  }, config.liveStreams.heartbeatMs);
  heartbeat.unref();
  req.on('close', () => end());
  res.on('close', () => end());
  send(`event: ready\ndata: ${JSON.stringify({ secret: options.secret, events })}\n\n`);
}

/** Why a stream's key no longer works (rolled and expired, deleted, lost its permission), or null. */
async function stillValid(
  config: KeywayConfig,
  presented: string,
  key: AuthenticatedKey,
  origin: string,
): Promise<string | null> {
  const { db } = await getDatabase(config.database);
  const result = await authenticateKey(db, presented, Date.now());
  if ('rejected' in result) {
    return result.rejected === 'expired'
      ? messages.expiredKey(maskKey(presented), origin)
      : messages.invalidKey(maskKey(presented), origin);
  }
  if (result.key.accountId !== key.accountId) return messages.invalidKey(maskKey(presented), origin);
  try {
    requirePermission(result.key, presented, 'events', 'read');
  } catch (error) {
    if (error instanceof SandboxError) return error.message;
    throw error;
  }
  return null;
}

/** A forward's outcome, as the CLI reports it. */
interface ListenResult {
  event_id: string;
  url: string;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

const RESULT_FIELDS = ['event_id', 'url', 'status', 'error', 'duration_ms'];

/** Checks a results body field by field, naming the first one that is wrong. */
function readResult(text: string): ListenResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new SandboxError(400, 'Invalid JSON: the results body must be a JSON object.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SandboxError(400, 'Invalid JSON: the results body must be a JSON object.');
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((name) => !RESULT_FIELDS.includes(name));
  if (unknown !== undefined) {
    throw new SandboxError(400, `Received unknown parameter: ${unknown.slice(0, 100)}`, {
      param: unknown.slice(0, 100),
    });
  }
  const invalid = (param: string, what: string) =>
    new SandboxError(400, `Invalid ${param}: must be ${what}.`, { param });
  const { event_id, url, status, error, duration_ms } = fields;
  if (typeof event_id !== 'string' || !EVENT_ID.test(event_id))
    throw invalid('event_id', 'an event id (evt_…)');
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH) {
    throw invalid('url', `a string of 1 to ${MAX_URL_LENGTH} characters`);
  }
  if (
    status !== null &&
    (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599)
  ) {
    throw invalid('status', 'an HTTP status (100 to 599) or null');
  }
  if (
    error !== null &&
    (typeof error !== 'string' || error.length === 0 || error.length > MAX_ERROR_LENGTH)
  ) {
    throw invalid('error', `a string of 1 to ${MAX_ERROR_LENGTH} characters or null`);
  }
  if ((status === null) === (error === null)) {
    throw new SandboxError(
      400,
      'Give either status (the handler answered) or error (it did not), not both.',
      {
        param: status === null ? 'status' : 'error',
      },
    );
  }
  if (
    !Number.isInteger(duration_ms) ||
    (duration_ms as number) < 0 ||
    (duration_ms as number) > MAX_DURATION_MS
  ) {
    throw invalid('duration_ms', `a whole number of milliseconds from 0 to ${MAX_DURATION_MS}`);
  }
  return fields as unknown as ListenResult;
}

/** Reads the body, refusing one longer than `limit` bytes without reading the rest. */
async function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const tooLarge = (limit: number) =>
  new SandboxError(413, `The results body is larger than ${limit} bytes.`, {
    headers: { connection: 'close' },
  });

/**
 * `POST …/results`: one forward's outcome. The event must be the key's own account's and mode's
 * (another's is a 404, as the sandbox answers for any object it will not show); then the bus
 * carries it to every process, as a delivery with no endpoint.
 */
async function recordResult(
  config: KeywayConfig,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  key: AuthenticatedKey,
): Promise<void> {
  const result = readResult(await readBody(req, MAX_RESULTS_BYTES));
  const { db } = await getDatabase(config.database);
  const event = await db
    .selectFrom('events')
    .select(['type'])
    .where('id', '=', result.event_id)
    .where('account_id', '=', key.accountId)
    .where('mode', '=', key.mode)
    .executeTakeFirst();
  if (!event) {
    throw new SandboxError(404, messages.noSuchObject('event', result.event_id), {
      code: 'resource_missing',
      param: 'event_id',
    });
  }
  const succeeded = result.status !== null && result.status >= 200 && result.status < 300;
  requestBus().publishDelivery({
    accountId: key.accountId,
    mode: key.mode,
    eventId: result.event_id,
    eventType: event.type,
    endpointId: null,
    url: result.url,
    status: result.status,
    error: result.error,
    durationMs: result.duration_ms,
    attempt: 1,
    succeeded,
    createdMs: Date.now(),
  });
  sendJson(res, 200, { object: 'listen_result', event_id: result.event_id, succeeded });
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
