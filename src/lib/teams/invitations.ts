import type { Kysely } from 'kysely';
import { emailProblem, normalizeEmail } from '../auth/accounts.ts';
import { randomToken, sha256Hex } from '../crypto.ts';
import { isEmailVerified } from '../auth/email-verification.ts';
import type { Database, Role } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { exactTime } from '../../isomorphic/time.ts';
import { mayManageRole, ROLE_LABELS } from './roles.ts';
import type { Actor } from './memberships.ts';

/** An invitation link works for 7 days, once. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface PendingInvitation {
  id: string;
  email: string;
  role: Role;
  createdAt: number;
  expiresAt: number;
}

export type CreateInvitationResult =
  | { ok: true; invitation: PendingInvitation; token: string }
  | { ok: false; errors: { email?: string; role?: string } };

/**
 * Invites an email address to the account with a role. The link's token is returned once,
 * for the inviter to share; only its hash is kept. A new invitation to the same address
 * replaces the pending one, so one person never holds two live links.
 */
export async function createInvitation(
  db: Kysely<Database>,
  accountId: string,
  actor: Actor,
  input: { email: string; role: Role },
  now = Date.now(),
): Promise<CreateInvitationResult> {
  const email = normalizeEmail(input.email);
  const badEmail = emailProblem(email);
  if (badEmail) return { ok: false, errors: { email: badEmail.replace('your email', 'their email') } };
  if (!mayManageRole(actor.role, input.role)) {
    return { ok: false, errors: { role: 'Only an owner can invite someone as an owner.' } };
  }
  const member = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select('memberships.role')
    .where('memberships.account_id', '=', accountId)
    .where('users.email', '=', email)
    .executeTakeFirst();
  if (member) {
    return { ok: false, errors: { email: `${email} is already a member (${ROLE_LABELS[member.role]}).` } };
  }
  const token = randomToken();
  const invitation: PendingInvitation = {
    id: newId('inv'),
    email,
    role: input.role,
    createdAt: now,
    expiresAt: now + INVITATION_TTL_MS,
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('invitations')
      .set({ revoked_at: now })
      .where('account_id', '=', accountId)
      .where('email', '=', email)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    await trx
      .insertInto('invitations')
      .values({
        id: invitation.id,
        account_id: accountId,
        email,
        role: input.role,
        token_hash: sha256Hex(token),
        invited_by: actor.userId,
        created_at: now,
        expires_at: invitation.expiresAt,
        accepted_at: null,
        accepted_by: null,
        revoked_at: null,
      })
      .execute();
  });
  return { ok: true, invitation, token };
}

/** Invitations still waiting for an answer (not used, withdrawn or expired). */
export async function pendingInvitations(
  db: Kysely<Database>,
  accountId: string,
  now = Date.now(),
): Promise<PendingInvitation[]> {
  const rows = await db
    .selectFrom('invitations')
    .select(['id', 'email', 'role', 'created_at', 'expires_at'])
    .where('account_id', '=', accountId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  }));
}

