import { TOKENS, type Generator } from '../../../isomorphic/api-call.ts';
import { camelCase, hasParams, phpString, renderParams, resultName, type LiteralStyle } from './shared.ts';

const style: LiteralStyle = {
  string: phpString,
  boolean: String,
  key: (key) => phpString(key) + ' => ',
  map: ['[', ']'],
  list: ['[', ']'],
  padInlineMap: false,
  indent: '    ',
};

/** Service method names; listing is `all` in stripe-php. */
const METHODS = {
  create: 'create',
  retrieve: 'retrieve',
  update: 'update',
  delete: 'delete',
  list: 'all',
  search: 'search',
} as const;

/**
 * stripe-php (composer `stripe/stripe-php`, v21): a complete script that loads Composer's
 * autoloader, builds a `\Stripe\StripeClient` with `api_key` and `api_base`, and makes one
 * call on its services. Echoing a Stripe object prints its class and JSON.
 */
export const php: Generator = (call) => {
  const args: string[] = [];
  if (call.objectId !== undefined) args.push(phpString(call.objectId));
  if (hasParams(call)) args.push(renderParams(call.params, style));
  const result = resultName(call, 'camel');
  return [
    '<?php',
    '',
    "require 'vendor/autoload.php';",
    '',
    '$stripe = new \\Stripe\\StripeClient([',
    `    'api_key' => ${phpString(TOKENS.secretKey)},`,
    `    'api_base' => ${phpString(TOKENS.apiBase)},`,
    ']);',
    '',
    `$${result} = $stripe->${camelCase(call.operation.resource)}->${METHODS[call.operation.action]}(${args.join(', ')});`,
    `echo $${result}, PHP_EOL;`,
  ].join('\n');
};
