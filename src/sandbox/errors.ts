import { ERROR_CODES } from '../spec/errors.ts';

/**
 * The one way the sandbox fails a request: Stripe's error shape, status and type, with a
 * `doc_url` to Keyway's own error reference and a `request_log_url` to the dashboard.
 */
export type ErrorType = 'invalid_request_error' | 'idempotency_error' | 'api_error';

export class SandboxError extends Error {
  readonly status: number;
  readonly type: ErrorType;
  readonly code: string | undefined;
  readonly param: string | undefined;
  /** Extra response headers (Retry-After on a 429). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    options: { type?: ErrorType; code?: string; param?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'SandboxError';
    this.status = status;
    this.type = options.type ?? 'invalid_request_error';
    this.code = options.code;
    this.param = options.param;
    this.headers = options.headers ?? {};
  }
}

/** Codes that have a section in /docs/api/errors, so their doc_url leads somewhere. */
const DOCUMENTED_CODES: ReadonlySet<string> = new Set(Object.keys(ERROR_CODES));

/** The JSON body of an error response. */
export function errorBody(
  error: SandboxError,
  origin: string,
  requestId: string | null,
): { error: Record<string, unknown> } {
  const body: Record<string, unknown> = { type: error.type, message: error.message };
  if (error.code) body.code = error.code;
  if (error.param) body.param = error.param;
  if (error.code && DOCUMENTED_CODES.has(error.code))
    body.doc_url = `${origin}/docs/api/errors#${error.code}`;
  if (requestId) body.request_log_url = `${origin}/dashboard/logs/${requestId}`;
  return { error: body };
}
