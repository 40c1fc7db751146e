import type { Expression, Node, Program } from 'estree';
import type { Place } from './problems.ts';

/** A value written as a literal in MDX: what the check can read without running the page. */
export type StaticValue = string | number | boolean | null | StaticValue[] | { [key: string]: StaticValue };

/** A literal's value, or the node that is not a literal (a variable, a call, a spread…). */
export type Evaluated = { value: StaticValue } | { notStatic: Node };

/** The one expression of an MDX `{…}` attribute value. */
export function attributeExpression(program: Program | undefined): Expression | undefined {
  const statement = program?.body[0];
  return program?.body.length === 1 && statement?.type === 'ExpressionStatement'
    ? statement.expression
    : undefined;
}

/**
 * Reads literals: strings, numbers, booleans, null, template strings without `${}`,
 * negative numbers, and arrays and objects of those with plain keys. Anything else would
 * need the page to run, so the check reports it instead of guessing.
 */
export function evaluate(node: Expression): Evaluated {
  switch (node.type) {
    case 'Literal':
      if (node.value === null || ['string', 'number', 'boolean'].includes(typeof node.value)) {
        return { value: node.value as StaticValue };
      }
      return { notStatic: node };
    case 'TemplateLiteral':
      return node.expressions.length === 0
        ? { value: node.quasis.map((quasi) => quasi.value.cooked ?? '').join('') }
        : { notStatic: node };
    case 'UnaryExpression':
      if (
        node.operator === '-' &&
        node.argument.type === 'Literal' &&
        typeof node.argument.value === 'number'
      ) {
        return { value: -node.argument.value };
      }
      return { notStatic: node };
    case 'ArrayExpression': {
      const items: StaticValue[] = [];
      for (const element of node.elements) {
        if (!element || element.type === 'SpreadElement') return { notStatic: element ?? node };
        const item = evaluate(element);
        if ('notStatic' in item) return item;
        items.push(item.value);
      }
      return { value: items };
    }
    case 'ObjectExpression': {
      const object: { [key: string]: StaticValue } = {};
      for (const property of node.properties) {
        const key = property.type === 'Property' ? propertyKey(property.key, property.computed) : undefined;
        if (
          property.type !== 'Property' ||
          key === undefined ||
          property.kind !== 'init' ||
          property.method
        ) {
          return { notStatic: property };
        }
        const value = evaluate(property.value as Expression);
        if ('notStatic' in value) return value;
        object[key] = value.value;
      }
      return { value: object };
    }
    default:
      return { notStatic: node };
  }
}

function propertyKey(key: Node, computed: boolean): string | undefined {
  if (computed) return undefined;
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) {
    return String(key.value);
  }
  return undefined;
}

/** Where the property `name` of an object literal is written, for pointing at one parameter. */
export function propertyPlace(node: Expression, name: string): Place | undefined {
  if (node.type !== 'ObjectExpression') return undefined;
  for (const property of node.properties) {
    if (property.type === 'Property' && propertyKey(property.key, property.computed) === name) {
      return placeOf(property);
    }
  }
  return undefined;
}

/** Where an expression node is in the file. MDX places them in the whole file; acorn counts columns from 0. */
export function placeOf(node: Node): Place | undefined {
  return node.loc ? { line: node.loc.start.line, column: node.loc.start.column + 1 } : undefined;
}
