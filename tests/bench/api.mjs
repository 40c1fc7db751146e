// `npm run bench:api`: how fast the sandbox creates and retrieves customers, next to a
// static file from the same server, measured in one run (20 connections, 10 s each,
// loopback, a fresh SQLite file). BENCH_SECONDS shortens the runs.
//
// The sandbox allows 25 requests per second per key, as Stripe's does, and the bench keeps
// that limit (it sets SANDBOX_RATE_LIMIT=25 itself): requests rotate round-robin over the
// test secret keys of enough signed-up accounts that no key goes past 20 a second. How
// many is worked out from a short calibration run, and printed.
import autocannon from 'autocannon';
import { startBenchServer } from './bench-server.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 20;
const RATE_LIMIT = 25;
/** The most any one key is asked to do per second, leaving room under the limit. */
const PER_KEY_TARGET = 20;
const STATIC = '/favicon.svg';

const { base, stop: cleanUp } = await startBenchServer({ SANDBOX_RATE_LIMIT: String(RATE_LIMIT) });

/** Signed-up accounts: each one's test secret key and a customer of its own to retrieve. */
const accounts = [];
let signUps = 0;

try {
  const staticFile = await fetch(base + STATIC);
  if (staticFile.status !== 200) throw new Error(`${STATIC} answered ${staticFile.status}`);

  // Calibrate: with a pool that cannot be the bottleneck for a first guess, see how fast
  // each endpoint goes, then grow the pool so that no key exceeds PER_KEY_TARGET a second.
  await addAccounts(40);
  const probeCreate = await load(createRequests(), 2, { allowRateLimited: true });
  const probeRetrieve = await load(retrieveRequests(), 2, { allowRateLimited: true });
  // Measured requests plus any 429s: what the server can take when no key is limited.
  const peak = Math.max(probeCreate.attempted, probeRetrieve.attempted) / 2;
  const needed = Math.ceil((peak * 1.5) / PER_KEY_TARGET);
  if (needed > accounts.length) await addAccounts(needed - accounts.length);

  await load(retrieveRequests(), 1);
  const file = await load([{ method: 'GET', path: STATIC }], DURATION);
  const create = await load(createRequests(), DURATION);
  const retrieve = await load(retrieveRequests(), DURATION);

  const line = (label, result) =>
    `  ${label.padEnd(34)} ${result.average.toFixed(0).padStart(6)} req/s` +
    (result === file ? '' : `   ${(result.average / file.average).toFixed(2)}x static`);
  console.log(`\nSandbox API, ${CONNECTIONS} connections, ${DURATION} s each, one server, fresh SQLite file`);
  console.log(line(`static file ${STATIC}`, file));
  console.log(line('POST /v1/customers (create)', create));
  console.log(line('GET /v1/customers/:id (retrieve)', retrieve));
  const busiest = Math.max(create.average, retrieve.average) / accounts.length;
  console.log(
    `  rate limit kept at ${RATE_LIMIT}/s per key: ${accounts.length} keys of ${accounts.length} signed-up accounts, ` +
      `rotated round-robin (about ${busiest.toFixed(1)} req/s per key at the busiest); ` +
      `non-2xx responses in the measured runs: ${file.non2xx + create.non2xx + retrieve.non2xx}`,
  );
} finally {
  cleanUp();
}

/** Signs `count` readers up (a few at a time: passwords are hashed) and gives each a customer. */
async function addAccounts(count) {
  const batch = 8;
  for (let done = 0; done < count; done += batch) {
    const made = await Promise.all(Array.from({ length: Math.min(batch, count - done) }, signUp));
    accounts.push(...made);
  }
}

async function signUp() {
  const n = ++signUps;
  const response = await fetch(`${base}/signup`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      email: `bench${n}.${process.pid}@example.com`,
      password: 'correct horse battery',
    }),
  });
  const session = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .find((pair) => pair.startsWith('kw_session='));
  if (!session) throw new Error(`Sign-up failed: ${response.status}`);
  const page = await (await fetch(`${base}/dashboard/apikeys`, { headers: { cookie: session } })).text();
  const key = page.match(/sk_test_[0-9A-Za-z]{24}/)?.[0];
  if (!key) throw new Error('No test secret key on the dashboard.');
  const customer = await fetch(`${base}/v1/customers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'email=retrieve.me%40example.com',
  });
  if (customer.status !== 200) throw new Error(`Could not create a customer: ${customer.status}`);
  return { key, customerId: (await customer.json()).id };
}

/** Round-robin over the accounts, shared by every connection of a run. */
function rotation() {
  let next = 0;
  return () => accounts[next++ % accounts.length];
}

function createRequests() {
  const nextAccount = rotation();
  let n = 0;
  return [
    {
      method: 'POST',
      path: '/v1/customers',
      setupRequest: (request) => {
        const { key } = nextAccount();
        n++;
        return {
          ...request,
          headers: {
            ...request.headers,
            authorization: `Bearer ${key}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: `email=bench.${n}%40example.com&name=Bench+${n}&metadata[order_id]=${n}`,
        };
      },
    },
  ];
}

function retrieveRequests() {
  const nextAccount = rotation();
  return [
    {
      method: 'GET',
      setupRequest: (request) => {
        const { key, customerId } = nextAccount();
        return {
          ...request,
          path: `/v1/customers/${customerId}`,
          headers: { ...request.headers, authorization: `Bearer ${key}` },
        };
      },
    },
  ];
}

/**
 * One autocannon run. Measured runs must be all 2xx; calibration runs may meet the rate
 * limit (that is what they look for), and report how many requests they attempted.
 */
async function load(requests, duration, { allowRateLimited = false } = {}) {
  const result = await autocannon({ url: base, connections: CONNECTIONS, duration, requests });
  const limited = result.statusCodeStats?.['429']?.count ?? 0;
  const unexpected = result.non2xx - (allowRateLimited ? limited : 0);
  if (unexpected > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${requests[0].method} ${requests[0].path ?? '(rotated path)'}: ${result.non2xx} non-2xx ` +
        `(${JSON.stringify(result.statusCodeStats)}), ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return { average: result.requests.average, non2xx: result.non2xx, attempted: result.requests.total };
}
