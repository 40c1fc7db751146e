import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { SmtpSettings } from '../mail/send-mail.ts';
import { emailProblem, normalizeEmail } from './accounts.ts';
import { createPasswordReset, lastResetAt } from './password-reset.ts';
import { resetLink, sendResetLink } from './password-reset-mail.ts';
import { passwordResetThrottleKeys, reserveAttempt } from './throttle.ts';

/** One link a minute per user at most, whoever asks: a mailbox cannot be flooded from many addresses. */
export const RESET_RESEND_MS = 60 * 1000;

/**
 * What the "Forgot password?" form answers. `sent` is the answer for every well-formed
 * address, with an account or not; `delivery` settles when the link is made and mailed (the
 * page does not wait for it, tests do).
 */
export type ResetRequestAnswer =
  | { kind: 'sent'; email: string; delivery: Promise<void> }
  | { kind: 'invalid'; error: string }
  | { kind: 'throttled'; waitMs: number };

/**
 * Answers a request for a reset link. The request is counted against the client address,
 * alone and with the email, before anything is looked up. The answer does not wait for the
 * link to be made or mailed, so an address with an account takes no longer than one
 * without; a failure is logged without the link.
 */
export async function requestPasswordReset(
  db: Kysely<Database>,
  smtp: SmtpSettings,
  input: { email: string; clientAddress: string; origin: URL },
  now = Date.now(),
): Promise<ResetRequestAnswer> {
  const email = normalizeEmail(input.email);
  const problem = emailProblem(email);
  if (problem) return { kind: 'invalid', error: problem };
  const reservation = await reserveAttempt(db, passwordResetThrottleKeys(input.clientAddress, email), now);
  if (!reservation.ok) return { kind: 'throttled', waitMs: reservation.waitMs };
  const delivery = deliverResetLink(db, smtp, email, input.origin, now).catch((error: Error) =>
    console.error(`Keyway: a password reset email was not sent: ${error.message}`),
  );
  return { kind: 'sent', email, delivery };
}

/** Makes and mails a link when the address has an account that was not sent one this minute. */
async function deliverResetLink(
  db: Kysely<Database>,
  smtp: SmtpSettings,
  email: string,
  origin: URL,
  now: number,
): Promise<void> {
  const user = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (!user) return;
  const last = await lastResetAt(db, user.id);
  if (last !== null && now - last < RESET_RESEND_MS) return;
  const token = await createPasswordReset(db, user.id, now);
  const sent = await sendResetLink(smtp, email, resetLink(origin, token));
  if (!sent.sent) throw new Error(sent.reason);
}
