import type { KeywayConfig } from '../lib/config/config.ts';
import { getDatabase } from '../lib/db/index.ts';
import { requestBus } from '../lib/live/request-bus.ts';
import { noticeFrom } from '../lib/live/streams.ts';
import { sampleKeySecret } from '../lib/keys/sample-key-secret.ts';
import { apiOrigin } from '../lib/http/api-origin.ts';
import { handleSandboxRequest } from './handler.ts';
import { databaseWindows, processWindows, type RateWindows } from './rate-limit.ts';
import { servedByOneProcess } from '../lib/config/database-url.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../lib/db/schema.ts';

/**
 * The sandbox behind this site's configuration: its database, rate limit, the origin its
 * messages link to, and the bus that carries requests to live walkthroughs. Both the
 * production server and Astro's `/v1` route call this. `clientAddress` is whom a new guest
 * sandbox counts against (guests are limited per address).
 */
export async function serveSandbox(
  config: KeywayConfig,
  request: Request,
  clientAddress: string,
): Promise<Response> {
  const { db } = await getDatabase(config.database);
  const url = new URL(request.url);
  const origin = apiOrigin(config.publicOrigin, request.headers.get('host'), url.protocol === 'https:');
  return handleSandboxRequest(request, {
    db,
    origin: origin.origin,
    rateLimitPerSecond: config.sandboxRateLimit,
    rateWindows: sandboxRateWindows(config, db),
    guests: { secret: await sampleKeySecret(db, config.sampleKeySecret), clientAddress },
    webhookTargets: { allowPrivate: config.webhookPrivateTargets },
    // The live walkthrough hears of every logged request, in whichever process holds it.
    onLogged: (entry) =>
      requestBus().publish(
        noticeFrom({
          id: entry.id,
          account_id: entry.accountId,
          mode: entry.mode,
          method: entry.method,
          path: entry.path,
          status: entry.status,
          source: entry.source,
          response: entry.response,
          created_ms: entry.createdMs,
        }),
      ),
    // Webhook delivery and `keyway listen`, in whichever process, hear of every committed event.
    onEvents: (events) => {
      for (const { id, ...event } of events) requestBus().publishEvent({ ...event, eventId: id });
    },
    // A reader whose sample key could not start its guest sandbox hears why, on their walkthrough.
    onGuestRefusal: (refusal) =>
      requestBus().publish({
        ...noticeFrom({ ...refusal, account_id: null, mode: 'test', created_ms: refusal.createdMs }),
        guestKeyHash: refusal.guestKeyHash,
      }),
  });
}

/**
 * Where this site counts each key's sandbox requests; everything that counts against a key
 * (the API, `keyway listen`, MCP tools) counts here, so they share one limit. Processes that
 * share a database must share the count, so it is kept there; the one process serving an
 * SQLite file counts in memory and spares a write per request.
 */
export function sandboxRateWindows(config: KeywayConfig, db: Kysely<Database>): RateWindows {
  return servedByOneProcess(config.database) ? processWindows(db) : databaseWindows(db);
}
