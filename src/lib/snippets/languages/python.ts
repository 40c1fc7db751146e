import { TOKENS, type Generator } from '../../../isomorphic/api-call.ts';
import { pyString, renderValue, resourceClass, resultName, type LiteralStyle } from './shared.ts';

const style: LiteralStyle = {
  string: pyString,
  boolean: (value) => (value ? 'True' : 'False'),
  key: (key) => pyString(key) + ': ',
  map: ['{', '}'],
  list: ['[', ']'],
  padInlineMap: false,
  indent: '    ',
};

/** Class-method names; `update` is `modify` in the resource-class API. */
const METHODS = {
  create: 'create',
  retrieve: 'retrieve',
  update: 'modify',
  delete: 'delete',
  list: 'list',
  search: 'search',
} as const;

/**
 * stripe-python, in the module-global style (`stripe.api_key`, `stripe.api_base`,
 * `stripe.Customer.create(...)`) rather than `StripeClient`: it is the one form that runs
 * unchanged on both Debian's python3-stripe 5.0.0 and current 15.x, where it still works.
 * Params are keyword arguments; indentation follows PEP 8 (4 spaces).
 */
export const python: Generator = (call) => {
  const indent = style.indent;
  const args: string[] = [];
  if (call.objectId !== undefined) args.push(pyString(call.objectId));
  for (const [name, value] of Object.entries(call.params)) {
    args.push(`${name}=${renderValue(value, style, 1, indent.length + name.length + 1)}`);
  }
  const target = `stripe.${resourceClass(call)}.${METHODS[call.operation.action]}`;
  // A lone id stays on one line; params get one keyword argument per line.
  const callExpr =
    Object.keys(call.params).length === 0
      ? `${target}(${args.join(', ')})`
      : `${target}(\n${args.map((arg) => `${indent}${arg},`).join('\n')}\n)`;
  const result = resultName(call);
  return [
    'import stripe',
    '',
    `stripe.api_key = ${pyString(TOKENS.secretKey)}`,
    `stripe.api_base = ${pyString(TOKENS.apiBase)}`,
    '',
    `${result} = ${callExpr}`,
    `print(${result})`,
  ].join('\n');
};
