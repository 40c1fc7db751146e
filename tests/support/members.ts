import type { Role } from '../../src/lib/db/schema.ts';
import type { SessionMember } from '../../src/lib/reader/reader.ts';

/** A signed-in member of one account, Acme (`acct_1`), with `role` there: for guards tested without a session. */
export function memberAs(role: Role): SessionMember {
  return {
    sessionId: 'session',
    userId: 'user_1',
    email: 'someone@example.com',
    accountId: 'acct_1',
    accountName: 'Acme',
    role,
    accounts: [{ id: 'acct_1', name: 'Acme', role }],
  };
}
