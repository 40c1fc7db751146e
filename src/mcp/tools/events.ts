import { z } from 'zod';
import { callerMay } from '../caller/caller.ts';
import { callSandbox } from '../caller/sandbox-call.ts';
import { sandboxResult } from './sandbox-answer.ts';
import { defineTool } from './tool.ts';

// Both go through the sandbox (GET /v1/events…), so they are logged, rate limited and
// permission-checked like any read.

/** The caller's newest events. */
export const listEvents = defineTool({
  name: 'list_events',
  title: 'List events',
  description:
    "Lists the newest events in the caller's sandbox (customer.created, customer.updated, customer.deleted), newest first.",
  inputSchema: z.object({
    limit: z.number().int().min(1).max(100).optional().describe('How many, 1 to 100; 10 if left out.'),
    type: z.string().max(100).optional().describe('Only this type; `*` is a wildcard, e.g. "customer.*".'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  offeredTo: (caller) => callerMay(caller, 'events', 'read'),
  run: async ({ limit, type }, context) =>
    sandboxResult(
      await callSandbox(context.config, context.caller!, context.siteOrigin, context.clientAddress, {
        method: 'GET',
        path: '/v1/events',
        params: { limit: limit ?? 10, ...(type ? { type } : {}) },
      }),
    ),
});

/** One event by id. */
export const getEvent = defineTool({
  name: 'get_event',
  title: 'Get an event',
  description: "Gets one event of the caller's sandbox by id (evt_…), with the object as it was then.",
  inputSchema: z.object({
    id: z.string().regex(/^evt_[A-Za-z0-9]{1,64}$/, 'An event id: evt_ and letters or digits.'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  offeredTo: (caller) => callerMay(caller, 'events', 'read'),
  run: async ({ id }, context) =>
    sandboxResult(
      await callSandbox(context.config, context.caller!, context.siteOrigin, context.clientAddress, {
        method: 'GET',
        path: `/v1/events/${id}`,
      }),
    ),
});
