import { z } from 'zod';
import { callerMay } from '../caller/caller.ts';
import { callSandbox } from '../caller/sandbox-call.ts';
import { sandboxResult } from './sandbox-answer.ts';
import { defineTool } from './tool.ts';

/** The most parameter JSON a call may carry: far above any real call, far below a flood. */
export const MAX_PARAMS_BYTES = 16 * 1024;

/**
 * Any sandbox request, as the caller's key. One tool rather than one per method: it mirrors
 * the API one to one, and the sandbox already decides what each key may do. Because it can
 * DELETE, it is marked destructive: annotations are per tool, and a client that asks before
 * destructive calls should ask here. Nothing leaves the sandbox (openWorldHint false).
 */
export const callApi = defineTool({
  name: 'call_api',
  title: 'Call the sandbox API',
  description:
    "Sends a request to the caller's Keyway sandbox (test mode, Stripe's wire format) with the caller's own key. " +
    'It is logged in their request log (source MCP) and shown on their live walkthrough. ' +
    'Parameters are JSON; nested objects and lists are sent in bracket notation. A sandbox error comes back as a tool error with its message, type, code and param.',
  inputSchema: z.object({
    method: z.enum(['GET', 'POST', 'DELETE']),
    path: z
      .string()
      .max(200)
      .regex(/^\/v1\/[A-Za-z0-9_/]*$/, 'A sandbox path: /v1/ then the resource, e.g. /v1/customers.')
      .describe('e.g. /v1/customers or /v1/customers/cus_123'),
    params: z
      .record(z.string(), z.unknown())
      .optional()
      .refine((params) => JSON.stringify(params ?? {}).length <= MAX_PARAMS_BYTES, {
        message: `Parameters may take at most ${MAX_PARAMS_BYTES} bytes of JSON.`,
      })
      .describe('e.g. {"email": "jenny.rosen@example.com", "metadata": {"order": "6735"}}'),
    idempotency_key: z.string().min(1).max(255).optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  offeredTo: (caller) => callerMay(caller, 'customers', 'read') || callerMay(caller, 'events', 'read'),
  run: async ({ method, path, params, idempotency_key }, context) =>
    sandboxResult(
      await callSandbox(context.config, context.caller!, context.siteOrigin, context.clientAddress, {
        method,
        path,
        params,
        idempotencyKey: idempotency_key,
      }),
    ),
});
