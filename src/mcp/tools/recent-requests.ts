import { z } from 'zod';
import { explainFailure } from '../../isomorphic/error-advice.ts';
import { errorBody, SandboxError } from '../../sandbox/errors.ts';
import { enforceRateLimit } from '../../sandbox/rate-limit.ts';
import { sandboxRateWindows } from '../../sandbox/serve.ts';
import { sandboxResult } from './sandbox-answer.ts';
import { defineTool, jsonResult } from './tool.ts';

/** The most entries one call returns: a screenful, like a page of the dashboard's log. */
const MAX_LIMIT = 25;

interface StoredError {
  error?: { message?: string; type?: string; code?: string; param?: string };
}

/**
 * The caller's own request log (their account, their key's mode), newest first, as the
 * dashboard lists it: keys were cut from every entry when it was written. A failure carries
 * the sandbox's error and the explanation the live walkthrough gives for it. Successful
 * responses are left out: a restricted key may see that a request happened, but not the
 * objects another key read.
 */
export const recentRequests = defineTool({
  name: 'recent_requests',
  title: 'Recent requests',
  description:
    "The caller's most recent sandbox requests, newest first (from their code, the docs' try-it and shell, or MCP). " +
    'Each failure comes with its error and an explanation of what to do: ask it "why did my last call fail?".',
  inputSchema: z.object({
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_LIMIT)
      .optional()
      .describe(`How many, 1 to ${MAX_LIMIT}; 10 if left out.`),
    failed_only: z.boolean().optional().describe('Only requests that failed (status 400 and up).'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  offeredTo: (caller) => caller !== null,
  run: async ({ limit, failed_only }, { config, db, caller, siteOrigin }) => {
    // The one sandbox-data tool that does not go through the sandbox handler: it counts in the
    // key's rate window itself, so no tool reads the database faster than the API may.
    try {
      await enforceRateLimit(
        sandboxRateWindows(config, db),
        caller!.key.id,
        config.sandboxRateLimit,
        Date.now(),
        siteOrigin,
      );
    } catch (error) {
      if (error instanceof SandboxError) {
        return sandboxResult({
          status: error.status,
          requestId: null,
          body: errorBody(error, siteOrigin, null),
        });
      }
      throw error;
    }
    let query = db
      .selectFrom('request_logs')
      .select(['id', 'source', 'masked_key', 'method', 'path', 'status', 'response', 'created_ms'])
      .where('account_id', '=', caller!.key.accountId)
      .where('mode', '=', caller!.key.mode);
    if (failed_only) query = query.where('status', '>=', 400);
    const rows = await query
      .orderBy('created_ms', 'desc')
      .orderBy('id', 'desc')
      .limit(limit ?? 10)
      .execute();
    return jsonResult(
      rows.map((row) => {
        const entry = {
          id: row.id,
          time: new Date(row.created_ms).toISOString(),
          source: row.source,
          key: row.masked_key,
          method: row.method,
          path: row.path,
          status: row.status,
          log_url: new URL(`/dashboard/logs/${row.id}`, siteOrigin).href,
        };
        if (row.status < 400) return entry;
        const { message, type, code, param } = (JSON.parse(row.response) as StoredError).error ?? {};
        return {
          ...entry,
          error: { message, type, code, param },
          explanation: explainFailure(message, code, row.status),
        };
      }),
    );
  },
});
