/**
 * The error codes the API returns, each with its status and what it means. The reference's
 * error page has a section per code (`/docs/api/errors#<code>`), which `doc_url` links to.
 */
export interface ErrorCodeSpec {
  status: number;
  summary: string;
}

export const ERROR_CODES = {
  parameter_unknown: { status: 400, summary: 'The request names a parameter the operation does not take.' },
  parameter_missing: { status: 400, summary: 'A required parameter is missing.' },
  parameter_invalid_integer: {
    status: 400,
    summary: 'A parameter that takes an integer got something else, or one out of range.',
  },
  parameter_invalid_empty: { status: 400, summary: 'A parameter that cannot be unset got an empty string.' },
  parameter_invalid_string: {
    status: 400,
    summary: 'A string parameter is too long, not one of its values, or not of its shape.',
  },
  email_invalid: { status: 400, summary: 'The email address is not a valid address.' },
  search_query_invalid: {
    status: 400,
    summary:
      'The search query cannot be parsed, names a field the resource cannot be searched by, or uses the language in a way it does not allow.',
  },
  url_invalid: {
    status: 400,
    summary:
      'A URL is malformed, not http(s), carries a user name or password, or points at an address the site does not send to.',
  },
  webhook_endpoint_limit: {
    status: 400,
    summary: 'The account already has 16 webhook endpoints in this mode.',
  },
  resource_missing: { status: 404, summary: 'No object with that id exists in this account and mode.' },
  secret_key_required: { status: 401, summary: 'A publishable key was used where a secret key is needed.' },
  api_key_expired: { status: 401, summary: 'The key was rolled and its old value has expired.' },
  sample_key_invalid: { status: 401, summary: 'A sample key this site did not issue.' },
  sample_key_expired: { status: 401, summary: 'A sample key older than 24 hours that was never used.' },
  guest_limit: { status: 429, summary: 'Too many guest sandboxes were started from one network.' },
  rate_limit: { status: 429, summary: 'Too many requests with one key in one second.' },
  idempotency_key_in_use: {
    status: 409,
    summary: 'Another request with the same idempotency key is still running.',
  },
  body_invalid: { status: 400, summary: 'The body is not form-encoded, or cannot be decoded.' },
  body_too_large: { status: 413, summary: 'The body is larger than 1 MB.' },
  api_version_invalid: { status: 400, summary: 'The Stripe-Version header is not a version.' },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Errors any operation can return, whatever it does: authentication, limits, the body. */
export const COMMON_ERRORS: readonly ErrorCode[] = [
  'secret_key_required',
  'api_key_expired',
  'sample_key_invalid',
  'sample_key_expired',
  'guest_limit',
  'rate_limit',
  'api_version_invalid',
];
