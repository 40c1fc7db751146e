import { randomBytes } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { signUp } from '../../src/lib/auth/accounts.ts';
import type { Database } from '../../src/lib/db/schema.ts';
import { GUEST_RULES } from '../../src/lib/guests/guest-sandbox.ts';
import { createRestrictedKey, listKeys, rollKey } from '../../src/lib/keys/api-keys.ts';
import { newSampleKeys } from '../../src/lib/keys/sample-keys.ts';
import { handleSandboxRequest } from '../../src/sandbox/handler.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';

/**
 * The sandbox's authentication, called in-process as the server calls it: every way a key
 * is accepted or refused, with Stripe's status, code and message, and (for sample keys) the
 * guest sandbox a first use starts. A refusal starts no guest and writes no key.
 */
const ORIGIN = 'https://docs.example.com';
const SECRET = randomBytes(32);
const DAY = 24 * 60 * 60 * 1000;

interface ErrorBody {
  error: { type: string; code?: string; message: string; doc_url?: string };
}

describeEachDatabase('sandbox authentication on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  beforeAll(() => {
    db = database();
  });

  let people = 0;
  let addresses = 0;
  async function newAccount() {
    const result = await signUp(db, {
      email: `sandbox-auth${++people}.${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    if (!result.ok) throw new Error('sign-up failed');
    const keys = await listKeys(db, result.accountId, 'test');
    return {
      accountId: result.accountId,
      secret: keys.find((key) => key.kind === 'secret')!,
      publishable: keys.find((key) => key.kind === 'publishable')!.plaintext!,
    };
  }

  async function send(
    authorization: string | null,
    { now = Date.now(), address = `192.0.2.${++addresses % 250}`, path = '/v1/customers' } = {},
  ) {
    const response = await handleSandboxRequest(
      new Request(`${ORIGIN}${path}`, { headers: authorization ? { authorization } : {} }),
      {
        db,
        origin: ORIGIN,
        rateLimitPerSecond: 1000,
        guests: { secret: SECRET, clientAddress: address },
        now: () => now,
      },
    );
    return { status: response.status, headers: response.headers, body: (await response.json()) as ErrorBody };
  }
  const rows = async () => ({
    accounts: Number(
      (
        await db
          .selectFrom('accounts')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    keys: Number(
      (
        await db
          .selectFrom('api_keys')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  });
  async function expectRefusal(
    authorization: string | null,
    status: number,
    expected: { code?: string; message: RegExp },
    options?: Parameters<typeof send>[1],
  ) {
    const before = await rows();
    const { status: got, body } = await send(authorization, options);
    expect(got, JSON.stringify(body)).toBe(status);
    expect(body.error.code).toBe(expected.code);
    expect(body.error.message).toMatch(expected.message);
    expect(await rows(), 'a refusal writes no account and no key').toEqual(before);
    return body;
  }

  it("accepts an account's secret key as Bearer or as Basic's user name", async () => {
    const { secret } = await newAccount();
    expect((await send(`Bearer ${secret.plaintext}`)).status).toBe(200);
    expect((await send(`bearer   ${secret.plaintext}`)).status).toBe(200);
    const basic = Buffer.from(`${secret.plaintext}:`).toString('base64');
    expect((await send(`Basic ${basic}`)).status).toBe(200);
  });

  it('refuses a missing, empty, malformed, unknown or overlong key', async () => {
    await expectRefusal(null, 401, { message: /^You did not provide an API key/ });
    await expectRefusal('Bearer', 401, { message: /^You did not provide an API key/ });
    await expectRefusal(`Basic ${Buffer.from(':').toString('base64')}`, 401, {
      message: /^You did not provide an API key/,
    });
    await expectRefusal('Token abc', 401, { message: /^Invalid Authorization header/ });
    // Not of our keys' shape (26 characters, not 24), so not taken for a sample key.
    const unknown = `sk_test_${'A'.repeat(22)}wxyz`;
    const body = await expectRefusal(`Bearer ${unknown}`, 401, {
      message:
        /^Invalid API Key provided: sk_test_…wxyz\. Find your keys at https:\/\/docs\.example\.com\/dashboard\/apikeys\.$/,
    });
    expect(body.error.message).not.toContain(unknown);
    await expectRefusal(`Bearer sk_test_${'B'.repeat(300)}`, 401, {
      message: /^Invalid API Key provided: sk_test_…BBBB\./,
    });
  });

  it('looks up a key of exactly 200 characters, and masks only the first 40 of a longer one', async () => {
    // Neither is of our keys' shape, so both are unknown: the message shows which was looked up.
    const longest = `sk_test_${'C'.repeat(188)}wxyz`;
    expect(longest).toHaveLength(200);
    await expectRefusal(`Bearer ${longest}`, 401, {
      message: /^Invalid API Key provided: sk_test_…wxyz\./,
    });
    await expectRefusal(`Bearer ${longest}z`, 401, {
      message: /^Invalid API Key provided: sk_test_…CCCC\./,
    });
  });

  it('refuses a key rolled away, at the end of its window and not before', async () => {
    const { accountId, secret } = await newAccount();
    const now = Date.now();
    await rollKey(db, accountId, secret.id, '1h', now);
    expect((await send(`Bearer ${secret.plaintext}`, { now: now + 60 * 60 * 1000 - 1 })).status).toBe(200);
    await expectRefusal(
      `Bearer ${secret.plaintext}`,
      401,
      { code: 'api_key_expired', message: /^Expired API Key provided: sk_test_…/ },
      { now: now + 60 * 60 * 1000 },
    );
  });

  it('refuses publishable and live keys, saying which key to use instead', async () => {
    const { publishable } = await newAccount();
    await expectRefusal(`Bearer ${publishable}`, 403, {
      code: 'secret_key_required',
      message: /cannot be made with a publishable API key.*dashboard\/apikeys/,
    });
    const live = await db
      .selectFrom('api_keys')
      .select('plaintext')
      .where('mode', '=', 'live')
      .where('kind', '=', 'publishable')
      .executeTakeFirstOrThrow();
    await expectRefusal(`Bearer ${live.plaintext}`, 403, {
      code: 'secret_key_required',
      message: /publishable/,
    });
  });

  it('refuses a live secret key: the sandbox runs in test mode only', async () => {
    const { accountId } = await newAccount();
    const liveSecret = (await listKeys(db, accountId, 'live')).find((key) => key.kind === 'secret')!;
    const rolled = await rollKey(db, accountId, liveSecret.id, 'now');
    await expectRefusal(`Bearer ${rolled!.plaintext}`, 403, {
      message: /^Live mode needs an activated account/,
    });
  });

  it('lets a restricted key do what its permission allows and names the permission it lacks', async () => {
    const { accountId } = await newAccount();
    const key = await createRestrictedKey(db, accountId, 'test', 'reader', {
      customers: 'read',
      events: 'none',
      webhook_endpoints: 'none',
    });
    expect((await send(`Bearer ${key.plaintext}`)).status).toBe(200);
    const refused = await expectRefusal(
      `Bearer ${key.plaintext}`,
      403,
      {
        message:
          /needs Events: Read .*, and has Events: None\. .*\(Stripe calls this permission 'rak_event_read'\)\.$/,
      },
      { path: '/v1/events' },
    );
    expect(refused.error.message).toContain(`'${key.plaintext.slice(0, 8)}…${key.plaintext.slice(-4)}'`);
    expect(refused.error.message).toContain(`on account '${accountId}'`);
  });

  it("starts a sample key's guest on its first use, and the second use lands in the same guest", async () => {
    const keys = newSampleKeys(SECRET);
    const before = await rows();
    const first = await send(`Bearer ${keys.secretKey}`);
    expect(first.status).toBe(200);
    expect(await rows()).toEqual({ accounts: before.accounts + 1, keys: before.keys + 2 });
    expect((await send(`Bearer ${keys.secretKey}`)).status).toBe(200);
    expect(await rows()).toEqual({ accounts: before.accounts + 1, keys: before.keys + 2 });
  });

  it('refuses a forged, stale or publishable sample key without pointing at a dashboard', async () => {
    const keys = newSampleKeys(SECRET);
    const forged = keys.secretKey.slice(0, -1) + (keys.secretKey.endsWith('A') ? 'B' : 'A');
    const checks = [
      await expectRefusal(`Bearer ${forged}`, 401, {
        code: 'sample_key_invalid',
        message: /this site did not issue it/,
      }),
      await expectRefusal(`Bearer ${newSampleKeys(randomBytes(32)).secretKey}`, 401, {
        code: 'sample_key_invalid',
        message: /this site did not issue it/,
      }),
      await expectRefusal(`Bearer ${newSampleKeys(SECRET, Date.now() - DAY - 60_000).secretKey}`, 401, {
        code: 'sample_key_expired',
        message: /^Expired sample key provided/,
      }),
      await expectRefusal(`Bearer ${keys.publishableKey}`, 403, {
        code: 'secret_key_required',
        message: /the sample's sk_test_ key/,
      }),
    ];
    for (const body of checks) {
      expect(body.error.message).not.toContain('/dashboard');
      expect(body.error.doc_url).toMatch(/^https:\/\/docs\.example\.com\/docs\/api\/errors/);
    }
    // A sample key one minute inside its day still starts its guest.
    expect((await send(`Bearer ${newSampleKeys(SECRET, Date.now() - DAY + 60_000).secretKey}`)).status).toBe(
      200,
    );
  });

  it('refuses the first use past the per-address guest limit, saying when to retry', async () => {
    const address = '198.51.100.7';
    for (let i = 0; i < GUEST_RULES.perAddressPerDay; i++) {
      expect((await send(`Bearer ${newSampleKeys(SECRET).secretKey}`, { address })).status).toBe(200);
    }
    const now = Date.now();
    await expectRefusal(
      `Bearer ${newSampleKeys(SECRET).secretKey}`,
      429,
      { code: 'guest_limit', message: /^Too many guest sandboxes.*Try again in \d+ (hours|minutes)/ },
      { address, now },
    );
    const again = await send(`Bearer ${newSampleKeys(SECRET).secretKey}`, { address, now });
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(DAY / 1000);
    // Another address is not held back.
    expect(
      (await send(`Bearer ${newSampleKeys(SECRET).secretKey}`, { address: '198.51.100.8' })).status,
    ).toBe(200);
  });
});
