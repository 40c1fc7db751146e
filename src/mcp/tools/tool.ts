import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { KeywayConfig } from '../../lib/config/config.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../lib/db/schema.ts';
import type { DocsSearch } from '../../isomorphic/search/engine.ts';
import type { Caller } from '../caller/caller.ts';

/** What every tool may use while it answers one MCP request. */
export interface ToolContext {
  config: KeywayConfig;
  db: Kysely<Database>;
  /** The key that called, or null for an anonymous caller. */
  caller: Caller | null;
  /** This site's origin: links in answers are absolute, since an assistant has no page to resolve them against. */
  siteOrigin: string;
  /** Whom a guest sandbox started by a sample key counts against. */
  clientAddress: string;
  /** The docs search over the built index, loaded when a tool first needs it. */
  search: () => Promise<DocsSearch>;
}

/**
 * One MCP tool, in a module of its own. The registry (tools/index.ts) lists them; adding a
 * tool is writing one of these and adding it to that list.
 */
export interface McpTool<Input extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  inputSchema: Input;
  annotations: ToolAnnotations;
  /** Whether this caller is offered the tool at all: docs tools are for anyone, sandbox tools need a key. */
  offeredTo: (caller: Caller | null) => boolean;
  run: (input: z.infer<Input>, context: ToolContext) => Promise<CallToolResult>;
}

/**
 * Declares a tool: its `run` is typed by its own schema here, and the registry holds every
 * tool alike. The SDK validates the input against that same schema before `run` is called,
 * which is what makes the widening safe.
 */
export function defineTool<Input extends z.ZodObject>(tool: McpTool<Input>): McpTool {
  return tool as unknown as McpTool;
}

/** A successful answer: the data as JSON text, which every client shows and every model reads. */
export function jsonResult(data: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(data, null, 2) }] };
}

/** A failed answer: a tool error the assistant sees and can act on, not a protocol error. */
export function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
