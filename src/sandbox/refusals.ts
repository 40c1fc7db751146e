import { errorBody, SandboxError } from './errors.ts';
import { newRequestId } from './ids.ts';

/** Methods a web `Request` cannot carry, so they never reach the handler. */
export const UNREPRESENTABLE_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * The sandbox's answer to such a method, shaped like every other sandbox response (JSON,
 * Request-Id, Allow), for the server to send without building a `Request`.
 */
export function refuseMethod(
  method: string,
  origin: string,
): { status: number; headers: Record<string, string>; body: string } {
  const requestId = newRequestId();
  const error = new SandboxError(405, `The sandbox does not accept ${method} requests.`);
  return {
    status: 405,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'request-id': requestId,
      allow: 'GET, POST, DELETE',
    },
    body: JSON.stringify(errorBody(error, origin, null), null, 2),
  };
}
