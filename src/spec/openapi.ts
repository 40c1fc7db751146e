/**
 * The OpenAPI 3.1 document of the sandbox API, generated from the declaration: what
 * Postman, Insomnia, SDK generators and AI agents read. Served at `/openapi.json`.
 *
 * Parameters travel in Stripe's wire format (form-encoded, brackets for nesting), which
 * OpenAPI says with `style: deepObject` and `explode: true`; the returned objects' schemas
 * come from their zod declarations. Extensions (`x-`) appear only where OpenAPI has no
 * word: `x-expandableFields` on objects (Stripe's own name for it) and `x-events` on the
 * operations that record events.
 */
import { z } from 'zod';
import { COMMON_ERRORS, ERROR_CODES, type ErrorCode } from './errors.ts';
import { RETURNED_OBJECTS } from './objects.ts';
import { OPERATIONS, type OperationSpec } from './operations.ts';
import { OBJECT_NAMES, RESOURCES } from './resources.ts';
import { DEFAULT_MAX_ITEMS, DEFAULT_MAX_LENGTH, METADATA_LIMITS, type Rule } from './rules.ts';
import { API_VERSION_PATTERN, DEFAULT_API_VERSION } from './version.ts';

type JsonSchema = Record<string, unknown>;

/** The JSON Schema of a parameter, from its rule. */
export function ruleSchema(rule: Rule): JsonSchema {
  const described = (schema: JsonSchema): JsonSchema => ({ ...schema, description: rule.description });
  const unsettable = (schema: JsonSchema): JsonSchema =>
    'unsettable' in rule && rule.unsettable
      ? { anyOf: [schema, { type: 'string', const: '', description: 'An empty string unsets the field.' }] }
      : schema;
  switch (rule.kind) {
    case 'string': {
      const schema: JsonSchema = { type: 'string', minLength: 1, maxLength: rule.max ?? DEFAULT_MAX_LENGTH };
      if (rule.oneOf) schema.enum = [...rule.oneOf];
      if (rule.pattern) schema.pattern = rule.pattern.regex.source;
      if (rule.format) schema.format = rule.format;
      return described(unsettable(schema));
    }
    case 'integer': {
      const schema: JsonSchema = { type: 'integer' };
      if (rule.min !== undefined) schema.minimum = rule.min;
      if (rule.max !== undefined) schema.maximum = rule.max;
      return described(schema);
    }
    case 'metadata':
      return described({
        anyOf: [
          {
            type: 'object',
            maxProperties: METADATA_LIMITS.keys,
            propertyNames: { maxLength: METADATA_LIMITS.keyLength, pattern: '^[^\\[\\]]*$' },
            additionalProperties: { type: 'string', maxLength: METADATA_LIMITS.valueLength },
          },
          { type: 'string', const: '', description: 'An empty string removes every key.' },
        ],
      });
    case 'list':
      return described(
        unsettable({
          type: 'array',
          maxItems: rule.max ?? DEFAULT_MAX_ITEMS,
          ...(rule.min ? { minItems: rule.min } : {}),
          items: { type: 'string', minLength: 1, ...(rule.oneOf ? { enum: [...rule.oneOf] } : {}) },
        }),
      );
    case 'object': {
      const schema: JsonSchema = {
        type: 'object',
        properties: Object.fromEntries(
          Object.entries(rule.fields).map(([name, field]) => [name, ruleSchema(field)]),
        ),
        additionalProperties: false,
      };
      if (rule.required?.length) schema.required = [...rule.required];
      return described(unsettable(schema));
    }
    case 'range':
      return described({
        anyOf: [
          { type: 'integer' },
          {
            type: 'object',
            properties: Object.fromEntries(
              ['gt', 'gte', 'lt', 'lte'].map((bound) => [bound, { type: 'integer' }]),
            ),
            additionalProperties: false,
          },
        ],
      });
  }
}

/** Whether a parameter of this rule is sent with brackets (`metadata[k]`, `created[gte]`). */
function bracketed(rule: Rule): boolean {
  return rule.kind === 'object' || rule.kind === 'metadata' || rule.kind === 'range' || rule.kind === 'list';
}

/** The status each error code answers with, grouped: `{ 400: ['parameter_unknown', …] }`. */
function errorsByStatus(codes: readonly ErrorCode[]): Map<number, ErrorCode[]> {
  const out = new Map<number, ErrorCode[]>();
  for (const code of [...codes, ...COMMON_ERRORS]) {
    const { status } = ERROR_CODES[code];
    out.set(status, [...new Set([...(out.get(status) ?? []), code])]);
  }
  // Every key can be refused: an unknown key (401), a live key (403).
  if (!out.has(401)) out.set(401, []);
  out.set(403, out.get(403) ?? []);
  return new Map([...out].sort(([a], [b]) => a - b));
}

const ERROR_STATUS_TEXT: Record<number, string> = {
  400: 'The request is invalid',
  401: 'No valid key was given',
  403: 'The key may not make this request (a live key, or a restricted key without the permission)',
  404: 'An object the request names does not exist',
  409: 'Another request with this idempotency key is still running',
  413: 'The body is too large',
  429: 'Too many requests',
};

