import type http from 'node:http';
import type { KeywayConfig } from '../lib/config/config.ts';
import { securityHeaders } from '../lib/http/security-headers.ts';
import { isSecureRequest } from '../lib/page-template/personalize.ts';

/** Whether the request came over TLS to this process. */
export const encrypted = (req: http.IncomingMessage): boolean =>
  'encrypted' in req.socket && Boolean(req.socket.encrypted);

/**
 * Answers with a file that holds no key and is the same for every reader of an origin
 * (`/llms.txt`, the CLI package): shared caches may keep it for five minutes, then revalidate
 * by its ETag; a matching `If-None-Match` gets a 304, and a HEAD the headers alone.
 */
export function sendPublicFile(
  config: KeywayConfig,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  file: { body: Buffer; etag: string; headers: Record<string, string> },
): void {
  const headers = {
    ...securityHeaders(isSecureRequest(config, encrypted(req))),
    ...file.headers,
    'cache-control': 'public, max-age=300',
    etag: file.etag,
  };
  if (req.headers['if-none-match']?.split(/\s*,\s*/).includes(file.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': file.body.length });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}
