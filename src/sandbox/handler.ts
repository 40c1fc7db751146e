import { requestSourceOf } from '../isomorphic/command-line/request-source.ts';
import { markKeyUsed, type AuthenticatedKey } from '../lib/keys/api-keys.ts';
import { authenticate, requirePermission } from './auth.ts';
import { maskKey } from '../isomorphic/key-mask.ts';
import {
  DEFAULT_API_VERSION,
  type OperationResult,
  type RecordedEvent,
  type SandboxDeps,
} from './context.ts';
import { errorBody, SandboxError } from './errors.ts';
import { claim, complete, fingerprint, idempotencyKeyOf } from './idempotency.ts';
import { newRequestId } from './ids.ts';
import { messages } from './messages.ts';
import { decodeForm, discardUnreadBody, readBodyParams, type Decoded } from './params.ts';
import { databaseWindows, enforceRateLimit, type RateWindows } from './rate-limit.ts';
import { redactJson, redactText } from './redaction.ts';
import { writeLog, type LogEntry } from './request-log.ts';
import { routeFor, validateRouteParams } from './router.ts';
import { TracedRefusal, type RefusalTrace } from './traced-refusal.ts';

import { API_VERSION_PATTERN as API_VERSION } from '../spec/version.ts';

/**
 * The sandbox API: a `Request` in, a `Response` out, in Stripe's wire format. Each request
 * goes through, in order: the URL, the API version, the key (401/403), the rate limit
 * (429), the restricted key's permission, the parameters (400/413), the idempotency key,
 * then the operation. Every request a key of an account can be traced to is logged, without
 * waiting, refusals of that key included (at most the rate limit's worth a second, so a flood
 * of them cannot grow the log faster than working requests can); a refused sample key whose
 * guest sandbox does not exist is told to its reader's walkthrough alone.
 */
