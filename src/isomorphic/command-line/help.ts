import type { ResourceName } from '../api-call.ts';
import { actionsOf, RESOURCES } from './parse.ts';
import { didYouMean } from './suggest.ts';
import { TRIGGER_EVENTS } from '../webhooks/trigger-fixtures.ts';

/** Help for the webhook commands, which are not resources (webhook-commands.ts reads them). */
const WEBHOOK_HELP: Record<string, string[]> = {
  listen: [
    "listen: receive your account's events as they happen, and forward them to a local handler.",
    '  keyway listen --forward-to localhost:3000/webhook',
    'Options:',
    '  -f, --forward-to <url>   POST each event, signed, to this URL (3000 and /hook mean localhost)',
    '  -e, --events <a,b>       only these event types (default *: all)',
    '  -H, --headers "K: V, K2: V2"   extra headers for each forward',
    '  --print-secret           print the webhook signing secret and exit',
    '  --skip-verify            accept a self-signed certificate from an https:// handler',
    'The signing secret (whsec_…) stays the same for your key across runs; a rolled key gets a new one.',
  ],
  trigger: [
    'trigger: make an event happen by running the requests that cause it.',
    '  keyway trigger customer.created --override customer:email=jenny.rosen@example.com',
    `Events: ${TRIGGER_EVENTS.join(', ')}`,
    'Options:',
    '  --override fixture:path.to.param=value   set a parameter of one request (dots nest: metadata.plan)',
    '  --add fixture:path.to.param=value        set it only if the fixture has not',
    '  --remove fixture:path.to.param           leave a parameter out',
    'Fixture names: customer (every event), customer_updated, customer_deleted.',
  ],
};

const EXAMPLES: Record<string, string> = {
  'customers create':
    'keyway customers create --email=jenny.rosen@example.com --name="Jenny Rosen" -d "metadata[order_id]=6735"',
  'customers retrieve': 'keyway customers retrieve cus_…',
  'customers update': 'keyway customers update cus_… --name="Jenny R." -d "metadata[order_id]="',
  'customers delete': 'keyway customers delete cus_…',
  'customers list': 'keyway customers list --limit=3',
  'customers search': `keyway customers search --query='email~"example.com" AND metadata["plan"]:"pro"'`,
  'events retrieve': 'keyway events retrieve evt_…',
  'events list': 'keyway events list --type=customer.created --limit=5',
};

/** Help for `help`, `help customers` or `help customers create`. */
export function helpText(topic: string[]): string {
  const [resource, action] = topic;
  if (!resource) {
    return [
      'Commands (keyway or stripe first is optional):',
      ...RESOURCES.map(
        (name) =>
          `  ${name} ${actionsOf(name)
            .map((operation) => operation.action)
            .join('|')}`,
      ),
      '  get|post|delete /v1/<path> -d name=value',
      '  listen [--forward-to localhost:3000/webhook] [--events a,b]',
      `  trigger ${TRIGGER_EVENTS.join('|')}`,
      '  help [resource [action]]    clear',
      '',
      'Parameters: --name=value (quote values with spaces), or -d "nested[key]=value".',
      'Options: --api-key sk_test_… to use another test key.',
      `Example: ${EXAMPLES['customers create']}`,
    ].join('\n');
  }
  if (Object.hasOwn(WEBHOOK_HELP, resource)) return WEBHOOK_HELP[resource]!.join('\n');
  if (!(RESOURCES as string[]).includes(resource)) {
    const topics = [...RESOURCES, ...Object.keys(WEBHOOK_HELP)];
    return `There is no resource "${resource}".${didYouMean(resource, topics)} Resources: ${RESOURCES.join(', ')}; commands: listen, trigger.`;
  }
  const operations = actionsOf(resource as ResourceName);
  if (!action) {
    return [
      `${resource}:`,
      ...operations.map((operation) => `  ${EXAMPLES[`${resource} ${operation.action}`]}`),
    ].join('\n');
  }
  const operation = operations.find((candidate) => candidate.action === action);
  if (!operation) {
    const names = operations.map((candidate) => candidate.action);
    return `${resource} has no action "${action}".${didYouMean(action, names)} Actions: ${names.join(', ')}.`;
  }
  const params = Object.keys(operation.params);
  return [
    `${resource} ${action}: ${operation.method} ${operation.pathTemplate.replace('{id}', ':id')}`,
    `  ${EXAMPLES[`${resource} ${action}`]}`,
    params.length
      ? `Parameters: ${params.map((name) => `--${name.replaceAll('_', '-')}`).join(', ')}`
      : 'No parameters.',
  ].join('\n');
}
