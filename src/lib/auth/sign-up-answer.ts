import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { SmtpSettings } from '../mail/send-mail.ts';
import { sendAlreadyRegistered, sendVerificationLink } from './account-emails.ts';
import { isEmailVerified } from './email-verification.ts';
import { normalizeEmail, signUp, type FieldErrors } from './accounts.ts';

/** What the sign-up page does with a post. */
export type SignUpAnswer =
  | { kind: 'invalid'; errors: FieldErrors }
  /** No mail server, a new address: nothing to verify against, so the reader goes straight in. */
  | { kind: 'signed-up'; userId: string; accountId: string }
  /** The same answer for a new address and a taken one: look in the mailbox, or sign in. */
  | { kind: 'check-email'; email: string };

/**
 * Signs a reader up without saying whether the address already had an account. With a mail
 * server (`smtp`), every well-formed sign-up gets "check your email": a new address is sent
 * a link that confirms it and signs in; a taken one that never confirmed gets a fresh link;
 * a confirmed one is told it has an account. Without one, a new address is signed in at once
 * (`npm start` must work with no mail set up) and a taken one gets the same "check your
 * email or sign in" answer, without a session.
 */
export async function answerSignUp(
  db: Kysely<Database>,
  smtp: SmtpSettings | null,
  input: { email: string; password: string; accountName?: string },
  links: { origin: string; next: string },
): Promise<SignUpAnswer> {
  const result = await signUp(db, input);
  const email = normalizeEmail(input.email);
  if (!result.ok && 'errors' in result) return { kind: 'invalid', errors: result.errors };
  if (!smtp) {
    return result.ok
      ? { kind: 'signed-up', userId: result.userId, accountId: result.accountId }
      : { kind: 'check-email', email };
  }
  const userId = result.ok ? result.userId : result.existingUserId;
  const sent =
    result.ok || !(await isEmailVerified(db, userId))
      ? await sendVerificationLink(db, smtp, { userId, email }, links)
      : await sendAlreadyRegistered(smtp, email, links);
  // The reader is told the same either way; whoever runs the site needs to know.
  if (!sent.sent && 'reason' in sent) console.error(`Keyway: a sign-up email was not sent: ${sent.reason}`);
  return { kind: 'check-email', email };
}
