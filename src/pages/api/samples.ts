import type { APIContext } from 'astro';
import qs from 'qs';
import { privateJson as json } from '../../lib/http/private-json.ts';
import type { Params } from '../../isomorphic/api-call.ts';
import { ApiCallError, resolveApiCall } from '../../isomorphic/resolve-call.ts';
import { renderCallPanels } from '../../lib/snippets/render-call.ts';
import { holdsStandin } from '../../lib/page-template/standins.ts';

/**
 * The samples for an edited call: `?method=POST&path=/v1/customers&params=<form-encoded>`.
 * A try-it widget calls this when the reader changes a field, so the samples beside it
 * show (and copy) exactly what the reader is about to run.
 */
export async function GET(context: APIContext): Promise<Response> {
  const query = context.url.searchParams;
  const encoded = query.get('params') ?? '';
  if (encoded.length > 10_000) return json(413, { error: 'Those parameters are too long to render.' });
  const params = qs.parse(encoded, { depth: 3, parameterLimit: 100, arrayLimit: 20 }) as Params;
  try {
    const call = resolveApiCall(query.get('method') ?? 'GET', query.get('path') ?? '', params);
    // The sample is filled with the reader's values after highlighting, so a field that
    // reads like a stand-in would show a key or markup where the reader typed it.
    if (holdsStandin(JSON.stringify([call.objectId ?? '', call.params]))) {
      return json(400, { error: 'These samples cannot show a value that contains {{…}} or KwStandIn.' });
    }
    return json(200, { panels: await renderCallPanels(call, context.locals.slots) });
  } catch (error) {
    if (error instanceof ApiCallError) return json(400, { error: `${error.message} ${error.hint}` });
    throw error;
  }
}
