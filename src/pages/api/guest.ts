import type { APIContext } from 'astro';
import { database } from '../../lib/db/index.ts';
import { describeWait } from '../../lib/auth/throttle.ts';
import { activateGuest } from '../../lib/guests/guest-sandbox.ts';

/**
 * Turns the anonymous reader's sample keys into a working guest sandbox (page scripts call
 * it before running something, and when a sample is copied). Signed-in readers already
 * have working keys. Same-origin only: the middleware refuses cross-site posts.
 */
export async function POST(context: APIContext): Promise<Response> {
  const { reader } = context.locals;
  if (reader.keySource === 'account') return json(200, { active: true, source: 'account' });
  const { db } = await database();
  const result = await activateGuest(db, reader, context.locals.clientAddress);
  if (!result.ok) {
    return json(429, {
      error: `Too many guest sandboxes from your network today. Try again in ${describeWait(result.waitMs)}, or sign up to get keys of your own.`,
    });
  }
  return json(200, { active: true, source: 'guest', created: result.created });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}
