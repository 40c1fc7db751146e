import type { APIContext } from 'astro';
import { database } from '../../lib/db/index.ts';
import { field, readForm } from '../../lib/http/forms.ts';
import { safeNextPath } from '../../lib/http/next-path.ts';
import { switchAccount } from '../../lib/teams/memberships.ts';

/**
 * The header's account picker: makes another of the member's accounts the one whose keys
 * the docs, try-it widgets and shell use, then goes back to the page.
 */
export async function POST(context: APIContext): Promise<Response> {
  const { member } = context.locals.reader;
  const form = await readForm(context.request);
  const next = safeNextPath(field(form, 'next'), '/docs/first-request');
  if (!member) {
    return new Response(null, {
      status: 303,
      headers: { location: `/login?next=${encodeURIComponent(next)}` },
    });
  }
  const { db } = await database();
  if (!(await switchAccount(db, member, field(form, 'account')))) {
    return new Response('You are not a member of that account.', {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  return new Response(null, { status: 303, headers: { location: next } });
}
