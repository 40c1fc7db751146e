import { messages } from './messages.ts';
import { SandboxError } from './errors.ts';

/**
 * Checks `expand[]` paths. Only fields that hold another object's id can be expanded; the
 * sandbox's expandable fields are always null for now, so expanding them changes nothing,
 * but asking for anything else fails as it would against Stripe. On a list every path
 * must start with `data.`. At most 4 levels.
 */
export function checkExpand(
  paths: string[] | null | undefined,
  expandable: readonly string[],
  isList: boolean,
): void {
  for (const path of paths ?? []) {
    if (path.split('.').length > (isList ? 5 : 4)) {
      throw new SandboxError(400, messages.expandTooDeep(path), {
        code: 'parameter_invalid_string',
        param: 'expand',
      });
    }
    const field = isList ? (path.startsWith('data.') ? path.slice('data.'.length) : null) : path;
    if (field === null || !expandable.includes(field)) {
      throw new SandboxError(400, messages.notExpandable(path), {
        code: 'parameter_invalid_string',
        param: 'expand',
      });
    }
  }
}
