import { EVENT_TYPES } from '../../spec/objects.ts';
import { CliError } from './parse.ts';

/**
 * `trigger <event>`: the requests that make a sandbox event happen, as the Stripe CLI's
 * customer fixtures make them, with its `--override fixture:path.to.param=value` flag.
 * Pure, so the docs' shell and the terminal CLI send the same requests.
 */

/** One request of a fixture. `${customer:id}` in its path is the id an earlier step returned. */
export interface TriggerStep {
  /** The fixture's name, which `--override` uses (`customer`, `customer_updated`). */
  name: string;
  method: 'POST' | 'DELETE';
  path: string;
  /** Form pairs, as sendCliRequest takes them (`metadata[foo]`, `bar`). */
  pairs: Array<[string, string]>;
}

const CREATE_CUSTOMER: TriggerStep = {
  name: 'customer',
  method: 'POST',
  path: '/v1/customers',
  pairs: [['description', '(created by Keyway CLI)']],
};

const FIXTURES: Record<string, readonly TriggerStep[]> = {
  'customer.created': [CREATE_CUSTOMER],
  'customer.updated': [
    CREATE_CUSTOMER,
    {
      name: 'customer_updated',
      method: 'POST',
      path: '/v1/customers/${customer:id}',
      pairs: [['metadata[foo]', 'bar']],
    },
  ],
  'customer.deleted': [
    CREATE_CUSTOMER,
    { name: 'customer_deleted', method: 'DELETE', path: '/v1/customers/${customer:id}', pairs: [] },
  ],
};

/** The events `trigger` can make: every event type the sandbox records. */
export const TRIGGER_EVENTS: readonly string[] = EVENT_TYPES;

/** A step's reference to an earlier step's id. */
const STEP_REFERENCE = /\$\{([a-z_]+):id\}/g;

/**
 * The requests that trigger `event`, with each `--override` applied (`v1.customer.created`
 * runs the same fixture, as in the Stripe CLI). Throws CliError, before anything is sent, for
 * an event with no fixture or an override it cannot apply.
 */
export function triggerSteps(event: string, overrides: readonly string[] = []): TriggerStep[] {
  const type = event.replace(/^v1\./, '');
  if (!Object.hasOwn(FIXTURES, type)) {
    throw new CliError(
      `The event \`${event}\` is not supported by Keyway CLI. To trigger unsupported events, use the Keyway API.\n` +
        `Supported events: ${TRIGGER_EVENTS.join(', ')}.`,
    );
  }
  const steps = FIXTURES[type]!.map((step) => ({ ...step, pairs: [...step.pairs] }));
  const names = steps.map((step) => step.name);
  for (const override of overrides) {
    const colon = override.indexOf(':');
    const equals = override.indexOf('=');
    const name = colon > 0 && (equals < 0 || colon < equals) ? override.slice(0, colon) : null;
    const step = steps.find((candidate) => candidate.name === name);
    if (!step) {
      throw new CliError(
        `Invalid value for override flag (${override}). The override flag requires the name of the fixture ` +
          `to apply (--override fixtureName:path.to.param=value).\n\nValid fixture names are: [${names.join(' ')}]`,
      );
    }
    const path = equals < 0 ? '' : override.slice(colon + 1, equals);
    if (equals < 0 || !/^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$/.test(path)) {
      throw new CliError(
        `Invalid value for override flag (${override}). The override flag requires a value to set ` +
          '(--override fixtureName:path.to.param=value).',
      );
    }
    // `metadata.plan` is the form name `metadata[plan]`; an override replaces a pair it names.
    const [head, ...rest] = path.split('.');
    const formName = head + rest.map((part) => `[${part}]`).join('');
    step.pairs = step.pairs.filter(([pairName]) => pairName !== formName);
    step.pairs.push([formName, override.slice(equals + 1)]);
  }
  return steps;
}

/**
 * A step's path with the ids earlier steps returned (by step name). Throws CliError when a
 * step it names returned no id, so nothing is sent to a path with a hole in it.
 */
export function resolveStepPath(path: string, ids: ReadonlyMap<string, string>): string {
  return path.replace(STEP_REFERENCE, (_, name: string) => {
    const id = ids.get(name);
    if (!id) throw new CliError(`The fixture step ${name} returned no id, so the next step cannot run.`);
    return encodeURIComponent(id);
  });
}
