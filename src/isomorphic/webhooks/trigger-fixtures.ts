import { EVENT_TYPES, type EventType } from '../../spec/event-types.ts';

/**
 * `keyway trigger <event>`: the requests that make an event happen, as the Stripe CLI's fixtures
 * make them (`pkg/fixtures/triggers/customer.*.json`), and its `--override`, `--add` and
 * `--remove` flags, with its messages for a malformed one. Pure: the terminal CLI and the
 * docs' shell both send what {@link planTrigger} gives, through the one send function.
 */

/** Form parameters, nested as they are encoded (`metadata[plan]=pro`). */
export interface ParamTree {
  [name: string]: string | ParamTree;
}

/** One request of a fixture. `${customer:id}` in the path is the id an earlier request returned. */
export interface FixtureStep {
  name: string;
  method: 'POST' | 'DELETE';
  path: string;
  params: ParamTree;
}

/** Why a trigger cannot run; the message says what would work. */
export class TriggerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TriggerError';
  }
}

const CREATE_CUSTOMER: FixtureStep = {
  name: 'customer',
  method: 'POST',
  path: '/v1/customers',
  params: { description: '(created by Keyway CLI)' },
};

const FIXTURES: Record<EventType, FixtureStep[]> = {
  'customer.created': [CREATE_CUSTOMER],
  'customer.updated': [
    CREATE_CUSTOMER,
    {
      name: 'customer_updated',
      method: 'POST',
      path: '/v1/customers/${customer:id}',
      params: { metadata: { foo: 'bar' } },
    },
  ],
  'customer.deleted': [
    CREATE_CUSTOMER,
    { name: 'customer_deleted', method: 'DELETE', path: '/v1/customers/${customer:id}', params: {} },
  ],
};

/** The events `keyway trigger` can make. */
export const TRIGGER_EVENTS: readonly EventType[] = EVENT_TYPES;

/** How each flag changes a fixture's parameters. */
export interface TriggerFlags {
  override?: string[];
  add?: string[];
  remove?: string[];
}

/** The message for an event no fixture makes, naming those that exist. */
export function unsupportedEventMessage(event: string): string {
  return [
    `The event \`${event}\` is not supported by Keyway CLI. To trigger unsupported events, use the Keyway API.`,
    '',
    'Supported events:',
    ...TRIGGER_EVENTS.map((name) => `  ${name}`),
  ].join('\n');
}

/**
 * The requests that trigger `event`, with the flags applied; the Stripe CLI's `v1.` names
 * (`v1.customer.created`) run the same fixture. Throws {@link TriggerError} for an event
 * without a fixture or a malformed flag, before anything is sent.
 */
export function planTrigger(event: string, flags: TriggerFlags = {}): FixtureStep[] {
  const name = event.startsWith('v1.') ? event.slice(3) : event;
  if (!Object.hasOwn(FIXTURES, name)) throw new TriggerError(unsupportedEventMessage(event));
  const steps = FIXTURES[name as EventType].map((step) => ({ ...step, params: clone(step.params) }));
  const names = steps.map((step) => step.name);
  const find = (fixture: string) => steps.find((step) => step.name === fixture)!;
  for (const value of flags.override ?? []) {
    const { fixture, path, setTo } = readFlag('override', value, names, true);
    setParam(find(fixture).params, path, setTo!, true);
  }
  for (const value of flags.add ?? []) {
    const { fixture, path, setTo } = readFlag('add', value, names, true);
    setParam(find(fixture).params, path, setTo!, false);
  }
  for (const value of flags.remove ?? []) {
    const { fixture, path } = readFlag('remove', value, names, false);
    removeParam(find(fixture).params, path);
  }
  return steps;
}

