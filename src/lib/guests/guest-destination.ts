import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { can } from '../teams/roles.ts';

/**
 * Where a guest sandbox's customers, events and logs go when its reader signs up or in:
 * the account the new session works with if their role there may write test data, else
 * an account of their own where they may (one they own first), else nowhere (null: the
 * data stays in the guest, which expires as usual). A View-only member of a team thus never
 * adds rows to the team's account by signing in.
 */
export async function guestDestination(
  db: Kysely<Database>,
  userId: string,
  sessionAccountId: string,
): Promise<string | null> {
  const memberships = await db
    .selectFrom('memberships')
    .select(['account_id', 'role'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'asc')
    .orderBy('account_id', 'asc')
    .execute();
  const writable = memberships.filter((row) => can(row.role, 'data:write-test'));
  const found =
    writable.find((row) => row.account_id === sessionAccountId) ??
    writable.find((row) => row.role === 'owner') ??
    writable[0];
  return found?.account_id ?? null;
}
