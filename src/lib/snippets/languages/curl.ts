import type { Generator } from '../../../isomorphic/api-call.ts';
import { TOKENS } from '../../../isomorphic/api-call.ts';
import { formPairs, shellQuote } from './form-pairs.ts';
import { requestPath } from './shared-path.ts';

/**
 * Values that mean the same sent raw or form-encoded (only `&`, `+`, `%`, `=` and spaces
 * and the like change meaning), so `-d`, which sends its argument as it is, is exact.
 * Anything else goes through `--data-urlencode`.
 */
const FORM_SAFE = /^[A-Za-z0-9._~*@:\/,-]*$/;

/**
 * curl with HTTP Basic auth (the key as user name, no password), one flag per line.
 * GET params go in the query string through `-G`.
 */
export const curl: Generator = (call) => {
  const { method } = call.operation;
  const head = [
    method === 'DELETE' ? 'curl -X DELETE' : method === 'GET' && hasParams(call) ? 'curl -G' : 'curl',
    `${TOKENS.apiBase}${requestPath(call)}`,
  ].join(' ');
  const lines = [head, `-u ${TOKENS.secretKey}:`];
  for (const [name, value] of formPairs(call.params)) {
    const flag = FORM_SAFE.test(value) ? '-d' : '--data-urlencode';
    lines.push(`${flag} ${shellQuote(`${name}=${value}`)}`);
  }
  return lines.join(' \\\n  ');
};

const hasParams = (call: Parameters<Generator>[0]) => Object.keys(call.params).length > 0;
