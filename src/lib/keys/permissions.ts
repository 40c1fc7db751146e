import { OBJECT_NAMES, RESOURCES, type Resource } from '../../spec/resources.ts';

/** Resources a restricted key can be given access to: every resource the API declares. */
export { RESOURCES, type Resource };

/** None, Read or Write; Write implies Read. */
export const ACCESS_LEVELS = ['none', 'read', 'write'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

export type Permissions = Record<Resource, Access>;

/** How the dashboard names each access level. */
export const ACCESS_LABELS: Record<Access, string> = { none: 'None', read: 'Read', write: 'Write' };

/** How the dashboard names each resource: `Customers`. */
export function resourceLabel(resource: Resource): string {
  const words = resource.replaceAll('_', ' ');
  return words[0]!.toUpperCase() + words.slice(1);
}

/**
 * A permission as the dashboard's form names it, `Customers: Write`. The sandbox's refusals
 * use the same words, so the reader finds in the form exactly what the error asked for.
 */
export function permissionLabel(resource: Resource, access: Access): string {
  return `${resourceLabel(resource)}: ${ACCESS_LABELS[access]}`;
}

/** Stripe's machine name for a permission, `rak_customer_write`, which its errors print. */
export function stripePermissionId(resource: Resource, needed: 'read' | 'write'): string {
  return `rak_${OBJECT_NAMES[resource]}_${needed}`;
}

export function isAccess(value: unknown): value is Access {
  return typeof value === 'string' && (ACCESS_LEVELS as readonly string[]).includes(value);
}

/**
 * A restricted key's stored permissions, or null when they are not a permissions object. A
 * resource added after the key was made is missing from what was stored: the key was never
 * given it, so it reads as None, and the key keeps the access it was given to the others.
 */
export function readPermissions(value: unknown): Permissions | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const stored = value as Record<string, unknown>;
  const out = {} as Permissions;
  for (const resource of RESOURCES) {
    const access = Object.hasOwn(stored, resource) ? stored[resource] : 'none';
    if (!isAccess(access)) return null;
    out[resource] = access;
  }
  return out;
}

/** Whether a key with `granted` may do what `needed` asks (GET needs read, writes need write). */
export function allows(granted: Access, needed: 'read' | 'write'): boolean {
  return granted === 'write' || (granted === 'read' && needed === 'read');
}
