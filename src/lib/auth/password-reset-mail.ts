import { sendMail, type SendResult, type SmtpSettings } from '../mail/send-mail.ts';
import { RESET_TTL_MS } from './password-reset.ts';

/** The page a reset token opens, on the given origin. */
export function resetLink(origin: URL | string, token: string): string {
  return new URL(`/reset-password/${token}`, origin).href;
}

/** Emails a user the link that lets them choose a new password. */
export function sendResetLink(smtp: SmtpSettings, email: string, link: string): Promise<SendResult> {
  const minutes = RESET_TTL_MS / 60_000;
  return sendMail(smtp, {
    to: email,
    subject: 'Reset your Keyway password',
    text:
      `Someone, probably you, asked to reset the password of the Keyway account ${email}.\n\n` +
      `Choose a new password: ${link}\n\n` +
      `The link works once, for ${minutes} minutes. If this was not you, ignore this email: ` +
      `your password stays as it is.\n`,
  });
}

/**
 * Tells a user their password was changed and every session ended, so that someone who
 * did not make the change hears of it.
 */
export function sendPasswordChanged(smtp: SmtpSettings, email: string, origin: URL): Promise<SendResult> {
  const forgot = new URL('/forgot-password', origin).href;
  return sendMail(smtp, {
    to: email,
    subject: 'Your Keyway password was changed',
    text:
      `The password of the Keyway account ${email} was just changed through a reset link, ` +
      `and every device signed in to it was signed out.\n\n` +
      `If this was not you, reset it again now: ${forgot}\n`,
  });
}
