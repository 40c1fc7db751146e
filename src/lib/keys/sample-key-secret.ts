import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

const loaded = new WeakMap<Kysely<Database>, Promise<Buffer>>();

/**
 * The secret that signs sample keys: `override` (the `SAMPLE_KEY_SECRET` setting) when set,
 * else the one migration 0006 stored in the database. Read once per database handle, since
 * every anonymous page view and every first use of a sample key needs it.
 */
export function sampleKeySecret(db: Kysely<Database>, override: string | null): Promise<Buffer> {
  if (override) return Promise.resolve(Buffer.from(override, 'utf8'));
  let secret = loaded.get(db);
  if (!secret) {
    secret = db
      .selectFrom('site_secrets')
      .select('value')
      .where('name', '=', 'sample_keys')
      .executeTakeFirstOrThrow(() => new Error('The sample-key secret is missing: is the database migrated?'))
      .then((row) => Buffer.from(row.value, 'hex'));
    // A failed read (the database was down) is tried again on the next request.
    secret.catch(() => loaded.delete(db));
    loaded.set(db, secret);
  }
  return secret;
}
