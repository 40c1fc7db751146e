import type { APIContext } from 'astro';
import { database } from '../../lib/db/index.ts';
import { requestBus, type RequestNotice } from '../../lib/live/request-bus.ts';
import { claimStreamSlot, latestNotice, readerScope, STREAM_IDLE_MS } from '../../lib/live/streams.ts';

const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events: the reader's own sandbox requests as they arrive, whichever process
 * served them and wherever they came from (the page, the shell, curl, an SDK). Scoped to
 * the reader's account or guest sandbox; at most a few streams per reader; idle streams
 * are closed (the browser's EventSource reconnects by itself).
 */
export async function GET(context: APIContext): Promise<Response> {
  const { reader } = context.locals;
  const release = claimStreamSlot(reader);
  if (!release) {
    return new Response('Too many open streams: close another tab showing the walkthrough.', { status: 429 });
  }
  const { db } = await database();
  const scope = readerScope(db, reader);
  const encoder = new TextEncoder();
  let stop = () => {};

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const sendNotice = (notice: RequestNotice) =>
        send(`event: request\nid: ${notice.requestId}\ndata: ${JSON.stringify(notice)}\n\n`);
      let idle = setTimeout(() => stop(), STREAM_IDLE_MS);
      const unsubscribe = requestBus().subscribe((notice) => {
        void scope.owns(notice).then((mine) => {
          if (!mine) return;
          clearTimeout(idle);
          idle = setTimeout(() => stop(), STREAM_IDLE_MS);
          sendNotice(notice);
        });
      });
      const heartbeat = setInterval(() => send(': keep-alive\n\n'), HEARTBEAT_MS);
      // A member removed, lowered to a role without keys, or switched to another account:
      // end the stream now. The browser reconnects, as whoever the reader now is.
      const member = reader.keySource === 'account' ? reader.member : null;
      const unsubscribeAccess = member
        ? requestBus().subscribeAccessChanges((change) => {
            if (change.accountId === member.accountId && change.userId === member.userId) stop();
          })
        : () => {};
      stop = () => {
        clearTimeout(idle);
        clearInterval(heartbeat);
        unsubscribe();
        unsubscribeAccess();
        release();
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      context.request.signal.addEventListener('abort', () => stop());
      send('retry: 2000\n\n');
      const accountId = await scope.accountId();
      const latest = accountId ? await latestNotice(db, accountId) : null;
      send(latest ? `event: latest\ndata: ${JSON.stringify(latest)}\n\n` : 'event: waiting\ndata: {}\n\n');
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