const schemaRef = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function operationObject(operation: OperationSpec): JsonSchema {
  const parameters: JsonSchema[] = [{ $ref: '#/components/parameters/StripeVersion' }];
  if (operation.path.includes('{id}')) {
    parameters.push({
      name: 'id',
      in: 'path',
      required: true,
      description: `The ${OBJECT_NAMES[operation.resource]}’s id.`,
      schema: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_]+$' },
    });
  }
  const required = new Set(operation.required ?? []);
  const body: JsonSchema = {};
  if (operation.method === 'POST') {
    parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
    const entries = Object.entries(operation.params);
    body.requestBody = {
      required: required.size > 0,
      content: {
        'application/x-www-form-urlencoded': {
          schema: {
            type: 'object',
            properties: Object.fromEntries(entries.map(([name, rule]) => [name, ruleSchema(rule)])),
            additionalProperties: false,
            ...(required.size > 0 ? { required: [...required] } : {}),
          },
          encoding: Object.fromEntries(
            entries
              .filter(([, rule]) => bracketed(rule))
              .map(([name]) => [name, { style: 'deepObject', explode: true }]),
          ),
        },
      },
    };
  } else {
    for (const [name, rule] of Object.entries(operation.params)) {
      parameters.push({
        name,
        in: 'query',
        required: required.has(name),
        description: rule.description,
        schema: ruleSchema(rule),
        ...(bracketed(rule) ? { style: 'deepObject', explode: true } : {}),
      });
    }
  }
  const responses: JsonSchema = {
    '200': {
      description: `The ${operation.action === 'list' ? 'page of objects' : 'object'}.`,
      content: { 'application/json': { schema: schemaRef(operation.returns) } },
    },
  };
  for (const [status, codes] of errorsByStatus(operation.errors)) {
    const list = codes.length ? ` Codes: ${codes.map((code) => `\`${code}\``).join(', ')}.` : '';
    responses[String(status)] = {
      description: `${ERROR_STATUS_TEXT[status] ?? 'Refused'}.${list}`,
      content: { 'application/json': { schema: schemaRef('error') } },
    };
  }
  responses['500'] = {
    description: 'The sandbox failed; the request was logged.',
    content: { 'application/json': { schema: schemaRef('error') } },
  };
  return {
    operationId: camelCase(operation.id),
    tags: [operation.resource],
    summary: operation.summary,
    description: operation.description,
    parameters,
    ...body,
    responses,
    ...(operation.events.length ? { 'x-events': [...operation.events] } : {}),
  };
}

/** `create-customer` → `createCustomer`, the usual shape of an operationId. */
function camelCase(id: string): string {
  return id.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The schemas of every object the operations return, and the error, as components. */
function objectSchemas(): Record<string, JsonSchema> {
  // What operations return and the error body; objects they contain (an address) come along.
  const wanted = new Set([...Object.keys(RETURNED_OBJECTS), 'error']);
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
    override: ({ jsonSchema }) => {
      // z.int() states the safe-integer bounds; every integer here is one, so they add nothing.
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    },
  }) as unknown as { schemas: Record<string, JsonSchema> };
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    if (!wanted.has(id) && !isReferenced(schemas, id)) continue;
    const { $schema: _, $id: __, id: ___, ...rest } = schema;
    out[id] = rest;
  }
  return out;
}

function isReferenced(schemas: Record<string, JsonSchema>, id: string): boolean {
  return JSON.stringify(schemas).includes(`"#/components/schemas/${id}"`);
}

/** The whole document, with `origin` (this site's public origin) as its server. */
export function openApiDocument(origin: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const operation of OPERATIONS as readonly OperationSpec[]) {
    (paths[operation.path] ??= {})[operation.method.toLowerCase()] = operationObject(operation);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Keyway sandbox API',
      version: DEFAULT_API_VERSION,
      summary: 'A Stripe-compatible sandbox: customers and events, in Stripe’s wire format, test mode only.',
      description:
        'Requests are authenticated with a secret test key (`sk_test_…`), sent as a bearer token or as the user name of HTTP Basic auth. ' +
        'Parameters are form-encoded, with brackets for nesting (`metadata[order]=6735`, `expand[]=default_source`). ' +
        `Guides and the reference: ${origin}/docs.`,
    },
    servers: [{ url: origin, description: 'This site’s sandbox' }],
    security: [{ bearerAuth: [] }, { basicAuth: [] }],
    tags: RESOURCES.map((resource) => ({
      name: resource,
      description: `Operations on ${resource}.`,
      externalDocs: { url: `${origin}/docs/api/${resource}` },
    })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'Your secret test key as the bearer token: `Authorization: Bearer sk_test_…`.',
        },
        basicAuth: {
          type: 'http',
          scheme: 'basic',
          description:
            'Your secret test key as the user name, with no password (what `curl -u sk_test_…:` sends).',
        },
      },
      parameters: {
        StripeVersion: {
          name: 'Stripe-Version',
          in: 'header',
          required: false,
          description: `The API version to render objects in. Leave it out for ${DEFAULT_API_VERSION}.`,
          schema: { type: 'string', pattern: API_VERSION_PATTERN.source },
        },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'A unique key of up to 255 characters. Retrying with the same key and parameters replays the first answer instead of acting twice.',
          schema: { type: 'string', maxLength: 255 },
        },
      },
      schemas: objectSchemas(),
    },
  };
}
