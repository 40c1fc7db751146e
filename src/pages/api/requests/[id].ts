import type { APIContext } from 'astro';
import { database } from '../../../lib/db/index.ts';
import { privateJson as json } from '../../../lib/http/private-json.ts';
import { readerScope } from '../../../lib/reader/scope.ts';

/**
 * One of the reader's sandbox requests with the events it caused, for the walkthrough's
 * last step (anonymous readers have no dashboard to look it up in).
 */
export async function GET(context: APIContext): Promise<Response> {
  const { db } = await database();
  const accountId = await readerScope(db, context.locals.reader).accountId();
  const id = context.params.id ?? '';
  const log = accountId
    ? await db
        .selectFrom('request_logs')
        .selectAll()
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .executeTakeFirst()
    : undefined;
  if (!log) return json(404, { error: 'No such request among yours.' });
  const events = await db
    .selectFrom('events')
    .select(['event'])
    .where('request_id', '=', log.id)
    .where('account_id', '=', log.account_id)
    .execute();
  return json(200, {
    request: {
      id: log.id,
      method: log.method,
      path: log.path,
      status: log.status,
      duration_ms: log.duration_ms,
      source: log.source,
      key: log.masked_key,
      created_ms: log.created_ms,
      query: log.query ? (JSON.parse(log.query) as unknown) : null,
      body: log.body ? (JSON.parse(log.body) as unknown) : null,
      response: JSON.parse(log.response) as unknown,
    },
    events: events.map((row) => JSON.parse(row.event) as unknown),
  });
}
