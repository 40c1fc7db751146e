import { sendMail, type SendResult, type SmtpSettings } from '../mail/send-mail.ts';
import { ROLE_LABELS } from './roles.ts';
import type { Role } from '../db/schema.ts';

export interface InvitationEmail {
  to: string;
  accountName: string;
  inviterEmail: string;
  role: Role;
  link: string;
  expiresAt: number;
}

/**
 * Sends an invitation link through the configured SMTP server. The inviter sees the link
 * either way, so a mail failure loses nothing: it is reported, not thrown.
 */
export async function sendInvitationEmail(smtp: SmtpSettings, email: InvitationEmail): Promise<SendResult> {
  const role = ROLE_LABELS[email.role];
  const expires = new Date(email.expiresAt).toUTCString();
  return sendMail(smtp, {
    to: email.to,
    subject: `${email.inviterEmail} invited you to ${email.accountName} on Keyway`,
    text:
      `${email.inviterEmail} invited you to join ${email.accountName} on Keyway as ${role}.\n\n` +
      `Accept the invitation: ${email.link}\n\n` +
      `The link works once and expires on ${expires}. If you did not expect this, ignore this email.\n`,
  });
}
