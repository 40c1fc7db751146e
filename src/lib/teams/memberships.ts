import type { Kysely, Transaction } from 'kysely';
import type { Database, Role } from '../db/schema.ts';
import { accountNameProblem, normalizeAccountName } from '../auth/account-name.ts';
import { requestBus } from '../live/request-bus.ts';
import { mayManageRole, ROLE_LABELS } from './roles.ts';

/** An account a user belongs to, as the account picker lists it. */
export interface AccountChoice {
  id: string;
  name: string;
  role: Role;
}

export interface Member {
  userId: string;
  email: string;
  role: Role;
  joinedAt: number;
}

/** Who is changing the team: their user id and their role in the account. */
export interface Actor {
  userId: string;
  role: Role;
}

export type TeamChange = { ok: true; message: string } | { ok: false; message: string };

/** The accounts a user belongs to: owned ones first, then by when they joined. */
export async function accountsOf(db: Kysely<Database>, userId: string): Promise<AccountChoice[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
    .select(['accounts.id', 'accounts.name', 'memberships.role', 'memberships.created_at'])
    .where('memberships.user_id', '=', userId)
    .orderBy('memberships.created_at', 'asc')
    .orderBy('accounts.id', 'asc')
    .execute();
  return rows.map(({ id, name, role }) => ({ id, name, role }));
}

/** The user's role in an account, or null when they are not a member. */
export async function roleIn(db: Kysely<Database>, accountId: string, userId: string): Promise<Role | null> {
  const row = await db
    .selectFrom('memberships')
    .select('role')
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

/** Everyone in an account, owners first, then by when they joined. */
export async function listMembers(db: Kysely<Database>, accountId: string): Promise<Member[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.email', 'memberships.role', 'memberships.created_at'])
    .where('memberships.account_id', '=', accountId)
    .orderBy((eb) =>
      eb
        .case()
        .when('memberships.role', '=', 'owner')
        .then(0)
        .when('memberships.role', '=', 'admin')
        .then(1)
        .when('memberships.role', '=', 'developer')
        .then(2)
        .else(3)
        .end(),
    )
    .orderBy('memberships.created_at', 'asc')
    .execute();
  return rows.map((row) => ({ userId: row.id, email: row.email, role: row.role, joinedAt: row.created_at }));
}

/**
 * Serializes team changes to one account: a no-op write takes the account row's lock on
 * PostgreSQL and the write lock on SQLite, so two owners demoting each other at the same
 * moment cannot leave the account with none.
 */
async function lockAccount(trx: Transaction<Database>, accountId: string): Promise<void> {
  await trx
    .updateTable('accounts')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', accountId)
    .execute();
}

const NOT_A_MEMBER = 'That person is no longer a member of this account.';

/** A member's role and email, read inside a team change's transaction. */
function findMember(trx: Transaction<Database>, accountId: string, userId: string) {
  return trx
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['memberships.role', 'users.email'])
    .where('memberships.account_id', '=', accountId)
    .where('memberships.user_id', '=', userId)
    .executeTakeFirst();
}

async function ownerCount(trx: Transaction<Database>, accountId: string): Promise<number> {
  const row = await trx
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('account_id', '=', accountId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Gives a member another role. The actor must be allowed to manage both the member's role
 * and the new one (see mayManageRole); the last owner keeps their role.
 */
export async function changeRole(
  db: Kysely<Database>,
  accountId: string,
  actor: Actor,
  input: { userId: string; role: Role },
): Promise<TeamChange> {
  const result = await db.transaction().execute(async (trx): Promise<TeamChange> => {
    await lockAccount(trx, accountId);
    const member = await findMember(trx, accountId, input.userId);
    if (!member) return { ok: false, message: NOT_A_MEMBER };
    if (!mayManageRole(actor.role, member.role) || !mayManageRole(actor.role, input.role)) {
      return { ok: false, message: 'Only an owner can make someone an owner or change an owner’s role.' };
    }
    if (member.role === input.role)
      return { ok: true, message: `${member.email} is already ${ROLE_LABELS[input.role]}.` };
    if (member.role === 'owner' && (await ownerCount(trx, accountId)) <= 1) {
      return { ok: false, message: 'An account needs an owner: make someone else an owner first.' };
    }
    await trx
      .updateTable('memberships')
      .set({ role: input.role })
      .where('account_id', '=', accountId)
      .where('user_id', '=', input.userId)
      .execute();
    return { ok: true, message: `${member.email} is now ${ROLE_LABELS[input.role]}.` };
  });
  if (result.ok) announceAccessChange(accountId, input.userId);
  return result;
}

/**
 * Removes a member, or lets a member leave (`actor` is the member themselves); their
 * sessions lose the account at once. The last owner stays.
 */
export async function removeMember(
  db: Kysely<Database>,
  accountId: string,
  actor: Actor,
  userId: string,
): Promise<TeamChange> {
  const result = await db.transaction().execute(async (trx): Promise<TeamChange> => {
    await lockAccount(trx, accountId);
    const member = await findMember(trx, accountId, userId);
    if (!member) return { ok: false, message: NOT_A_MEMBER };
    const leaving = actor.userId === userId;
    if (!leaving && !mayManageRole(actor.role, member.role)) {
      return { ok: false, message: 'Only an owner can remove an owner.' };
    }
    if (member.role === 'owner' && (await ownerCount(trx, accountId)) <= 1) {
      return { ok: false, message: 'An account needs an owner: make someone else an owner first.' };
    }
    await trx
      .deleteFrom('memberships')
      .where('account_id', '=', accountId)
      .where('user_id', '=', userId)
      .execute();
    return {
      ok: true,
      message: leaving ? 'You left this account.' : `${member.email} was removed from this account.`,
    };
  });
  if (result.ok) announceAccessChange(accountId, userId);
  return result;
}

/**
 * Points a session at another of the user's accounts, and remembers the choice for the
 * user's next session. False when the user is not a member of that account.
 */
export async function switchAccount(
  db: Kysely<Database>,
  session: { sessionId: string; userId: string; accountId: string },
  accountId: string,
): Promise<boolean> {
  if (!(await roleIn(db, accountId, session.userId))) return false;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('sessions')
      .set({ account_id: accountId })
      .where('id', '=', session.sessionId)
      .execute();
    await trx
      .updateTable('users')
      .set({ last_account_id: accountId })
      .where('id', '=', session.userId)
      .execute();
  });
  // Streams opened for the previous account end; the page reconnects with the new one.
  if (session.accountId !== accountId) announceAccessChange(session.accountId, session.userId);
  return true;
}

/** Ends the user's open live streams on the account, in every process. */
function announceAccessChange(accountId: string, userId: string): void {
  requestBus().publishAccessChange({ accountId, userId });
}

/** Renames an account: the name members see in the account menu and on every page. */
export async function renameAccount(
  db: Kysely<Database>,
  accountId: string,
  name: string,
): Promise<TeamChange> {
  const problem = accountNameProblem(name);
  if (problem) return { ok: false, message: problem };
  const normalized = normalizeAccountName(name);
  if (!normalized) return { ok: false, message: 'Give the account a name, such as your team or company.' };
  await db.updateTable('accounts').set({ name: normalized }).where('id', '=', accountId).execute();
  return { ok: true, message: `The account is now called ${normalized}.` };
}
