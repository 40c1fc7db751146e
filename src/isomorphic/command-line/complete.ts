import type { ResourceName } from '../api-call.ts';
import { actionsOf, RESOURCES } from './parse.ts';

/**
 * Tab completion: the words that could finish the last word of a line, given the words
 * before it. Resources first, then actions, then `--flags` of the chosen operation.
 */
export function completions(line: string): string[] {
  const words = line.split(/\s+/);
  const last = words.pop() ?? '';
  const before = words.filter(Boolean);
  if (before[0] === 'keyway' || before[0] === 'stripe') before.shift();
  let candidates: string[];
  if (before.length === 0) candidates = [...RESOURCES, 'get', 'post', 'delete', 'help', 'clear'];
  else if (before.length === 1 && (RESOURCES as string[]).includes(before[0]!)) {
    candidates = actionsOf(before[0] as ResourceName).map((operation) => operation.action);
  } else if ((RESOURCES as string[]).includes(before[0]!)) {
    const operation = actionsOf(before[0] as ResourceName).find(
      (candidate) => candidate.action === before[1],
    );
    candidates = operation
      ? [...Object.keys(operation.params).map((name) => `--${name.replaceAll('_', '-')}=`), '--api-key']
      : [];
  } else {
    candidates = [];
  }
  return candidates.filter((candidate) => candidate.startsWith(last));
}
