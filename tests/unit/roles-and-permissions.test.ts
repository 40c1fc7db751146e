import { describe, expect, it } from 'vitest';
import {
  ACCESS_LEVELS,
  allows,
  isAccess,
  permissionLabel,
  readPermissions,
  RESOURCES,
  resourceLabel,
  stripePermissionId,
} from '../../src/lib/keys/permissions.ts';
import {
  can,
  isRole,
  keysCapability,
  mayManageRole,
  ROLE_LABELS,
  ROLE_SUMMARIES,
  ROLES,
  type Capability,
  type Role,
} from '../../src/lib/teams/roles.ts';

/**
 * The tables that decide who may do what, with every expectation written out here (as the
 * README's role table states it), never read back from the module under test.
 */
const CAPABILITY_TABLE: Record<Role, Record<Capability, boolean>> = {
  owner: { 'keys:test': true, 'keys:live': true, data: true, 'data:write-test': true, members: true },
  admin: { 'keys:test': true, 'keys:live': true, data: true, 'data:write-test': true, members: true },
  developer: { 'keys:test': true, 'keys:live': false, data: true, 'data:write-test': true, members: false },
  viewer: { 'keys:test': false, 'keys:live': false, data: true, 'data:write-test': false, members: false },
};

describe('roles', () => {
  it('lists the four roles, most powerful first, with the labels and summaries people see', () => {
    expect(ROLES).toEqual(['owner', 'admin', 'developer', 'viewer']);
    expect(ROLE_LABELS).toEqual({
      owner: 'Owner',
      admin: 'Administrator',
      developer: 'Developer',
      viewer: 'View only',
    });
    for (const role of ROLES) expect(ROLE_SUMMARIES[role].length).toBeGreaterThan(10);
    expect(new Set(Object.values(ROLE_SUMMARIES)).size).toBe(4);
  });

  for (const [role, capabilities] of Object.entries(CAPABILITY_TABLE) as Array<
    [Role, Record<Capability, boolean>]
  >) {
    for (const [capability, expected] of Object.entries(capabilities) as Array<[Capability, boolean]>) {
      it(`${role} ${expected ? 'has' : 'lacks'} ${capability}`, () => {
        expect(can(role, capability)).toBe(expected);
      });
    }
  }

  it('knows a role only by its exact name', () => {
    for (const role of ['owner', 'admin', 'developer', 'viewer']) expect(isRole(role)).toBe(true);
    for (const other of ['Owner', 'root', '', ' owner', null, undefined, 1, {}, ['owner']])
      expect(isRole(other)).toBe(false);
  });

  it('asks for keys:live to manage live keys and keys:test for test keys', () => {
    expect(keysCapability('live')).toBe('keys:live');
    expect(keysCapability('test')).toBe('keys:test');
  });

  it('lets owners manage every role, administrators every role but owner, and nobody else any', () => {
    const expected: Record<Role, Role[]> = {
      owner: ['owner', 'admin', 'developer', 'viewer'],
      admin: ['admin', 'developer', 'viewer'],
      developer: [],
      viewer: [],
    };
    for (const actor of ROLES) {
      for (const target of ROLES) {
        expect(mayManageRole(actor, target), `${actor} managing ${target}`).toBe(
          expected[actor].includes(target),
        );
      }
    }
  });
});

describe('restricted-key permissions', () => {
  it('name the resources and levels the dashboard offers', () => {
    expect(RESOURCES).toEqual(['customers', 'events', 'webhook_endpoints']);
    expect(ACCESS_LEVELS).toEqual(['none', 'read', 'write']);
  });

  it('let read do reads, write do reads and writes, and none do nothing', () => {
    const table = [
      ['none', 'read', false],
      ['none', 'write', false],
      ['read', 'read', true],
      ['read', 'write', false],
      ['write', 'read', true],
      ['write', 'write', true],
    ] as const;
    for (const [granted, needed, expected] of table)
      expect(allows(granted, needed), `${granted} for ${needed}`).toBe(expected);
  });

  it('accept only the three level names', () => {
    for (const level of ['none', 'read', 'write']) expect(isAccess(level)).toBe(true);
    for (const other of ['', 'Read', 'admin', null, undefined, 0, {}]) expect(isAccess(other)).toBe(false);
  });

  it('read a stored permission set, a resource it does not name as None', () => {
    const none = { customers: 'none', events: 'none', webhook_endpoints: 'none' };
    expect(readPermissions({ customers: 'read', events: 'none', webhook_endpoints: 'write' })).toEqual({
      customers: 'read',
      events: 'none',
      webhook_endpoints: 'write',
    });
    // Stored before webhook endpoints existed: it keeps what it had, and has none of them.
    expect(readPermissions({ customers: 'write', events: 'read' })).toEqual({
      ...none,
      customers: 'write',
      events: 'read',
    });
    expect(readPermissions({ customers: 'write', events: 'write', extra: 'ignored' })).toEqual({
      ...none,
      customers: 'write',
      events: 'write',
    });
    expect(readPermissions({})).toEqual(none);
    expect(readPermissions({ customers: 'read', events: 'all' })).toBeNull();
    expect(readPermissions({ customers: 'all', events: 'read' })).toBeNull();
    expect(readPermissions({ webhook_endpoints: null })).toBeNull();
    for (const other of [null, undefined, 'read', 3, []]) expect(readPermissions(other)).toBeNull();
  });

  it('name every resource in words, and in Stripe’s permission ids', () => {
    expect(RESOURCES.map(resourceLabel)).toEqual(['Customers', 'Events', 'Webhook endpoints']);
    expect(permissionLabel('webhook_endpoints', 'write')).toBe('Webhook endpoints: Write');
    expect(stripePermissionId('webhook_endpoints', 'read')).toBe('rak_webhook_endpoint_read');
  });
});
