import type { KeyMode, Role } from '../db/schema.ts';

export type { Role };

/** Every role, most powerful first (the order pickers and lists use). */
export const ROLES: readonly Role[] = ['owner', 'admin', 'developer', 'viewer'];

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Administrator',
  developer: 'Developer',
  viewer: 'View only',
};

/** One sentence per role, shown where roles are chosen. */
export const ROLE_SUMMARIES: Record<Role, string> = {
  owner: 'Everything, including members and owners.',
  admin: 'Everything, including members (but not owners).',
  developer: 'Test keys (see, copy, roll, restricted keys), logs, events and customers.',
  viewer: 'Logs, events and customers; no secret keys.',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * What a member may do. Checked on the server by every page, form and endpoint that acts on
 * an account; the interface only hides what these refuse.
 * - `keys:test`: see and copy the test keys (the docs then show them), roll them, and make
 *   and delete restricted test keys.
 * - `keys:live`: the same for live keys.
 * - `data`: request logs, events and customers, in either mode.
 * - `data:write-test`: put customers, events and logs into test mode, as a guest sandbox's
 *   are moved at sign-in. Whoever holds the test keys can write test data through the
 *   sandbox anyway, so it goes with `keys:test`; View only reads and never writes.
 * - `members`: invite, re-role and remove members.
 */
export type Capability = 'keys:test' | 'keys:live' | 'data' | 'data:write-test' | 'members';

const CAPABILITIES: Record<Role, ReadonlySet<Capability>> = {
  owner: new Set(['keys:test', 'keys:live', 'data', 'data:write-test', 'members']),
  admin: new Set(['keys:test', 'keys:live', 'data', 'data:write-test', 'members']),
  developer: new Set(['keys:test', 'data', 'data:write-test']),
  viewer: new Set(['data']),
};

export function can(role: Role, capability: Capability): boolean {
  return CAPABILITIES[role].has(capability);
}

/** The capability managing a mode's keys takes. */
export function keysCapability(mode: KeyMode): Capability {
  return mode === 'live' ? 'keys:live' : 'keys:test';
}

/**
 * Whether `actor` may give someone the role `role`, or change or remove a member who holds
 * `current`. Administrators manage everyone but owners: otherwise an administrator could make
 * themselves an owner and then remove the owners.
 */
export function mayManageRole(actor: Role, role: Role): boolean {
  if (!can(actor, 'members')) return false;
  return actor === 'owner' || role !== 'owner';
}