/** Withdraws a pending invitation; its link stops working. */
export async function revokeInvitation(
  db: Kysely<Database>,
  accountId: string,
  invitationId: string,
  now = Date.now(),
): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ revoked_at: now })
    .where('id', '=', invitationId)
    .where('account_id', '=', accountId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** An invitation as its link shows it, whatever state it is in. */
export interface InvitationView {
  id: string;
  accountId: string;
  accountName: string;
  email: string;
  role: Role;
  inviterEmail: string | null;
  expiresAt: number;
}

export type InvitationProblem =
  'unknown' | 'expired' | 'used' | 'revoked' | 'inviter-lost-role' | 'wrong-email' | 'unverified';

export type InvitationLookup =
  | { ok: true; invitation: InvitationView }
  | { ok: false; problem: InvitationProblem; message: string; invitation?: InvitationView };

const TOKEN_SHAPE = /^[a-z2-7]{24}$/;

/**
 * Reads an invitation link and says whether it can still be accepted: it exists, was
 * neither used nor withdrawn, has not expired, and whoever sent it may still add members
 * with that role.
 */
export async function lookUpInvitation(
  db: Kysely<Database>,
  token: string,
  now = Date.now(),
): Promise<InvitationLookup> {
  const unknown = {
    ok: false,
    problem: 'unknown',
    message: 'This invitation link is not valid. Check that you copied all of it, or ask for a new one.',
  } as const;
  if (!TOKEN_SHAPE.test(token)) return unknown;
  const row = await db
    .selectFrom('invitations')
    .innerJoin('accounts', 'accounts.id', 'invitations.account_id')
    .leftJoin('users as inviter', 'inviter.id', 'invitations.invited_by')
    .leftJoin('memberships as inviter_membership', (join) =>
      join
        .onRef('inviter_membership.user_id', '=', 'invitations.invited_by')
        .onRef('inviter_membership.account_id', '=', 'invitations.account_id'),
    )
    .select([
      'invitations.id',
      'invitations.account_id',
      'invitations.email',
      'invitations.role',
      'invitations.expires_at',
      'invitations.accepted_at',
      'invitations.revoked_at',
      'accounts.name as account_name',
      'inviter.email as inviter_email',
      'inviter_membership.role as inviter_role',
    ])
    .where('invitations.token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row) return unknown;
  const invitation: InvitationView = {
    id: row.id,
    accountId: row.account_id,
    accountName: row.account_name,
    email: row.email,
    role: row.role,
    inviterEmail: row.inviter_email,
    expiresAt: row.expires_at,
  };
  const inviter = row.inviter_email ?? 'whoever invited you';
  if (row.accepted_at !== null) {
    return {
      ok: false,
      problem: 'used',
      message:
        'This invitation has already been used. Each link works once: ask for a new one if you need it.',
      invitation,
    };
  }
  if (row.revoked_at !== null) {
    return {
      ok: false,
      problem: 'revoked',
      message: `This invitation was withdrawn. Ask ${inviter} for a new one.`,
      invitation,
    };
  }
  if (row.expires_at <= now) {
    return {
      ok: false,
      problem: 'expired',
      message: `This invitation expired on ${exactTime(row.expires_at)}. Ask ${inviter} for a new one.`,
      invitation,
    };
  }
  if (!row.inviter_role || !mayManageRole(row.inviter_role, row.role)) {
    return {
      ok: false,
      problem: 'inviter-lost-role',
      message: `${inviter} can no longer add members to ${row.account_name}, so this invitation no longer works. Ask an account owner for a new one.`,
      invitation,
    };
  }
  return { ok: true, invitation };
}

export type AcceptResult =
  | { ok: true; accountId: string; role: Role; alreadyMember: boolean }
  | { ok: false; problem: InvitationProblem; message: string };

/**
 * Accepts an invitation for a signed-in user whose email it names: adds them to the account
 * with the invited role and uses up the link. A link can be used once even when two
 * requests race: only the request that marks it accepted goes on. With
 * `requireVerifiedEmail` (set when a mail server is), the user must have confirmed their
 * address first: otherwise whoever signed up with it first could take the place meant for
 * its owner.
 */
export async function acceptInvitation(
  db: Kysely<Database>,
  token: string,
  user: { userId: string; email: string },
  now = Date.now(),
  options: { requireVerifiedEmail: boolean } = { requireVerifiedEmail: false },
): Promise<AcceptResult> {
  const lookup = await lookUpInvitation(db, token, now);
  if (!lookup.ok) return lookup;
  const { invitation } = lookup;
  if (normalizeEmail(user.email) !== invitation.email) {
    return {
      ok: false,
      problem: 'wrong-email',
      message: `This invitation is for ${invitation.email}, but you are signed in as ${user.email}. Sign out, then open the link again.`,
    };
  }
  if (options.requireVerifiedEmail && !(await isEmailVerified(db, user.userId))) {
    return { ok: false, problem: 'unverified', message: unverifiedMessage(invitation.email) };
  }
  return db.transaction().execute(async (trx): Promise<AcceptResult> => {
    const claimed = await trx
      .updateTable('invitations')
      .set({ accepted_at: now, accepted_by: user.userId })
      .where('id', '=', invitation.id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) {
      return {
        ok: false,
        problem: 'used',
        message:
          'This invitation has already been used. Each link works once: ask for a new one if you need it.',
      };
    }
    const existing = await trx
      .selectFrom('memberships')
      .select('role')
      .where('account_id', '=', invitation.accountId)
      .where('user_id', '=', user.userId)
      .executeTakeFirst();
    if (existing)
      return { ok: true, accountId: invitation.accountId, role: existing.role, alreadyMember: true };
    await trx
      .insertInto('memberships')
      .values({
        account_id: invitation.accountId,
        user_id: user.userId,
        role: invitation.role,
        created_at: now,
      })
      .execute();
    return { ok: true, accountId: invitation.accountId, role: invitation.role, alreadyMember: false };
  });
}

/** What someone who has not confirmed their address reads on the invitation. */
export function unverifiedMessage(email: string): string {
  return `Confirm that ${email} is yours before joining: open the link we emailed to it, which brings you back here.`;
}
