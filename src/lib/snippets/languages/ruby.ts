import { TOKENS, type Generator } from '../../../isomorphic/api-call.ts';
import { hasParams, rbString, renderParams, resultName, type LiteralStyle } from './shared.ts';

const SYMBOL = /^[A-Za-z_][A-Za-z0-9_]*$/;

const style: LiteralStyle = {
  string: rbString,
  boolean: String,
  // `order_id:` for plain names; `"order-id":` (still a symbol) for anything else.
  key: (key) => (SYMBOL.test(key) ? key : rbString(key)) + ': ',
  map: ['{', '}'],
  list: ['[', ']'],
  padInlineMap: true,
  indent: '  ',
};

/**
 * stripe-ruby (gem `stripe`, v19): a `Stripe::StripeClient` pointed at this site with
 * `api_base:`, then one call on its `v1` services. Params go in an explicit hash argument,
 * as the SDK's own examples write it. `puts` prints the object as pretty JSON.
 */
export const ruby: Generator = (call) => {
  const { resource, action } = call.operation;
  const args: string[] = [];
  if (call.objectId !== undefined) args.push(rbString(call.objectId));
  if (hasParams(call)) args.push(renderParams(call.params, style));
  const result = resultName(call);
  return [
    'require "stripe"',
    '',
    `client = Stripe::StripeClient.new(${rbString(TOKENS.secretKey)}, api_base: ${rbString(TOKENS.apiBase)})`,
    '',
    `${result} = client.v1.${resource}.${action}(${args.join(', ')})`,
    `puts ${result}`,
  ].join('\n');
};
