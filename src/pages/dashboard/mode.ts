import type { APIContext } from 'astro';
import { modeCookie } from '../../lib/dashboard/mode.ts';
import { field, readForm } from '../../lib/http/forms.ts';
import { safeNextPath } from '../../lib/http/next-path.ts';

/** Switches the dashboard between test and live data, then goes back to the page. */
export async function POST(context: APIContext): Promise<Response> {
  const form = await readForm(context.request);
  const mode = field(form, 'mode') === 'live' ? 'live' : 'test';
  const next = safeNextPath(field(form, 'next'), '/dashboard/apikeys');
  return new Response(null, {
    status: 303,
    headers: { location: next, 'set-cookie': modeCookie(mode, context.locals.secure) },
  });
}