/** Names that would reach an object's prototype rather than a parameter. */
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** `customer:metadata.plan=pro` → the fixture, the path `['metadata', 'plan']` and `pro`. */
function readFlag(
  flag: 'override' | 'add' | 'remove',
  value: string,
  names: string[],
  needsValue: boolean,
): { fixture: string; path: string[]; setTo?: string } {
  const usage = needsValue
    ? `--${flag} fixtureName:path.to.param=value`
    : `--${flag} fixtureName:path.to.param`;
  const colon = value.indexOf(':');
  const known = `Valid fixture names are: [${names.join(' ')}]`;
  if (colon <= 0) {
    throw new TriggerError(
      `Invalid value for ${flag} flag (${value}). The ${flag} flag requires the name of the fixture to apply (${usage}).\n\n${known}`,
    );
  }
  const fixture = value.slice(0, colon);
  if (!names.includes(fixture)) {
    throw new TriggerError(
      `Invalid value for ${flag} flag (${value}). There is no fixture named ${fixture} in this trigger (${usage}).\n\n${known}`,
    );
  }
  const rest = value.slice(colon + 1);
  const equals = rest.indexOf('=');
  if (needsValue && equals < 0) {
    throw new TriggerError(
      `Invalid value for ${flag} flag (${value}). The ${flag} flag requires a value to set (${usage}).`,
    );
  }
  const pathText = needsValue ? rest.slice(0, equals) : rest;
  const path = pathText.split('.');
  if (path.some((segment) => !/^[A-Za-z0-9_-]+$/.test(segment) || UNSAFE_NAMES.has(segment))) {
    throw new TriggerError(
      `Invalid value for ${flag} flag (${value}). "${pathText}" is not a parameter path: write names joined by dots, such as metadata.plan (${usage}).`,
    );
  }
  return needsValue ? { fixture, path, setTo: rest.slice(equals + 1) } : { fixture, path };
}

function setParam(params: ParamTree, path: string[], value: string, overwrite: boolean): void {
  let node = params;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    if (typeof next === 'object') {
      node = next;
    } else {
      if (next !== undefined && !overwrite) return;
      node = node[segment] = {};
    }
  }
  const last = path[path.length - 1]!;
  if (overwrite || !Object.hasOwn(node, last)) node[last] = value;
}

function removeParam(params: ParamTree, path: string[]): void {
  let node: ParamTree | undefined = params;
  for (const segment of path.slice(0, -1)) {
    const next: string | ParamTree | undefined = node[segment];
    node = typeof next === 'object' ? next : undefined;
    if (!node) return;
  }
  delete node[path[path.length - 1]!];
}

function clone(params: ParamTree): ParamTree {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, typeof value === 'string' ? value : clone(value)]),
  );
}

/** Form pairs in Stripe's bracket encoding: `{metadata: {plan: 'pro'}}` → `metadata[plan]=pro`. */
export function formPairs(params: ParamTree, prefix = ''): Array<[string, string]> {
  return Object.entries(params).flatMap(([name, value]) => {
    const key = prefix ? `${prefix}[${name}]` : name;
    return typeof value === 'string' ? [[key, value] as [string, string]] : formPairs(value, key);
  });
}

/**
 * A step's path with `${fixture:field}` filled from the responses of earlier steps; a reference
 * to something no earlier step returned is a TriggerError.
 */
export function resolveStepPath(path: string, results: ReadonlyMap<string, Record<string, unknown>>): string {
  return path.replace(/\$\{([a-z_]+):([a-z_]+)\}/g, (_, fixture: string, field: string) => {
    const value = results.get(fixture)?.[field];
    if (typeof value !== 'string') throw new TriggerError(`Fixture ${fixture} returned no ${field} to use.`);
    return encodeURIComponent(value);
  });
}

/** What the trigger prints before each request, as the Stripe CLI does. */
export const stepLines = (step: FixtureStep): string[] => [
  `Setting up fixture for: ${step.name}`,
  `Running fixture for: ${step.name}`,
];

/** The last line of a trigger that worked. */
export const TRIGGER_SUCCEEDED = 'Trigger succeeded! Check dashboard for event details.';

/** One request of a fixture, ready to send. */
export interface FixtureRequest {
  method: FixtureStep['method'];
  path: string;
  pairs: Array<[string, string]>;
}

/**
 * Runs a planned trigger, for the terminal CLI and the docs' shell alike: prints each step's
 * lines, sends its request (its path taking what earlier steps returned), and stops at the first
 * refusal, which it gives back; null when every step worked. A step naming something no earlier
 * step returned throws a TriggerError; `send` may throw when the sandbox cannot be reached.
 */
export async function runFixture<Response extends { ok: boolean; body: unknown }>(
  steps: readonly FixtureStep[],
  send: (request: FixtureRequest) => Promise<Response>,
  print: (line: string) => void,
): Promise<{ request: FixtureRequest; response: Response } | null> {
  const results = new Map<string, Record<string, unknown>>();
  for (const step of steps) {
    for (const line of stepLines(step)) print(line);
    const request = {
      method: step.method,
      path: resolveStepPath(step.path, results),
      pairs: formPairs(step.params),
    };
    const response = await send(request);
    if (!response.ok) return { request, response };
    results.set(step.name, response.body as Record<string, unknown>);
  }
  return null;
}
