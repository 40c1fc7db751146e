import type { APIContext } from 'astro';
import { dashboardMode } from '../../../lib/dashboard/mode.ts';
import { database } from '../../../lib/db/index.ts';
import { privateJson } from '../../../lib/http/private-json.ts';
import { latestRequests, REQUEST_LIMITS, type RequestScope } from '../../../lib/live/operation-requests.ts';
import { readerScope } from '../../../lib/reader/scope.ts';
import { parseCookies } from '../../../lib/reader/cookies.ts';
import { operationById, OPERATIONS } from '../../../spec/operations.ts';

/**
 * `GET /api/requests?operation=create-customer&limit=5`: the reader's latest requests to one
 * operation, for the block beside it in the reference. A member whose docs run with their
 * account's keys sees that account in the mode their dashboard shows, as its log does;
 * anyone else sees their guest sandbox (test mode), or nothing before their first request.
 */
export async function GET(context: APIContext): Promise<Response> {
  const query = context.url.searchParams;
  const operationId = query.get('operation') ?? '';
  const operation = operationById(operationId);
  if (!operation) {
    const known = OPERATIONS.map((each) => each.id).join(', ');
    return privateJson(400, {
      error: `Unknown operation ${JSON.stringify(operationId.slice(0, 60))}: use one of ${known}.`,
    });
  }
  const limit = limitFrom(query.get('limit'));
  if (limit === null) {
    return privateJson(400, {
      error: `limit must be a whole number from 1 to ${REQUEST_LIMITS.max}.`,
    });
  }
  const { reader } = context.locals;
  const { db } = await database();
  const accountId = await readerScope(db, reader).accountId();
  const own = reader.keySource === 'account';
  const mode = own ? dashboardMode(parseCookies(context.request.headers.get('cookie'))) : 'test';
  if (!accountId) return privateJson(200, { operation: operation.id, mode, requests: [] });
  const scope: RequestScope = { accountId, mode, logs: own ? 'dashboard' : 'entry' };
  const requests = await latestRequests(db, scope, operation, limit);
  return privateJson(200, { operation: operation.id, mode, requests });
}

/** The limit asked for, the default when none is, or null when it is not one we serve. */
function limitFrom(value: string | null): number | null {
  if (value === null) return REQUEST_LIMITS.default;
  if (!/^\d{1,3}$/.test(value)) return null;
  const limit = Number(value);
  return limit >= 1 && limit <= REQUEST_LIMITS.max ? limit : null;
}
