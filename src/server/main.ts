/**
 * Keyway's production server. It embeds Astro's request handler and answers docs pages
 * from a cache of rendered templates, filling in each reader's keys itself, because Astro's
 * per-request pipeline costs more than the speed budget allows (a personalized page at
 * >= 0.8x a static file; ARCHITECTURE.md, "Why pages are templates with stand-ins").
 * Everything else goes to Astro unchanged.
 *
 * Run: `npm start`, which runs this module as `astro build` bundled it into plain JavaScript
 * (dist/node-server/main.mjs; see scripts/server-command.mjs).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../lib/config/config.ts';
import { closeDatabase, getDatabase } from '../lib/db/index.ts';
import { schedulePurge } from '../lib/maintenance/retention.ts';
import { requestBus } from '../lib/live/request-bus.ts';
import { TEMPLATE_SECRET_ENV } from '../lib/page-template/template-header.ts';
import { DeliveryWorker } from '../lib/webhooks/worker.ts';
import { createPageServer } from './page-server.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

// Open and migrate the database before taking requests, so a bad path, an unreachable
// server or a failed migration stops start-up with its reason.
let deliveries: DeliveryWorker;
try {
  const database = await getDatabase(config.database);
  console.log(`Database: ${database.description}`);
  schedulePurge(database.db);
  await requestBus().connect(config.database);
  // Webhook deliveries owed from before a restart are sent as soon as the worker looks.
  deliveries = new DeliveryWorker({
    db: database.db,
    databaseKind: config.database.kind,
    allowPrivate: config.webhookPrivateTargets,
    userAgent: `Keyway/1.0 (+${config.publicOrigin?.origin ?? `http://${config.host}:${config.port}`}/docs)`,
  });
  deliveries.start();
} catch (error) {
  console.error(`Keyway cannot start: ${(error as Error).message}`);
  process.exit(1);
}

// Only this process may ask Astro for an unfilled template (see src/middleware.ts).
process.env[TEMPLATE_SECRET_ENV] = randomBytes(24).toString('base64url');
// Import Astro's standalone handler without letting it start a server of its own.
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
process.env.ASTRO_NODE_LOGGING = 'disabled';
const entry = new URL('../../dist/server/entry.mjs', import.meta.url);
const { handler: astroHandler } = (await import(fileURLToPath(entry))) as {
  handler: http.RequestListener;
};

const server = await createPageServer({
  config,
  astroHandler,
  clientDir: fileURLToPath(new URL('../../dist/client/', import.meta.url)),
});
server.listen(config.port, config.host, () => {
  console.log(`Keyway is serving http://${config.host}:${config.port}`);
});

/**
 * How long a stop waits for requests under way before it cuts the connections still open
 * (a live stream never ends by itself).
 */
const DRAIN_MS = 3000;

/**
 * Stops taking requests and webhook delivery, lets requests and attempts under way finish, then
 * closes the live-notice connections and the database, so PostgreSQL sees clean disconnects and SQLite folds its write-ahead log
 * back into the database file.
 */
async function shutDown(): Promise<void> {
  // In step with the drain: deliveries left unsent stay in the queue for the next start.
  const deliveriesStopped = deliveries.stop();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const cut = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
  await closed;
  clearTimeout(cut);
  await deliveriesStopped;
  await requestBus().close();
  await closeDatabase();
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    shutDown().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Keyway did not stop cleanly: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  });
}
