import { localhostAllowedOrigins, originValidationResponse } from '@modelcontextprotocol/server';
import type { KeywayConfig } from '../lib/config/config.ts';
import { getDatabase } from '../lib/db/index.ts';
import { apiOrigin } from '../lib/http/api-origin.ts';
import { sampleKeySecret } from '../lib/keys/sample-key-secret.ts';
import type { DocsSearch } from '../isomorphic/search/engine.ts';
import { identifyCaller } from './caller/caller.ts';
import { connectPage } from './connect-page.ts';
import { serveMcpRequest } from './server.ts';

/** The path the MCP server answers on. */
export const MCP_PATH = '/mcp';

/**
 * The hostnames a browser page calling `/mcp` may be served from. The MCP specification
 * asks servers to refuse a foreign Origin (403), so a web page the reader visits cannot
 * drive their assistant's connection; with DNS rebinding such a page can even share our
 * Host. So the Host is never trusted for this: PUBLIC_ORIGIN's hostname when it is set, else
 * only loopback names (a site reached by another name must set PUBLIC_ORIGIN for browser
 * clients). Requests without an Origin (assistants, curl) are not browsers and pass.
 */
function allowedOriginHosts(config: KeywayConfig): string[] {
  return config.publicOrigin ? [config.publicOrigin.hostname] : localhostAllowedOrigins();
}

/**
 * The MCP endpoint (`/mcp`): checks the Origin, shows a browser how to connect, identifies
 * the caller by their sandbox key, then serves the request with the tools that key may use.
 */
export async function serveMcp(
  config: KeywayConfig,
  request: Request,
  clientAddress: string,
  docsSearch: () => Promise<DocsSearch>,
): Promise<Response> {
  const rejected = originValidationResponse(request, allowedOriginHosts(config));
  if (rejected) return rejected;
  const url = new URL(request.url);
  const secure = url.protocol === 'https:';
  const siteOrigin = apiOrigin(config.publicOrigin, request.headers.get('host'), secure).origin;
  if (request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html')) {
    return connectPage(siteOrigin, secure);
  }
  const { db } = await getDatabase(config.database);
  const guests = { secret: await sampleKeySecret(db, config.sampleKeySecret), clientAddress };
  const caller = await identifyCaller(db, request, siteOrigin, guests);
  if (caller && 'status' in caller) return refusal(caller.status, caller.message);
  return serveMcpRequest(request, {
    config,
    db,
    caller,
    siteOrigin,
    clientAddress,
    search: docsSearch,
  });
}

/**
 * A refused key, as a JSON-RPC error with the sandbox's message and status (401, or 403 for
 * a live or publishable key). The challenge names the bearer scheme but no authorization
 * server: the key comes from the reader's dashboard, not from an OAuth flow.
 */
function refusal(status: number, message: string): Response {
  return Response.json(
    { jsonrpc: '2.0', error: { code: -32001, message }, id: null },
    {
      status,
      headers: {
        'cache-control': 'no-store',
        ...(status === 401 ? { 'www-authenticate': 'Bearer realm="keyway", error="invalid_token"' } : {}),
      },
    },
  );
}
