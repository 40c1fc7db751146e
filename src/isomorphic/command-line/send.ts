import type { CliRequest } from './parse.ts';
import type { RequestSource } from './request-source.ts';

/** A sandbox response, as the shell, the CLI and the try-it show it. */
export interface CliResponse {
  status: number;
  /** Whether the status is 2xx. */
  ok: boolean;
  requestId: string | null;
  /** The JSON body, or the raw text when it is not JSON. */
  body: unknown;
}

/**
 * Sends a call to the sandbox exactly as curl would: the key as a Bearer token, parameters
 * form-encoded (the body of a POST, the query of a GET or DELETE). The shell, the terminal CLI
 * and the try-it all send through here, so what the docs show is what each of them sends.
 */
export async function sendCliRequest(
  request: Pick<CliRequest, 'method' | 'path' | 'pairs'>,
  connection: { apiKey: string; apiBase: string; source: RequestSource; fetch?: typeof fetch },
): Promise<CliResponse> {
  const form = new URLSearchParams(request.pairs).toString();
  const url = new URL(request.path, connection.apiBase.replace(/\/+$/, '') + '/');
  if (request.method !== 'POST' && form) url.search = form;
  const headers: Record<string, string> = { authorization: `Bearer ${connection.apiKey}` };
  // `api` is what the sandbox assumes without the header, as for any other client.
  if (connection.source !== 'api') headers['keyway-source'] = connection.source;
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
  return {
    status: response.status,
    ok: response.ok,
    requestId: response.headers.get('request-id'),
    body,
  };
}
