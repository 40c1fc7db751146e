import type { ResourceName } from '../api-call.ts';
import { actionsOf, RESOURCES } from './parse.ts';
import { didYouMean } from './suggest.ts';

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
      '  help [resource [action]]    clear',
      '',
      'Parameters: --name=value (quote values with spaces), or -d "nested[key]=value".',
      'Options: --api-key sk_test_… to use another test key.',
      `Example: ${EXAMPLES['customers create']}`,
    ].join('\n');
  }
  if (!(RESOURCES as string[]).includes(resource)) {
    return `There is no resource "${resource}".${didYouMean(resource, RESOURCES)} Resources: ${RESOURCES.join(', ')}.`;
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
