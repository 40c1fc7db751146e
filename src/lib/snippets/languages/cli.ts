import type { Generator, ParamType } from '../../../isomorphic/api-call.ts';
import { TOKENS } from '../../../isomorphic/api-call.ts';
import { formPairs, shellQuote } from './form-pairs.ts';

/** Param types that the CLI takes as `--flag=value`; the rest go through `-d` pairs. */
const FLAG_TYPES: ReadonlySet<ParamType> = new Set(['string', 'integer', 'boolean']);

/**
 * Keyway's CLI syntax, as the in-browser shell and the terminal `keyway` accept it:
 * `keyway <resource> <action> [id] --flag=value -d "nested[key]=value"`.
 * Scalar params become flags (`_` written as `-`, as the Stripe CLI does); nested
 * ones become `-d` pairs. The key and base URL are explicit so the line runs anywhere.
 */
export const cli: Generator = (call) => {
  const { resource, action, params: types } = call.operation;
  const head = ['keyway', resource, action, call.objectId].filter(Boolean).join(' ');
  const lines = [head];
  for (const [name, value] of Object.entries(call.params)) {
    const type = types[name];
    if (type && FLAG_TYPES.has(type) && typeof value !== 'object') {
      lines.push(`--${name.replaceAll('_', '-')}=${shellQuote(String(value))}`);
    } else {
      for (const [pairName, pairValue] of formPairs({ [name]: value })) {
        lines.push(`-d ${shellQuote(`${pairName}=${pairValue}`)}`);
      }
    }
  }
  lines.push(`--api-key ${TOKENS.secretKey}`, `--api-base ${TOKENS.apiBase}`);
  return lines.join(' \\\n  ');
};
