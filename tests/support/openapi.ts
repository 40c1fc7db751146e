import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, afterEach, expect } from 'vitest';
import { onSandboxResponse, sandboxResponsesRead, sharedBase, type ResponseListener } from './sandbox.ts';

/**
 * Checks sandbox responses against the OpenAPI document the site serves: the body of a
 * 200 must match the schema the document gives that operation, any other status the
 * `error` schema. A field the sandbox sends but the document does not declare fails,
 * because every object schema in the document forbids additional properties.
 */

/** The parts of an OpenAPI document this checker reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
  components: { schemas: Record<string, unknown> };
}

interface ResponseObject {
  content?: { 'application/json'?: { schema: { $ref: string } } };
}

/** Throws an error naming the operation and each wrong field when a body does not match. */
export type ResponseCheck = (method: string, path: string, status: number, body: unknown) => void;

/** Where the document is registered in ajv; `$ref`s inside it resolve against this. */
const DOCUMENT_ID = 'https://keyway.invalid/openapi.json';

/** Every `x-` key used anywhere in the schemas: extensions ajv's strict mode must be told of. */
function extensionKeywords(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) extensionKeywords(item, found);
  else if (value && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) {
      if (key.startsWith('x-')) found.add(key);
      extensionKeywords(inner, found);
    }
  return found;
}

/** `/v1/customers/{id}` → a pattern matching `/v1/customers/cus_123`, one segment per parameter. */
function templatePattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${escaped}$`);
}

/** One line per problem, naming the field by its JSON path (`/data/0/email`). */
function describeErrors(errors: readonly ErrorObject[]): string {
  return errors
    .map((error) => {
      const field = error.instancePath || '(the body)';
      if (error.keyword === 'additionalProperties')
        return `${field}/${String(error.params.additionalProperty)}: not declared in the document`;
      if (error.keyword === 'required')
        return `${field}/${String(error.params.missingProperty)}: declared as required but missing`;
      return `${field}: ${error.message}`;
    })
    .join('\n  ');
}

/** A checker for one OpenAPI document (the served `/openapi.json`, parsed). */
export function responseChecker(document: OpenApiDocument): ResponseCheck {
  // strict: a schema keyword ajv does not know is an error in the document, not ignored.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  // The schemas live under `components`, which is where the document's `$ref`s point; to
  // ajv it is a place to look schemas up, not a keyword that validates anything.
  for (const keyword of ['components', ...extensionKeywords(document.components.schemas)])
    ajv.addKeyword(keyword);
  ajv.addSchema({ $id: DOCUMENT_ID, components: { schemas: document.components.schemas } });
  const validators = new Map<string, ValidateFunction>();
  const validator = (ref: string): ValidateFunction => {
    let validate = validators.get(ref);
    if (!validate) {
      validate = ajv.getSchema(`${DOCUMENT_ID}${ref}`);
      if (!validate) throw new Error(`The document has no schema at ${ref}.`);
      validators.set(ref, validate);
    }
    return validate;
  };
  // A literal path (`/v1/customers/search`) wins over a template it also fits
  // (`/v1/customers/{id}`), as OpenAPI says and as the sandbox routes.
  const literalFirst = (template: string) => (template.includes('{') ? 1 : 0);
  const templates = Object.keys(document.paths)
    .sort((a, b) => literalFirst(a) - literalFirst(b))
    .map((template) => ({
      template,
      pattern: templatePattern(template),
    }));

  return (method, path, status, body) => {
    // Dot segments resolved as the server resolves them (`/v1/./customers` is `/v1/customers`).
    const { pathname } = new URL(path, 'http://keyway.invalid');
    const template = templates.find(({ pattern }) => pattern.test(pathname))?.template;
    const operation = template ? document.paths[template]![method.toLowerCase()] : undefined;
    const what = `${method} ${pathname} → ${status}`;
    let ref = '#/components/schemas/error';
    if (operation) {
      const declared = operation.responses[String(status)];
      if (!declared) throw new Error(`${what}: the document declares no ${status} for ${template}.`);
      ref = declared.content?.['application/json']?.schema.$ref ?? ref;
    } else if (status < 300) {
      throw new Error(`${what}: a success, but the document has no such operation.`);
    }
    const validate = validator(ref);
    if (!validate(body))
      throw new Error(
        `${what} does not match ${ref}:\n  ${describeErrors(validate.errors ?? [])}\n` +
          `body: ${JSON.stringify(body).slice(0, 1500)}`,
      );
  };
}

/** A checker for the document a running site serves at `/openapi.json`. */
export async function servedResponseChecker(base: string): Promise<ResponseCheck> {
  const response = await fetch(`${base}/openapi.json`);
  if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}`);
  return responseChecker((await response.json()) as OpenApiDocument);
}

/**
 * Checks every sandbox response the calling test file's `call`s and `sdk` clients receive
 * against the shared server's `/openapi.json`. A test fails after it ran if any response it
 * (or a hook before it) received did not match.
 */
export function checkEverySandboxResponse(): {
  /** Checks a response received some other way (a raw socket, a streamed fetch). */
  see: ResponseListener;
} {
  let loading: Promise<ResponseCheck> | undefined;
  const checking: Promise<void>[] = [];
  const mismatches: string[] = [];
  const see: ResponseListener = (method, url, status, text) => {
    const { pathname, search } = new URL(url);
    if (!pathname.startsWith('/v1') || method === 'HEAD') return;
    loading ??= servedResponseChecker(sharedBase());
    checking.push(
      loading.then((check) => {
        try {
          check(method, pathname + search, status, JSON.parse(text));
        } catch (error) {
          mismatches.push((error as Error).message);
        }
      }),
    );
  };
  onSandboxResponse(see);
  const settle = async () => {
    await sandboxResponsesRead();
    await Promise.all(checking.splice(0));
    expect(mismatches.splice(0), 'sandbox responses that do not match /openapi.json').toEqual([]);
  };
  afterEach(settle);
  afterAll(settle);
  return { see };
}
