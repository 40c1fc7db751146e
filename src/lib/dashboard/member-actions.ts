import type { Kysely } from 'kysely';
import type { KeywayConfig } from '../config/config.ts';
import type { Database } from '../db/schema.ts';
import { field } from '../http/forms.ts';
import type { SessionMember } from '../reader/reader.ts';
import { sendInvitationEmail } from '../teams/invitation-email.ts';
import { createInvitation, revokeInvitation } from '../teams/invitations.ts';
import { changeRole, removeMember, renameAccount } from '../teams/memberships.ts';
import { isRole } from '../teams/roles.ts';

/** What a form on the members page did, for the page to show. */
export type MemberActionResult =
  | {
      ok: true;
      message: string;
      /** After an invitation: the link to share, and whether it was also emailed. */
      invitation?: { link: string; email: string; mailed: boolean | null; mailError?: string };
    }
  | { ok: false; message: string; fieldErrors?: { email?: string; role?: string } };

/** Forms on the members page any member may send: leaving the account. */
export const SELF_SERVICE_INTENTS: ReadonlySet<string> = new Set(['leave']);

/**
 * Carries out one form post from the members page: invite, change a role, remove a member,
 * withdraw an invitation, rename the account, or leave it. The caller has checked the
 * member may manage members, unless the intent is one of SELF_SERVICE_INTENTS; each action
 * checks the rest (owners, the last owner) itself.
 */
export async function handleMemberAction(
  db: Kysely<Database>,
  config: Pick<KeywayConfig, 'smtpUrl' | 'mailFrom'>,
  actor: SessionMember,
  origin: string,
  form: FormData,
): Promise<MemberActionResult> {
  const intent = field(form, 'intent');
  const accountId = actor.accountId;
  const who = { userId: actor.userId, role: actor.role };
  if (intent === 'invite') {
    const role = field(form, 'role');
    if (!isRole(role)) {
      return { ok: false, message: 'The invitation was not made.', fieldErrors: { role: 'Choose a role.' } };
    }
    const made = await createInvitation(db, accountId, who, { email: field(form, 'email'), role });
    if (!made.ok)
      return {
        ok: false,
        message: 'The invitation was not made. Check the form below.',
        fieldErrors: made.errors,
      };
    const link = new URL(`/invite/${made.token}`, origin).href;
    let mailed: boolean | null = null;
    let mailError: string | undefined;
    if (config.smtpUrl) {
      const sent = await sendInvitationEmail(
        { url: config.smtpUrl, from: config.mailFrom },
        {
          to: made.invitation.email,
          accountName: actor.accountName,
          inviterEmail: actor.email,
          role,
          link,
          expiresAt: made.invitation.expiresAt,
        },
      );
      mailed = sent.sent;
      if (!sent.sent) mailError = sent.reason;
    }
    return {
      ok: true,
      message: `Invitation made for ${made.invitation.email}.`,
      invitation: { link, email: made.invitation.email, mailed, mailError },
    };
  }
  if (intent === 'change-role') {
    const role = field(form, 'role');
    if (!isRole(role)) return { ok: false, message: 'Choose a role.' };
    return changeRole(db, accountId, who, { userId: field(form, 'user_id'), role });
  }
  if (intent === 'remove') return removeMember(db, accountId, who, field(form, 'user_id'));
  if (intent === 'leave') return removeMember(db, accountId, who, actor.userId);
  if (intent === 'rename') return renameAccount(db, accountId, field(form, 'name'));
  if (intent === 'revoke') {
    return (await revokeInvitation(db, accountId, field(form, 'invitation_id')))
      ? { ok: true, message: 'Invitation withdrawn. Its link no longer works.' }
      : { ok: false, message: 'That invitation was already used, withdrawn or expired.' };
  }
  return { ok: false, message: 'That action is not one this page knows.' };
}
