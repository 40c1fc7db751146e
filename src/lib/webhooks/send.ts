import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { webhookSignatureHeader } from '../../isomorphic/webhook-signature.ts';
import {
  checkWebhookTarget,
  WebhookTargetError,
  type CheckedAddress,
  type Lookup,
} from './address-policy.ts';

/** How long one attempt may take in all (connect, send, answer) before it counts as failed. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;

/** How much of a handler's answer is kept: enough to see its error, never a whole page. */
export const RESPONSE_BODY_LIMIT = 1024;

/** What one POST to a handler came to. */
export interface AttemptOutcome {
  /** The handler's HTTP status; null when no answer came. */
  status: number | null;
  /** Why the attempt failed, in words; null when a 2xx came back. */
  error: string | null;
  /** The first kilobyte of the answer's body; null when no answer came. */
  responseBody: string | null;
  durationMs: number;
  succeeded: boolean;
}

export interface SendOptions {
  url: string;
  /** The event exactly as stored: the bytes that are signed are the bytes that are sent. */
  body: string;
  secret: string;
  userAgent: string;
  /** `config.webhookPrivateTargets`. */
  allowPrivate: boolean;
  timeoutMs?: number;
  /** Host resolution, for tests; the system's by default. */
  lookup?: Lookup;
  /** Ends the attempt early (the worker stopping). */
  signal?: AbortSignal;
  /** Unix seconds to sign with; now by default. */
  timestamp?: number;
}

/**
 * A `net` lookup that answers with the address the policy checked, whatever the name resolves
 * to now: resolving again could give an address that was never checked (DNS rebinding).
 */
function pinnedLookup(checked: CheckedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: checked.address, family: checked.family }]);
    else callback(null, checked.address, checked.family);
  };
}

/**
 * POSTs a signed event to a handler, once. Node's own http client rather than fetch, because
 * delivery needs what fetch hides: the connection goes to the checked address (not a second
 * resolution), redirects are not followed (Stripe counts a 3xx as a failure), one deadline
 * covers the whole attempt, and only the first kilobyte of the answer is read.
 * Never throws: every way an attempt can fail is an outcome with an error.
 */
export async function sendWebhook(options: SendOptions): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failed = (error: string, status: number | null = null, responseBody: string | null = null) => ({
    status,
    error,
    responseBody,
    durationMs: elapsed(),
    succeeded: false,
  });

  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return failed(`${options.url} is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return failed(`Webhooks are sent over http or https, not ${url.protocol.replace(/:$/, '')}.`);

  let checked: CheckedAddress;
  try {
    checked = await checkWebhookTarget(url, options.allowPrivate, options.lookup);
  } catch (error) {
    if (error instanceof WebhookTargetError) return failed(error.message);
    return failed(`The host could not be checked: ${(error as Error).message}`);
  }

  const timeoutMs = options.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const signature = await webhookSignatureHeader(options.body, options.secret, options.timestamp);
  const body = Buffer.from(options.body, 'utf8');
  const client = url.protocol === 'https:' ? https : http;

  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      request.destroy();
      resolve(outcome);
    };
    const request = client.request(url, {
      method: 'POST',
      // The Host header and TLS server name stay the URL's host; only the address is pinned.
      lookup: pinnedLookup(checked),
      // A fresh connection each time: a pooled one could outlive the check that allowed it.
      agent: false,
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': String(body.length),
        'Cache-Control': 'no-cache',
        Accept: '*/*; q=0.5, application/xml',
        'User-Agent': options.userAgent,
        'Stripe-Signature': signature,
      },
    });
    const deadline = setTimeout(
      () => finish(failed(`Timed out: no complete answer within ${formatSeconds(timeoutMs)}.`)),
      timeoutMs,
    );
    const onAbort = () => finish(failed('The delivery was stopped before an answer came (server stopping).'));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    request.on('error', (error: NodeJS.ErrnoException) => finish(failed(connectionError(error))));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let kept = 0;
      const done = () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (status >= 200 && status < 300)
          finish({ status, error: null, responseBody: text, durationMs: elapsed(), succeeded: true });
        else if (status >= 300 && status < 400) {
          const location = response.headers.location;
          finish(
            failed(
              `Redirects are not followed: the handler answered ${status}${location ? ` to ${location}` : ''}. ` +
                'Use the final URL as the endpoint.',
              status,
              text,
            ),
          );
        } else finish(failed(`The handler answered ${status}; only a 2xx counts as received.`, status, text));
      };
      response.on('data', (chunk: Buffer) => {
        const room = RESPONSE_BODY_LIMIT - kept;
        chunks.push(chunk.subarray(0, room));
        kept += Math.min(chunk.length, room);
        // The rest of a long answer is not read at all: the connection is closed instead.
        if (kept >= RESPONSE_BODY_LIMIT) done();
      });
      response.on('end', done);
      // A handler that hangs up mid-answer still answered: its status counts.
      response.on('error', () => done());
      response.on('close', done);
    });
    request.end(body);
  });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** A connection failure in words a reader can act on. */
function connectionError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'Connection refused: nothing is listening at that address and port.';
    case 'ECONNRESET':
      return 'The connection was reset before an answer came.';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'The host could not be reached.';
    default:
      if (error.code?.startsWith('ERR_TLS') || /certificate|SSL|TLS/i.test(error.message))
        return `The TLS handshake failed: ${error.message}`;
      return `The request failed: ${error.message}`;
  }
}
