import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { TOOLS } from './tools/index.ts';
import type { ToolContext } from './tools/tool.ts';

/** How the server names itself to clients. */
const SERVER_INFO = { name: 'keyway', title: 'Keyway docs and sandbox', version: '1.0.0' };

/** Told to every client at connection: how the tools fit together. */
const INSTRUCTIONS =
  'Keyway documents a Stripe-compatible test-mode API and gives each reader a sandbox of their own. ' +
  'Use search_docs, read_page, list_operations and describe_operation to answer questions from the docs. ' +
  "With a key: call_api makes requests in the reader's sandbox (test mode only), recent_requests explains failed ones, " +
  'list_events and get_event show what changed.';

/** Bodies above this are refused with 413 before anything is parsed: a tool call is a few KB. */
export const MAX_MCP_BODY_BYTES = 64 * 1024;

/**
 * A fresh MCP server holding the tools this caller is offered. Made per HTTP request
 * (stateless), so no caller's key or tools outlive their request, and any process of the
 * site can answer any request.
 */
export function mcpServerFor(context: ToolContext): McpServer {
  const server = new McpServer(SERVER_INFO, { instructions: INSTRUCTIONS });
  for (const tool of TOOLS) {
    if (!tool.offeredTo(context.caller)) continue;
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        annotations: tool.annotations,
      },
      (input) => tool.run(input, context),
    );
  }
  return server;
}

/**
 * Serves one MCP request for this caller in either protocol era: 2026-07-28 (no sessions,
 * `server/discover`) and the 2025-11-25 era clients still speak (`initialize`), the latter
 * statelessly. Answers are single JSON bodies: no tool sends progress on the way.
 */
export function serveMcpRequest(request: Request, context: ToolContext): Promise<Response> {
  const handler = createMcpHandler(() => mcpServerFor(context), {
    responseMode: 'json',
    maxRequestBodySize: MAX_MCP_BODY_BYTES,
    onerror: (error) => console.error('MCP request failed:', error),
  });
  return handler.fetch(request).finally(() => handler.close());
}
