import { TOKENS, type Generator } from '../../../isomorphic/api-call.ts';
import { camelCase, hasParams, jsString, renderParams, resultName, type LiteralStyle } from './shared.ts';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const style: LiteralStyle = {
  string: jsString,
  boolean: String,
  key: (key) => (IDENTIFIER.test(key) ? key : jsString(key)) + ': ',
  map: ['{', '}'],
  list: ['[', ']'],
  padInlineMap: true,
  indent: '  ',
};

/**
 * stripe-node (npm `stripe`, v22): an ES module that points the client at this site with
 * `host`/`port`/`protocol` (stripe-node has no base-URL option) and awaits one call at
 * top level. Resources hang off the client directly (`stripe.customers`); the delete
 * method is named `del`.
 */
export const node: Generator = (call) => {
  const { resource, action } = call.operation;
  const args: string[] = [];
  if (call.objectId !== undefined) args.push(jsString(call.objectId));
  if (hasParams(call)) args.push(renderParams(call.params, style));
  const method = action === 'delete' ? 'del' : action;
  const result = resultName(call, 'camel');
  return [
    "import Stripe from 'stripe';",
    '',
    `const stripe = new Stripe(${jsString(TOKENS.secretKey)}, {`,
    `  host: ${jsString(TOKENS.apiHost)},`,
    // stripe-node accepts the port as a string or a number.
    `  port: ${jsString(TOKENS.apiPort)},`,
    `  protocol: ${jsString(TOKENS.apiProtocol)},`,
    '});',
    '',
    `const ${result} = await stripe.${camelCase(resource)}.${method}(${args.join(', ')});`,
    `console.log(${result});`,
  ].join('\n');
};
