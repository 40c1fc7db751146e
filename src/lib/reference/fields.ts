import { z } from 'zod';

/** One row of an object's field table, with the fields of a nested object beneath it. */
export interface FieldRow {
  name: string;
  /** From the top-level object down: `['address', 'city']`. */
  path: string[];
  /** In words: `string`, `object or null`, `array of customer objects`. */
  type: string;
  /** The only values it takes (an enum), or its one value (a constant). */
  values: unknown[];
  description: string;
  /** Absent from some responses (`previous_attributes` only on updates). */
  optional: boolean;
  children: FieldRow[];
}

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  anyOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  description?: string;
  $defs?: Record<string, JsonSchema>;
  id?: string;
};

/** A schema with its `$ref` followed; the description written beside the `$ref` wins. */
function resolve(schema: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/$defs/', '');
  const target = defs[name];
  if (!target) throw new Error(`The object schema refers to ${schema.$ref}, which it does not define.`);
  return { ...target, id: name, ...(schema.description ? { description: schema.description } : {}) };
}

/** The schema's types besides null, and whether null is one of them. */
function variants(schema: JsonSchema, defs: Record<string, JsonSchema>) {
  const options = (schema.anyOf ?? [schema]).map((option) => resolve(option, defs));
  const nullable = options.some((option) => option.type === 'null' || option.type?.includes('null'));
  const others = options.filter((option) => option.type !== 'null');
  return { nullable, main: others[0] };
}

function typeWord(schema: JsonSchema | undefined, defs: Record<string, JsonSchema>): string {
  if (!schema) return 'null';
  if (schema.id) return `${schema.id.replace(/_/g, ' ')} object`;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'array') {
    const item = schema.items ? variants(schema.items, defs).main : undefined;
    return `array of ${typeWord(item, defs)}s`;
  }
  if (type === 'object' && typeof schema.additionalProperties === 'object') {
    const value = schema.additionalProperties;
    return value.type ? `hash of ${typeWord(value, defs)}s` : 'hash of any values';
  }
  if (type === 'object') return 'object';
  return type ?? 'any';
}

function rowsOf(schema: JsonSchema, path: string[], defs: Record<string, JsonSchema>): FieldRow[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const { nullable, main } = variants(property, defs);
    const described = property.description ?? main?.description ?? '';
    const nested = main?.type === 'array' && main.items ? variants(main.items, defs).main : main;
    const values = main?.const !== undefined ? [main.const] : (main?.enum ?? []);
    return {
      name,
      path: [...path, name],
      type: `${typeWord(main, defs)}${nullable && main ? ' or null' : ''}`,
      values,
      description: described,
      optional: !required.has(name),
      children: nested?.properties ? rowsOf(nested, [...path, name], defs) : [],
    };
  });
}

/** The fields of a returned object, from its zod schema's JSON Schema, nested objects under their field. */
export function objectFields(schema: z.ZodType): FieldRow[] {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }) as JsonSchema;
  const defs = json.$defs ?? {};
  return rowsOf(resolve(json, defs), [], defs);
}

/** Every field path of a row list, depth first: `address`, `address.city`, … */
export function fieldPaths(rows: readonly FieldRow[]): string[][] {
  return rows.flatMap((row) => [row.path, ...fieldPaths(row.children)]);
}
