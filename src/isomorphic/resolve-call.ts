import { isLiteralPath, operationById, OPERATIONS, type OperationSpec } from '../spec/operations.ts';
import type { Rule } from '../spec/rules.ts';
import type { ApiCall, HttpMethod, Operation, ParamType, Params } from './api-call.ts';

/** The type a generator needs for a parameter, from the rule the declaration gives it. */
export function paramType(rule: Rule): ParamType {
  switch (rule.kind) {
    case 'string':
      // A flag sent as `true` or `false` (`disabled`), which the typed SDKs take as a boolean.
      return rule.oneOf?.length === 2 && rule.oneOf.includes('true') && rule.oneOf.includes('false')
        ? 'boolean'
        : 'string';
    case 'integer':
    case 'range':
      return rule.kind;
    case 'metadata':
      return 'string-map';
    case 'list':
      return 'string-list';
    case 'object':
      return {
        object: Object.fromEntries(
          Object.entries(rule.fields).map(([name, field]) => [name, paramType(field)]),
        ),
      };
  }
}

function sampleOperation(spec: OperationSpec): Operation {
  return {
    id: spec.id,
    resource: spec.resource,
    action: spec.action,
    method: spec.method,
    pathTemplate: spec.path,
    params: Object.fromEntries(Object.entries(spec.params).map(([name, rule]) => [name, paramType(rule)])),
  };
}

/** Every operation that `<Request>`, `<TryIt>` and the CLI can describe: all the declared ones. */
export const SAMPLE_OPERATIONS: readonly Operation[] = (OPERATIONS as readonly OperationSpec[]).map(
  sampleOperation,
);

/** Why a described call cannot be rendered; the message says what would fix it. */
export class ApiCallError extends Error {
  readonly hint: string;
  /** The parameter at fault, when it is one. */
  readonly param: string | undefined;

  constructor(message: string, hint: string, param?: string) {
    super(message);
    this.name = 'ApiCallError';
    this.hint = hint;
    this.param = param;
  }
}

/**
 * The operations in the order a path is matched against them: all-literal paths first, so
 * `/v1/customers/search` is the search and not the customer with id `search`.
 */
const MATCH_ORDER: readonly Operation[] = [
  ...SAMPLE_OPERATIONS.filter((operation) => isLiteralPath(operation.pathTemplate)),
  ...SAMPLE_OPERATIONS.filter((operation) => !isLiteralPath(operation.pathTemplate)),
];

const supportedList = () =>
  SAMPLE_OPERATIONS.map((op) => `${op.method} ${op.pathTemplate.replace('{id}', '<id>')}`).join(', ');

/**
 * Resolves an author's `method`, `path` and `params` into an {@link ApiCall}, checking
 * that the operation exists and that every parameter is one it accepts.
 */
export function resolveApiCall(method: string, path: string, params: Params = {}): ApiCall {
  const upper = method.toUpperCase() as HttpMethod;
  for (const operation of MATCH_ORDER) {
    if (operation.method !== upper) continue;
    const objectId = matchPath(operation.pathTemplate, path);
    if (objectId === null) continue;
    for (const name of Object.keys(params)) {
      if (!Object.hasOwn(operation.params, name)) {
        throw new ApiCallError(
          `${upper} ${path} does not accept the parameter "${name}".`,
          `Accepted parameters: ${Object.keys(operation.params).join(', ') || 'none'}.`,
          name,
        );
      }
    }
    return objectId ? { operation, objectId, params } : { operation, params };
  }
  throw new ApiCallError(
    `No sandbox operation matches ${upper} ${path}.`,
    `Supported calls: ${supportedList()}.`,
  );
}

/** Returns the object id (or '' when the template has none), or null when the path does not match. */
function matchPath(template: string, path: string): string | null {
  const [prefix = '', suffix] = template.split('{id}');
  if (suffix === undefined) return path === template ? '' : null;
  if (!path.startsWith(prefix) || !path.endsWith(suffix)) return null;
  const id = path.slice(prefix.length, path.length - suffix.length);
  return /^[A-Za-z0-9_]+$/.test(id) ? id : null;
}

/**
 * The declared rule of one form field of an operation, by its bracketed name:
 * `shipping[address][city]`, `metadata[order_id]` (the metadata rule), `expand[]` (the
 * list's rule). Undefined for a name the operation does not declare.
 */
export function ruleAt(operationId: string, field: string): Rule | undefined {
  const [head = '', ...rest] = field.split('[').map((part) => part.replace(/\]$/, ''));
  const params = operationById(operationId)?.params ?? {};
  let rule = Object.hasOwn(params, head) ? params[head] : undefined;
  for (const part of rest) {
    if (!rule || rule.kind !== 'object') return rule;
    rule = Object.hasOwn(rule.fields, part) ? rule.fields[part] : undefined;
  }
  return rule;
}

/** HTML input attributes for a try-it field, from its declared rule: what the sandbox will check. */
export function inputAttributes(rule: Rule | undefined): Record<string, string | number> {
  if (!rule) return {};
  const out: Record<string, string | number> = { title: rule.description };
  if (rule.kind === 'string') {
    if (rule.format === 'email') out.type = 'email';
    if (rule.max !== undefined) out.maxlength = rule.max;
  }
  if (rule.kind === 'integer' || rule.kind === 'range') out.inputmode = 'numeric';
  return out;
}
