import { RESOURCES, type Resource } from '../../spec/resources.ts';

/** Resources a restricted key can be given access to: every resource the API declares. */
export { RESOURCES, type Resource };

/** None, Read or Write; Write implies Read. */
export const ACCESS_LEVELS = ['none', 'read', 'write'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

export type Permissions = Record<Resource, Access>;

export function isAccess(value: unknown): value is Access {
  return typeof value === 'string' && (ACCESS_LEVELS as readonly string[]).includes(value);
}

export function isPermissions(value: unknown): value is Permissions {
  if (typeof value !== 'object' || value === null) return false;
  return RESOURCES.every((resource) => isAccess((value as Record<string, unknown>)[resource]));
}

/** Whether a key with `granted` may do what `needed` asks (GET needs read, writes need write). */
export function allows(granted: Access, needed: 'read' | 'write'): boolean {
  return granted === 'write' || (granted === 'read' && needed === 'read');
}
