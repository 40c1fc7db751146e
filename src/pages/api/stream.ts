import type { APIContext } from 'astro';
import { sha256Hex } from '../../lib/crypto.ts';
import { loadConfig } from '../../lib/config/config.ts';
import { database } from '../../lib/db/index.ts';
import { requestBus } from '../../lib/live/request-bus.ts';
import { StreamHub, type LiveStream } from '../../lib/live/stream-hub.ts';
import { StreamSlots } from '../../lib/live/stream-slots.ts';
import { latestNotice } from '../../lib/live/streams.ts';
import { OPERATIONS, type OperationSpec } from '../../spec/operations.ts';
import { readerScope } from '../../lib/reader/scope.ts';
import { parseCookies, sampleKeysCookieName } from '../../lib/reader/cookies.ts';
import type { Reader } from '../../lib/reader/reader.ts';

const config = loadConfig();
const slots = new StreamSlots(config.liveStreams);
/** A page's steps are few; more `operation`s than this are ignored rather than each costing a query. */
const MAX_OPERATIONS = 4;
let hub: StreamHub | null = null;

/**
 * Server-Sent Events: the reader's own sandbox requests as they arrive, whichever process
 * served them and wherever they came from (the page, the shell, curl, an SDK). Scoped to
 * the reader's account or guest sandbox; at most a few streams per reader, per address and
 * per process; a member's stream ends with their session; idle streams are closed (the
 * browser's EventSource reconnects by itself).
 *
 * The first message is the latest request already made: to each operation named by an
 * `operation` parameter (`?operation=create-customer`), so a walkthrough step shows only a
 * request that belongs to it; to any operation when the page names none.
 */
export async function GET(context: APIContext): Promise<Response> {
  const { reader } = context.locals;
  if (
    reader.keySource === 'sample' &&
    !keyCameWith(context.request, reader.secretKey, context.locals.secure)
  ) {
    // Keys minted for this very request belong to no page the reader has seen: there is
    // nothing to follow, and holding a slot for it would let one client hold any number.
    return text(409, 'There is nothing to follow yet: open a docs page first, then its walkthrough.');
  }
  const claim = slots.claim({ reader: readerSlot(reader), address: context.locals.clientAddress });
  if (!claim.ok) return text(429, claim.message);
  const { db } = await database();
  hub ??= new StreamHub(db, requestBus(), config.liveStreams);
  const streams = hub;
  const accountId = await readerScope(db, reader).accountId();
  const encoder = new TextEncoder();
  let stop = () => {};

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let ended = false;
      const stream: LiveStream = {
        member: reader.member,
        send: (message) => {
          try {
            controller.enqueue(encoder.encode(message));
          } catch {
            stream.end();
          }
        },
        end: () => {
          if (ended) return;
          ended = true;
          streams.remove(stream);
          claim.release();
          try {
            controller.close();
          } catch {
            // Already closed by the client.
          }
        },
      };
      stop = stream.end;
      // A client already gone never fires `abort`: give its slot back now.
      if (context.request.signal.aborted) return stop();
      context.request.signal.addEventListener('abort', stop);
      stream.send('retry: 2000\n\n');
      streams.add(stream, accountId ? { accountId } : { guestKeyHash: sha256Hex(reader.secretKey) });
      const operations = namedOperations(new URL(context.request.url).searchParams);
      const latest = accountId
        ? await Promise.all(
            operations
              ? operations.map((operation) => latestNotice(db, accountId, operation))
              : [latestNotice(db, accountId)],
          )
        : [];
      const found = latest.filter((notice) => notice !== null);
      for (const notice of found) stream.send(`event: latest\ndata: ${JSON.stringify(notice)}\n\n`);
      if (found.length === 0) stream.send('event: waiting\ndata: {}\n\n');
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    },
  });
}

/** The operations named by `operation` parameters (unknown names are left out); null when none is given. */
function namedOperations(params: URLSearchParams): OperationSpec[] | null {
  const named = params.getAll('operation');
  if (named.length === 0) return null;
  return (OPERATIONS as readonly OperationSpec[]).filter((operation) =>
    named.slice(0, MAX_OPERATIONS).includes(operation.id),
  );
}

/** Whose slots a stream counts against: a member's session, or an anonymous reader's keys. */
function readerSlot(reader: Reader): string {
  return reader.member ? `session:${reader.member.sessionId}` : `sample:${reader.secretKey}`;
}

/**
 * Whether the reader's sample key came with the request in its cookie, rather than being
 * minted for it (no cookie, or one that did not hold a valid key).
 */
function keyCameWith(request: Request, secretKey: string, secure: boolean): boolean {
  return parseCookies(request.headers.get('cookie'))[sampleKeysCookieName(secure)] === secretKey;
}

function text(status: number, message: string): Response {
  return new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
