import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findGuest } from '../guests/guest-sandbox.ts';
import type { Reader } from './reader.ts';

/**
 * Which account's requests a reader may see: their own, or their guest sandbox's. An
 * anonymous reader may have no guest yet (nothing run); it is looked up again until found.
 */
export function readerScope(db: Kysely<Database>, reader: Reader) {
  let accountId: string | null = reader.keySource === 'account' ? reader.member.accountId : null;
  return {
    async accountId(): Promise<string | null> {
      if (!accountId && reader.keySource === 'sample') accountId = await findGuest(db, reader);
      return accountId;
    },
  };
}
