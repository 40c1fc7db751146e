/**
 * Where a sandbox request came from, as the request log shows it: code and terminals (`api`),
 * the in-page shell, a try-it widget, an AI assistant over MCP (`/mcp`). The browser sends it in the `keyway-source` header and
 * the sandbox records it, so this list has no imports and may be loaded anywhere.
 */
export const REQUEST_SOURCES = ['api', 'shell', 'try-it', 'mcp'] as const;

/** One of {@link REQUEST_SOURCES}. */
export type RequestSource = (typeof REQUEST_SOURCES)[number];

/** The source a `keyway-source` header names; anything else (or none) is plain `api`. */
export function requestSourceOf(header: string | null): RequestSource {
  return REQUEST_SOURCES.find((source) => source === header) ?? 'api';
}

/** Each source as the dashboard's request log names it. */
export const REQUEST_SOURCE_LABELS: Readonly<Record<RequestSource, string>> = {
  api: 'API',
  shell: 'Shell',
  'try-it': 'Try it',
  mcp: 'MCP',
};
