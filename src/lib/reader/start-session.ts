import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { guestDestination } from '../guests/guest-destination.ts';
import { adoptGuest } from '../guests/guest-sandbox.ts';
import type { Reader } from './reader.ts';
import { createSession, invalidateSession } from '../auth/session.ts';
import { sessionCookie } from '../auth/session-cookie.ts';
import { keysSwitchedCookie } from './cookies.ts';

/**
 * After a successful sign-up or sign-in: end whatever session the browser held (so a
 * cookie planted before sign-in is worthless), or move the anonymous reader's guest
 * sandbox into an account where they may write test data; start a new session, and send
 * the reader on with its cookie. An anonymous reader is also marked, so the next docs page
 * tells them once that the samples' sample keys became their own.
 */
export async function startSessionAndRedirect(
  db: Kysely<Database>,
  previous: Reader,
  signedIn: { userId: string; accountId: string },
  location: string,
  secure: boolean,
): Promise<Response> {
  if (previous.member) await invalidateSession(db, previous.member.sessionId);
  else {
    // What the reader made anonymously comes with them, where their role lets them write.
    const destination = await guestDestination(db, signedIn.userId, signedIn.accountId);
    if (destination) await adoptGuest(db, previous, destination);
  }
  const token = await createSession(db, signedIn.userId, signedIn.accountId);
  const headers = new Headers({ location, 'set-cookie': sessionCookie(token, secure) });
  if (!previous.member) headers.append('set-cookie', keysSwitchedCookie(true, secure));
  return new Response(null, { status: 303, headers });
}
