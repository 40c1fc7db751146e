import type { CliRequest } from './parse.ts';

/** Where requests from the shell and the terminal CLI come from, as the request log shows. */
export type CliSource = 'shell' | 'api';

/** A sandbox response, as the shell and the CLI print it. */
export interface CliResponse {
  status: number;
  requestId: string | null;
  /** The JSON body, or the raw text when it is not JSON. */
  body: unknown;
}

/**
 * Sends a parsed command to the sandbox exactly as curl would: the key as a Bearer token,
 * parameters form-encoded (the body of a POST, the query of a GET or DELETE).
 */
export async function sendCliRequest(
  request: CliRequest,
  connection: { apiKey: string; apiBase: string; source: CliSource; fetch?: typeof fetch },
): Promise<CliResponse> {
  const form = new URLSearchParams(request.pairs).toString();
  const url = new URL(request.path, connection.apiBase.replace(/\/+$/, '') + '/');
  if (request.method !== 'POST' && form) url.search = form;
  const headers: Record<string, string> = { authorization: `Bearer ${connection.apiKey}` };
  if (connection.source === 'shell') headers['keyway-source'] = 'shell';
  if (request.method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await (connection.fetch ?? fetch)(url, {
    method: request.method,
    headers,
    body: request.method === 'POST' ? form : undefined,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page, say): show it as it came.
  }
  return { status: response.status, requestId: response.headers.get('request-id'), body };
}
