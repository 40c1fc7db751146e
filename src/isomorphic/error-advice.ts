/**
 * What to do about a failed sandbox request, by error code or, for errors without a code, by
 * status. The try-it and the live walkthrough both read this one table, so a reader is told the
 * same thing wherever they meet the failure.
 */
const ADVICE: Readonly<Record<string, string>> = {
  api_key_expired:
    'This key was rolled and has expired. Reload the page to get the current key, or roll it again on the dashboard.',
  secret_key_required: 'A publishable key cannot do this. Use a secret key (sk_test_…).',
  parameter_unknown:
    'The sandbox does not know one of the parameters: check its spelling against the reference.',
  parameter_missing: 'A required parameter is missing: fill it in and run again.',
  parameter_invalid_integer: 'A parameter needs a whole number.',
  parameter_invalid_string:
    'A parameter has a value the sandbox does not accept: the message says which one, and why.',
  body_invalid: 'The body must be form-encoded (curl -d, or an SDK), not JSON.',
  rate_limit: 'Too many requests at once: wait a second, then run again.',
  guest_limit:
    'Too many guest sandboxes were started from your network today. Try again later, or sign up for keys of your own.',
  sample_key_expired: 'This sample key is more than a day old: reload the page for a fresh one.',
  resource_missing: 'That object does not exist (or belongs to another account): create one first.',
  '401': 'The key was not accepted. Sign in to use your own test key, or reload the page.',
  '403':
    'This key may not make this request: a restricted key needs the permission the message names, and live keys are refused here.',
};

/** The advice for a failure's error code, else for its status; null when there is none. */
export function adviceFor(code: string | null | undefined, status: number): string | null {
  return ADVICE[code ?? ''] ?? ADVICE[String(status)] ?? null;
}

/**
 * A failure explained as the live walkthrough explains it: the sandbox's message, then the
 * advice. The MCP tool `recent_requests` gives an assistant this same text.
 */
export function explainFailure(
  message: string | null | undefined,
  code: string | null | undefined,
  status: number,
): string {
  return `${message ?? 'The request failed.'} ${adviceFor(code, status) ?? ''}`.trim();
}
