import nodemailer from 'nodemailer';
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

/** Whether the email went out; on failure, the reason in words the inviter can act on. */
export type SendResult = { sent: true } | { sent: false; reason: string };

/**
 * Sends an invitation link through the configured SMTP server (nodemailer). The inviter
 * sees the link either way, so a mail failure loses nothing: it is reported, not thrown.
 */
export async function sendInvitationEmail(
  smtp: { url: string; from: string },
  email: InvitationEmail,
): Promise<SendResult> {
  const transport = nodemailer.createTransport(smtp.url, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
  });
  const role = ROLE_LABELS[email.role];
  const expires = new Date(email.expiresAt).toUTCString();
  try {
    await transport.sendMail({
      from: smtp.from,
      to: email.to,
      subject: `${email.inviterEmail} invited you to ${email.accountName} on Keyway`,
      text:
        `${email.inviterEmail} invited you to join ${email.accountName} on Keyway as ${role}.\n\n` +
        `Accept the invitation: ${email.link}\n\n` +
        `The link works once and expires on ${expires}. If you did not expect this, ignore this email.\n`,
    });
    return { sent: true };
  } catch (error) {
    return { sent: false, reason: (error as Error).message };
  } finally {
    transport.close();
  }
}