export async function handleSandboxRequest(request: Request, deps: SandboxDeps): Promise<Response> {
  const now = deps.now?.() ?? Date.now();
  const started = performance.now();
  const requestId = newRequestId();
  const url = new URL(request.url);
  const method = request.method.toUpperCase();
  const requestedVersion = request.headers.get('stripe-version');
  const apiVersion =
    requestedVersion && API_VERSION.test(requestedVersion) ? requestedVersion : DEFAULT_API_VERSION;
  const idempotencyHeader = request.method === 'POST' ? request.headers.get('idempotency-key') : null;

  let authenticated: { key: AuthenticatedKey; presented: string; sample: boolean } | null = null;
  // Whom the request is logged to and told to: the key's account, or a guest-to-be's reader.
  let traced: RefusalTrace | null = null;
  // The dashboard's log entry for this request, linked from error bodies; a guest has none.
  // Asked only when an error body is made: telling a sample key costs an HMAC.
  const logUrlId = () => (authenticated && !authenticated.sample ? requestId : null);
  let query: Decoded | null = null;
  let body: Decoded | null = null;
  let result: OperationResult;
  let replayed = false;
  let extraHeaders: Record<string, string> = {};

  try {
    const found = routeFor(method, url.pathname, deps.origin);
    if (requestedVersion !== null && !API_VERSION.test(requestedVersion)) {
      throw new SandboxError(400, messages.invalidApiVersion(requestedVersion.slice(0, 60)), {
        code: 'api_version_invalid',
      });
    }
    authenticated = await authenticate(deps.db, request, deps.origin, now, deps.guests);
    const { key, presented } = authenticated;
    traced = { key, maskedKey: maskKey(presented) };
    await enforceRateLimit(rateWindowsOf(deps), key.id, deps.rateLimitPerSecond, now, deps.origin);
    requirePermission(key, presented, found.route.operation.resource, found.route.operation.access);

    query = decodeForm(url.search.slice(1));
    body = method === 'POST' ? await readBodyParams(request) : {};
    const params = validateRouteParams(found.route, { ...query, ...body });
    const idempotencyKey = idempotencyKeyOf(request);
    const scope = idempotencyKey ? { accountId: key.accountId, mode: key.mode, key: idempotencyKey } : null;
    const saved = scope
      ? await claim(deps.db, scope, fingerprint(method, url.pathname, { ...query, ...body }), now)
      : null;
    if (saved) {
      result = saved;
      replayed = true;
    } else {
      const recordedEvents: RecordedEvent[] = [];
      result = await runOperation(
        () =>
          found.route.run({
            db: deps.db,
            accountId: key.accountId,
            mode: key.mode,
            objectId: found.objectId,
            params,
            requestId,
            idempotencyKey,
            apiVersion,
            now,
            recordedEvents,
            webhookTargets: deps.webhookTargets ?? { allowPrivate: false },
          }),
        deps.origin,
        logUrlId,
      );
      // An operation that failed rolled its transaction back, events included.
      if (result.status < 400 && recordedEvents.length > 0) deps.onEvents?.(recordedEvents);
      if (scope) await complete(deps.db, scope, result);
    }
    markKeyUsed(deps.db, key, now).catch((error: unknown) =>
      console.error('Could not mark a key used:', error),
    );
  } catch (error) {
    const failure = asSandboxError(error);
    if (failure instanceof TracedRefusal) traced = await withinLogBudget(deps, failure.trace, now);
    extraHeaders = failure.headers;
    result = {
      status: failure.status,
      body: errorBody(failure, deps.origin, logUrlId()),
    };
  }

  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'request-id': requestId,
    'stripe-version': apiVersion,
    ...extraHeaders,
  };
  if (idempotencyHeader) headers['idempotency-key'] = idempotencyHeader.slice(0, 255);
  if (!(await discardUnreadBody(request).catch(() => false))) headers.connection = 'close';
  if (replayed) headers['idempotent-replayed'] = 'true';

  const source = requestSourceOf(request.headers.get('keyway-source'));
  if (traced && 'key' in traced) {
    const entry: LogEntry = {
      id: requestId,
      accountId: traced.key.accountId,
      mode: traced.key.mode,
      keyId: traced.key.id,
      maskedKey: traced.maskedKey,
      source,
      method,
      path: url.pathname,
      status: result.status,
      durationMs: performance.now() - started,
      idempotencyKey: idempotencyHeader,
      query,
      body,
      response: result.body,
      userAgent: request.headers.get('user-agent'),
      createdMs: now,
    };
    // Live notices get the entry as written: redacted, like the log.
    void writeLog(deps.db, entry).then((written) => {
      if (written) deps.onLogged?.(written);
    });
  } else if (traced) {
    deps.onGuestRefusal?.({
      guestKeyHash: traced.guestKeyHash,
      id: requestId,
      method,
      path: redactText(url.pathname),
      status: result.status,
      source,
      response: redactJson(result.body),
      createdMs: now,
    });
  }
  return new Response(JSON.stringify(result.body, null, 2), { status: result.status, headers });
}

/**
 * Runs an operation. A SandboxError it throws (a missing object) is its answer; anything
 * else is a bug, answered with a 500 `api_error` (and saved for idempotent replays, as
 * Stripe does) and reported to the server log.
 */
async function runOperation(
  operation: () => Promise<OperationResult>,
  origin: string,
  logUrlId: () => string | null,
): Promise<OperationResult> {
  try {
    return await operation();
  } catch (error) {
    const failure = asSandboxError(error);
    return { status: failure.status, body: errorBody(failure, origin, logUrlId()) };
  }
}

/**
 * The trace of a refusal, or null past the refused key's rate limit: a refused key of an
 * account is counted in its one-second window like a working key, so a flood of refusals
 * writes no more rows a second than the limit. A sample key's refusal writes no row.
 */
async function withinLogBudget(
  deps: SandboxDeps,
  trace: RefusalTrace,
  now: number,
): Promise<RefusalTrace | null> {
  if (!('key' in trace)) return trace;
  let count: number;
  try {
    count = await rateWindowsOf(deps).count(trace.key.id, now);
  } catch (error) {
    console.error('Could not count a refused key in its rate window:', error);
    return null;
  }
  return count <= deps.rateLimitPerSecond ? trace : null;
}

/** Where the sandbox counts each key's requests: the database unless the server says otherwise. */
function rateWindowsOf(deps: SandboxDeps): RateWindows {
  return deps.rateWindows ?? databaseWindows(deps.db);
}

function asSandboxError(error: unknown): SandboxError {
  if (error instanceof SandboxError) return error;
  console.error('Sandbox request failed:', error);
  return new SandboxError(500, messages.internal, { type: 'api_error' });
}
