import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

/** The protocol eras /mcp serves, as the SDK's client speaks them. */
export const ERAS = [
  { name: '2025-11-25 (initialize, the default)', version: '2025-11-25', negotiation: undefined },
  {
    name: '2026-07-28 (pinned, no sessions)',
    version: '2026-07-28',
    negotiation: { mode: { pin: '2026-07-28' } },
  },
] as const;

export type Era = (typeof ERAS)[number];

/** A tool call's result as the tests read it: its text, and whether it is a tool error. */
export interface ToolAnswer {
  text: string;
  isError: boolean;
}

/** An MCP client connected to a server's /mcp, with a key or without. */
export async function connectMcp(base: string, era: Era, key?: string): Promise<Client> {
  const client = new Client(
    { name: 'keyway-tests', version: '1.0.0' },
    era.negotiation ? { versionNegotiation: era.negotiation } : {},
  );
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', base), {
    requestInit: key ? { headers: { authorization: `Bearer ${key}` } } : {},
  });
  await client.connect(transport);
  return client;
}

/** Calls a tool and returns its text and error flag. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<ToolAnswer> {
  const result = await client.callTool({ name, arguments: args });
  const content = (result.content ?? []) as Array<{ type: string; text?: string }>;
  return {
    text: content.map((part) => part.text ?? '').join('\n'),
    isError: result.isError === true,
  };
}

/** A successful tool answer's JSON. */
export function parsed<T>(answer: ToolAnswer): T {
  if (answer.isError) throw new Error(`The tool failed: ${answer.text}`);
  return JSON.parse(answer.text) as T;
}
