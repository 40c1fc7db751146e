import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { sendMail, type SendResult, type SmtpSettings } from '../mail/send-mail.ts';
import { createVerification, VERIFICATION_TTL_MS } from './email-verification.ts';

export type VerificationSent = SendResult | { sent: false; waitMs: number };

/**
 * Emails a user a link that confirms their address and signs them in, then sends them to
 * `next` (a path on this site, such as the invitation they are accepting). Asked again
 * within a minute, it sends nothing and says how long to wait.
 */
export async function sendVerificationLink(
  db: Kysely<Database>,
  smtp: SmtpSettings,
  user: { userId: string; email: string },
  links: { origin: string; next: string },
  now = Date.now(),
): Promise<VerificationSent> {
  const made = await createVerification(db, user.userId, now);
  if (!made.ok) return { sent: false, waitMs: made.waitMs };
  const link = new URL(`/verify-email/${made.token}`, links.origin);
  link.searchParams.set('next', links.next);
  const hours = VERIFICATION_TTL_MS / (60 * 60 * 1000);
  return sendMail(smtp, {
    to: user.email,
    subject: 'Confirm your email address for Keyway',
    text:
      `Someone, probably you, made a Keyway login for ${user.email}.\n\n` +
      `Confirm the address and sign in: ${link.href}\n\n` +
      `The link works once, for ${hours} hours. If this was not you, ignore this email: ` +
      `an address nobody confirms cannot join anyone's team.\n`,
  });
}

/**
 * Tells the owner of an address that someone tried to sign up with it. The sign-up page
 * answers as it does for a new address, so only the mailbox learns the account exists.
 */
export function sendAlreadyRegistered(
  smtp: SmtpSettings,
  email: string,
  links: { origin: string },
): Promise<SendResult> {
  const signIn = new URL('/login', links.origin).href;
  return sendMail(smtp, {
    to: email,
    subject: 'You already have a Keyway account',
    text:
      `Someone, probably you, tried to sign up to Keyway as ${email}, which already has an account.\n\n` +
      `Sign in instead: ${signIn}\n\n` +
      `If this was not you, ignore this email: nothing about your account changed.\n`,
  });
}
