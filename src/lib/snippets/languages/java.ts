import {
  TOKENS,
  type ActionName,
  type ApiCall,
  type Generator,
  type ParamValue,
} from '../../../isomorphic/api-call.ts';
import { operationById } from '../../../spec/operations.ts';
import type { Rule, Schema } from '../../../spec/rules.ts';
import {
  callParams,
  camelCase,
  isRecord,
  isUnset,
  javaString,
  listItems,
  paramsOf,
  pascalCase,
  rangeBounds,
  resourceClass,
  resultName,
  singular,
  type Param,
} from './shared.ts';

const INDENT = '    ';

/**
 * stripe-java types a parameter with a fixed set of values (`oneOf` in the declaration) as
 * an enum nested in its params class, named after the parameter: `tax_exempt` → `TaxExempt`.
 */
function enumTypeOf(rule: Rule | undefined, name: string): string | undefined {
  return rule?.kind === 'string' && rule.oneOf ? pascalCase(name) : undefined;
}

/** `exempt` → `EXEMPT`, the enum constant naming stripe-java uses. */
const enumConstant = (value: string) => value.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

const stringValue = (value: ParamValue) =>
  javaString(typeof value === 'string' ? value : JSON.stringify(value));

const longValue = (value: ParamValue) => `${Number(value)}L`;

interface Context {
  /** Set when a param is cleared with `EmptyParam.EMPTY`, which needs an import. */
  usesEmptyParam: boolean;
}

/**
 * `Type.builder()` followed by one `.setter(...)` per line and `.build()`, its lines at
 * `level` indents deeper than the line the expression starts on.
 */
function builderChain(type: string, calls: string[], level: number): string {
  const pad = INDENT.repeat(level);
  return [`${type}.builder()`, ...calls.map((c) => pad + c), `${pad}.build()`].join('\n');
}

/** The builder calls for `params` of the params class (or nested class) `type`. */
function setters(
  params: Param[],
  type: string,
  level: number,
  ctx: Context,
  rules: Schema | undefined,
): string[] {
  const calls: string[] = [];
  for (const { name, value, type: paramType } of params) {
    const prop = pascalCase(name);
    const rule = rules && Object.hasOwn(rules, name) ? rules[name] : undefined;
    const enumType = enumTypeOf(rule, name);

    if (isUnset(value)) {
      if (paramType === 'string' && !enumType) {
        calls.push(`.set${prop}("")`);
      } else if (enumType || paramType === 'string-map' || typeof paramType === 'object') {
        // The SDK's typed way to send `name=`, clearing the field.
        ctx.usesEmptyParam = true;
        calls.push(`.set${prop}(EmptyParam.EMPTY)`);
      } else {
        calls.push(`.putExtraParam(${javaString(name)}, "")`);
      }
      continue;
    }

    if (typeof paramType === 'object') {
      const nestedType = `${type}.${prop}`;
      const inner = isRecord(value) ? paramsOf(value, paramType.object) : [];
      const chain = builderChain(
        nestedType,
        setters(inner, nestedType, level + 1, ctx, rule?.kind === 'object' ? rule.fields : undefined),
        level + 1,
      );
      calls.push(`.set${prop}(${chain})`);
    } else if (paramType === 'string-map') {
      for (const [key, item] of isRecord(value) ? Object.entries(value) : []) {
        calls.push(`.put${prop}(${javaString(key)}, ${stringValue(item)})`);
      }
    } else if (paramType === 'string-list') {
      for (const item of listItems(value)) {
        calls.push(`.add${pascalCase(singular(name))}(${stringValue(item)})`);
      }
    } else if (paramType === 'range' && typeof value !== 'number') {
      const bounds = rangeBounds(value).map(([op, n]) => `.set${pascalCase(op)}(${n}L)`);
      calls.push(`.set${prop}(${builderChain(`${type}.${prop}`, bounds, level + 1)})`);
    } else if (paramType === 'integer' || paramType === 'range') {
      calls.push(`.set${prop}(${longValue(value)})`);
    } else if (paramType === 'boolean') {
      calls.push(`.set${prop}(${value === true || value === 'true'})`);
    } else if (enumType && typeof value === 'string') {
      calls.push(`.set${prop}(${type}.${enumType}.${enumConstant(value)})`);
    } else {
      calls.push(`.set${prop}(${stringValue(value)})`);
    }
  }
  return calls;
}

/** The page types that lists and searches return; other actions return the object. */
const COLLECTIONS: Partial<Record<ActionName, string>> = {
  list: 'StripeCollection',
  search: 'StripeSearchResult',
};

/** `client.v1().customers().create(params)` and the type it returns. */
function invocation(call: ApiCall, hasParams: boolean): { type: string; expr: string } {
  const { resource, action } = call.operation;
  const model = resourceClass(call);
  const args: string[] = [];
  if (call.objectId !== undefined) args.push(javaString(call.objectId));
  if (hasParams) args.push('params');
  return {
    type: COLLECTIONS[action] ? `${COLLECTIONS[action]}<${model}>` : model,
    expr: `client.v1().${camelCase(resource)}().${action}(${args.join(', ')})`,
  };
}

/**
 * stripe-java (Maven `com.stripe:stripe-java`, v31): a complete class whose `main` builds a
 * `StripeClient` with `setApiKey` and `setApiBase`, builds the typed params
 * (`CustomerCreateParams.builder()…build()`) and makes one call through `client.v1()`.
 * Integers are `Long`s; `tax_exempt` is an enum; clearing a map, object or enum field uses
 * `EmptyParam.EMPTY`. Stripe objects print as their class, id and JSON.
 */
export const java: Generator = (call) => {
  const { action } = call.operation;
  const model = resourceClass(call);
  const paramsClass = `${model}${pascalCase(action)}Params`;
  const ctx: Context = { usesEmptyParam: false };
  // Deleting takes no params in stripe-java (and the sandbox's delete accepts none).
  const params = action === 'delete' ? [] : callParams(call);
  const calls = setters(params, paramsClass, 1, ctx, operationById(call.operation.id)?.params);
  const hasParams = calls.length > 0;
  const { type, expr } = invocation(call, hasParams);
  const result = resultName(call, 'camel');

  const imports = [
    'com.stripe.StripeClient',
    'com.stripe.exception.StripeException',
    `com.stripe.model.${model}`,
    ...(COLLECTIONS[action] ? [`com.stripe.model.${COLLECTIONS[action]}`] : []),
    ...(hasParams ? [`com.stripe.param.${paramsClass}`] : []),
    ...(ctx.usesEmptyParam ? ['com.stripe.param.common.EmptyParam'] : []),
  ].sort();

  const body: string[] = [
    'StripeClient client = StripeClient.builder()',
    `${INDENT}.setApiKey(${javaString(TOKENS.secretKey)})`,
    `${INDENT}.setApiBase(${javaString(TOKENS.apiBase)})`,
    `${INDENT}.build();`,
    '',
  ];
  if (hasParams) {
    body.push(`${paramsClass} params = ${builderChain(paramsClass, calls, 1)};`, '');
  }
  body.push(`${type} ${result} = ${expr};`, `System.out.println(${result});`);

  return [
    ...imports.map((name) => `import ${name};`),
    '',
    'public class Main {',
    `${INDENT}public static void main(String[] args) throws StripeException {`,
    ...body.map((line) => (line === '' ? '' : line.replace(/^/gm, INDENT.repeat(2)))),
    `${INDENT}}`,
    '}',
  ].join('\n');
};
