import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Role } from '../../src/lib/db/schema.ts';
import { CookieJar, get, postForm, SECRET_KEY_PATTERN, signUpReader } from '../support/http.ts';
import { freshEmail, inMode, invite, joinAs, keyIds, memberUserId } from '../support/teams.ts';

/**
 * Every role against every protected page, form and endpoint: what a role may do succeeds,
 * the rest is refused by the server (403, a redirect, or sample keys in the docs). Each
 * check looks at what the server did (status, data changed or not), not at hidden buttons.
 */
const baseUrl = inject('baseUrl');
const ROLES: Role[] = ['owner', 'admin', 'developer', 'viewer'];
const KEY_HOLDERS: Role[] = ['owner', 'admin', 'developer'];
const MANAGERS: Role[] = ['owner', 'admin'];
const EVERYONE: Role[] = ROLES;

const jars = {} as Record<Role, CookieJar>;
/** The members teamChange actions add, by email, with their sessions. */
const targets = new Map<string, CookieJar>();
let renames = 0;
let teamSecretKey = '';
let customerId = '';
let requestId = '';
let eventId = '';

async function ownerKeyIds(mode: 'test' | 'live'): Promise<Map<string, string>> {
  return keyIds(await (await get('/dashboard/apikeys', inMode(jars.owner, mode))).text());
}

async function restrictedKeyBy(name: string, mode: 'test' | 'live'): Promise<string> {
  const response = await postForm(
    '/dashboard/apikeys',
    { intent: 'create-restricted', name, permission_customers: 'read', permission_events: 'none' },
    inMode(jars.owner, mode),
  );
  expect(response.status).toBe(200);
  const id = (await ownerKeyIds(mode)).get(name);
  if (!id) throw new Error(`No restricted key named ${name}`);
  return id;
}

beforeAll(async () => {
  jars.owner = new CookieJar();
  await signUpReader(jars.owner);
  for (const role of ['admin', 'developer', 'viewer'] as const)
    jars[role] = (await joinAs(jars.owner, role)).jar;
  const keysPage = await (await get('/dashboard/apikeys', jars.owner)).text();
  teamSecretKey = keysPage.match(SECRET_KEY_PATTERN)![0];
  const created = await fetch(`${baseUrl}/v1/customers`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${teamSecretKey}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'email=matrix%40example.com',
  });
  customerId = ((await created.json()) as { id: string }).id;
  requestId = created.headers.get('request-id')!;
  const events = await fetch(`${baseUrl}/v1/events?limit=1`, {
    headers: { authorization: `Bearer ${teamSecretKey}` },
  });
  eventId = ((await events.json()) as { data: Array<{ id: string }> }).data[0]!.id;
});

interface Action {
  name: string;
  allowed: Role[];
  /** Makes what the attempt acts on (a key to delete, a member to change), before the state is read. */
  prepare?: () => Promise<string>;
  /** Tries the action as the holder of `jar`; `prepared` is what `prepare` made. */
  attempt: (jar: CookieJar, prepared: string) => Promise<Response>;
  /** Whether a successful attempt changes the account: its keys, members, invitations or name. */
  changes?: boolean;
  /** Checks a success; gets the body text. */
  succeeded: (response: Response, body: string) => void | Promise<void>;
  /** How a refusal shows: 403 (the default), or sample keys where the docs are public. */
  refused?: (response: Response, body: string) => void | Promise<void>;
}

const forbidden = (response: Response, body: string) => {
  expect(response.status).toBe(403);
  expect(body).not.toContain(teamSecretKey);
};
const ok = (text: string) => (response: Response, body: string) => {
  expect(response.status).toBe(200);
  expect(body).toContain(text);
};

const ACTIONS: Action[] = [
  {
    name: 'see the test keys',
    allowed: KEY_HOLDERS,
    attempt: (jar) => get('/dashboard/apikeys', jar),
    succeeded: (response, body) => ok(teamSecretKey)(response, body),
  },
  {
    name: 'see the live keys',
    allowed: MANAGERS,
    attempt: (jar) => get('/dashboard/apikeys', inMode(jar, 'live')),
    succeeded: (response, body) => {
      expect(response.status).toBe(200);
      expect(body).toMatch(/pk_live_[0-9A-Za-z]{24}/);
    },
    refused: (response, body) => {
      forbidden(response, body);
      expect(body).not.toMatch(/pk_live_[0-9A-Za-z]{24}/);
    },
  },
  {
    name: 'roll a test key',
    changes: true,
    allowed: KEY_HOLDERS,
    attempt: async (jar) => {
      const id = (await ownerKeyIds('test')).get('Publishable key')!;
      const response = await postForm(
        '/dashboard/apikeys',
        { intent: 'roll', key_id: id, expires: 'now', confirm: 'now' },
        jar,
      );
      const after = (await ownerKeyIds('test')).get('Publishable key');
      return withHeader(response, 'x-rolled', String(after !== id));
    },
    succeeded: (response, body) => {
      ok('Key rolled')(response, body);
      expect(response.headers.get('x-rolled')).toBe('true');
    },
    refused: (response, body) => {
      forbidden(response, body);
      expect(response.headers.get('x-rolled')).toBe('false');
    },
  },
  {
    name: 'create a restricted test key',
    changes: true,
    allowed: KEY_HOLDERS,
    attempt: (jar) =>
      postForm(
        '/dashboard/apikeys',
        {
          intent: 'create-restricted',
          name: 'reporting',
          permission_customers: 'read',
          permission_events: 'read',
        },
        jar,
      ),
    succeeded: ok('Restricted key &quot;reporting&quot; created'),
  },
  {
    name: 'delete a restricted test key',
    allowed: KEY_HOLDERS,
    changes: true,
    prepare: () => restrictedKeyBy(`doomed-${Math.random()}`, 'test'),
    attempt: (jar, id) => postForm('/dashboard/apikeys', { intent: 'delete', key_id: id }, jar),
    succeeded: ok('Restricted key deleted'),
  },
  {
    name: 'roll a live key',
    changes: true,
    allowed: MANAGERS,
    attempt: async (jar) => {
      const id = (await ownerKeyIds('live')).get('Publishable key')!;
      return postForm(
        '/dashboard/apikeys',
        { intent: 'roll', key_id: id, expires: 'now', confirm: 'now' },
        inMode(jar, 'live'),
      );
    },
    succeeded: ok('Key rolled'),
  },
  {
    name: 'create a restricted live key',
    changes: true,
    allowed: MANAGERS,
    attempt: (jar) =>
      postForm(
        '/dashboard/apikeys',
        {
          intent: 'create-restricted',
          name: 'live-reporting',
          permission_customers: 'read',
          permission_events: 'none',
        },
        inMode(jar, 'live'),
      ),
    succeeded: ok('Restricted key &quot;live-reporting&quot; created'),
  },
  ...(
    [
      ['see request logs', () => '/dashboard/logs', () => requestId],
      ['see a request log', () => `/dashboard/logs/${requestId}`, () => customerId],
      ['see events', () => '/dashboard/events', () => 'customer.created'],
      ['see an event', () => `/dashboard/events/${eventId}`, () => customerId],
      ['see customers', () => '/dashboard/customers', () => customerId],
      ['see a customer', () => `/dashboard/customers/${customerId}`, () => 'matrix@example.com'],
      ['see the members', () => '/dashboard/members', () => 'data-kw-owners'],
    ] as const
  ).map(([name, path, text]): Action => ({
    name,
    allowed: EVERYONE,
    attempt: (jar) => get(path(), jar),
    succeeded: (response, body) => ok(text())(response, body),
  })),
  {
    name: 'invite a member',
    changes: true,
    allowed: MANAGERS,
    attempt: (jar) =>
      postForm('/dashboard/members', { intent: 'invite', email: freshEmail('inv'), role: 'viewer' }, jar),
    succeeded: (response, body) => {
      expect(response.status).toBe(200);
      expect(body).toMatch(/\/invite\/[a-z2-7]{24}/);
    },
    refused: (response, body) => {
      forbidden(response, body);
      expect(body).not.toMatch(/\/invite\/[a-z2-7]{24}/);
    },
  },
  teamChange({
    name: "change a member's role",
    targetRole: 'viewer',
    form: { intent: 'change-role', role: 'developer' },
    // Whether the change took effect, as the target sees it: developers see the keys.
    probe: '/dashboard/apikeys',
    message: 'is now Developer',
    seesKeysAfter: true,
  }),
  teamChange({
    name: 'remove a member',
    targetRole: 'developer',
    form: { intent: 'remove' },
    probe: '/docs/first-request',
    message: 'was removed',
    seesKeysAfter: false,
  }),
  {
    name: 'withdraw an invitation',
    allowed: MANAGERS,
    changes: true,
    prepare: async () => {
      const email = freshEmail('withdrawn');
      const link = await invite(jars.owner, email, 'viewer');
      const page = await (await get('/dashboard/members', jars.owner)).text();
      const id = new RegExp(
        `${email.replace(/[.+]/g, '\\$&')}[\\s\\S]*?name="invitation_id" value="(inv_[0-9A-Za-z]+)"`,
      ).exec(page)![1]!;
      return JSON.stringify({ link, id });
    },
    attempt: async (jar, prepared) => {
      const { link, id } = JSON.parse(prepared) as { link: string; id: string };
      const response = await postForm('/dashboard/members', { intent: 'revoke', invitation_id: id }, jar);
      const linkStatus = (await get(link)).status;
      return withHeader(response, 'x-link-status', String(linkStatus));
    },
    succeeded: (response, body) => {
      ok('Invitation withdrawn')(response, body);
      expect(response.headers.get('x-link-status')).toBe('410');
    },
    refused: (response, body) => {
      forbidden(response, body);
      expect(response.headers.get('x-link-status')).toBe('200');
    },
  },
  {
    name: 'rename the account',
    allowed: MANAGERS,
    changes: true,
    // A new name each time, so that a second allowed rename is a change too.
    attempt: (jar) =>
      postForm('/dashboard/members', { intent: 'rename', name: `Matrix team ${++renames}` }, jar),
    succeeded: (response) => {
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/dashboard/members?renamed=1');
    },
  },
  {
    name: "docs samples carry the account's test key",
    allowed: KEY_HOLDERS,
    attempt: (jar) => get('/docs/first-request', jar),
    succeeded: (response, body) => ok(teamSecretKey)(response, body),
    refused: (response, body) => {
      expect(response.status).toBe(200);
      expect(body).not.toContain(teamSecretKey);
      expect(body.match(SECRET_KEY_PATTERN)?.length).toBeGreaterThan(0);
      expect(body).toContain('Ask an account owner for a role that can see API keys');
      expect(body).toContain('href="/dashboard/members#owners"');
    },
  },
  {
    name: "try-it samples carry the account's test key",
    allowed: KEY_HOLDERS,
    attempt: (jar) => get('/api/samples?method=GET&path=/v1/customers&params=limit%3D3', jar),
    succeeded: (response, body) => ok(teamSecretKey)(response, body),
    refused: (response, body) => {
      expect(response.status).toBe(200);
      expect(body).not.toContain(teamSecretKey);
    },
  },
  {
    name: "the walkthrough reads the account's request",
    allowed: KEY_HOLDERS,
    attempt: (jar) => get(`/api/requests/${requestId}`, jar),
    succeeded: ok(customerId),
    refused: (response) => expect(response.status).toBe(404),
  },
];

/**
 * A change the owner's team makes to a member it adds for the purpose: the attempt posts the
 * form, then asks whether the target sees the team's key on `probe` (a header on the answer),
 * so success and refusal are both judged by what the target can now do.
 */
function teamChange(change: {
  name: string;
  targetRole: Role;
  form: Record<string, string>;
  probe: string;
  message: string;
  seesKeysAfter: boolean;
}): Action {
  const seesKeys = (response: Response) => response.headers.get('x-target-sees-keys');
  return {
    name: change.name,
    allowed: MANAGERS,
    changes: true,
    prepare: async () => {
      const target = await joinAs(jars.owner, change.targetRole);
      targets.set(target.email, target.jar);
      return target.email;
    },
    attempt: async (jar, email) => {
      const userId = await memberUserId(jars.owner, email);
      const response = await postForm('/dashboard/members', { ...change.form, user_id: userId }, jar);
      const page = await (await get(change.probe, targets.get(email))).text();
      return withHeader(response, 'x-target-sees-keys', String(page.includes(teamSecretKey)));
    },
    succeeded: (response, body) => {
      ok(change.message)(response, body);
      expect(seesKeys(response)).toBe(String(change.seesKeysAfter));
    },
    refused: (response, body) => {
      forbidden(response, body);
      expect(seesKeys(response)).toBe(String(!change.seesKeysAfter));
    },
  };
}

function withHeader(response: Response, name: string, value: string): Response {
  const headers = new Headers(response.headers);
  headers.set(name, value);
  return new Response(response.body, { status: response.status, headers });
}

/**
 * What the owner can see of the account, in both modes: every working key (standard and
 * restricted), every member's role, the open invitations and the account's name. Actions are
 * judged by how this moves: a refused action, or one that only reads, leaves it as it was.
 */
interface TeamState {
  testKeys: string[];
  liveKeys: string[];
  members: string[];
  invitations: string[];
  name: string[];
}

async function teamState(): Promise<TeamState> {
  const keys = async (mode: 'test' | 'live') =>
    [
      ...(await (await get('/dashboard/apikeys', inMode(jars.owner, mode))).text()).matchAll(
        /data-key-id="(key_[0-9A-Za-z]+)"/g,
      ),
    ]
      .map((match) => match[1]!)
      .sort();
  const members = await (await get('/dashboard/members', jars.owner)).text();
  return {
    testKeys: await keys('test'),
    liveKeys: await keys('live'),
    members: [...members.matchAll(/data-member="([^"]+)"[\s\S]*?data-label="Role">([\s\S]*?)<\/td>/g)]
      .map(
        ([, email, cell]) =>
          `${email} ${/<option value="(\w+)" selected/.exec(cell!)?.[1] ?? cell!.replace(/<[^>]*>|\s+/g, ' ').trim()}`,
      )
      .sort(),
    invitations: [...members.matchAll(/name="invitation_id" value="(inv_[0-9A-Za-z]+)"/g)]
      .map((match) => match[1]!)
      .sort(),
    name: [/id="account-name"[^>]*value="([^"]*)"/.exec(members)?.[1] ?? ''],
  };
}

describe('the role matrix', () => {
  it('reads the whole team state that the matrix compares', async () => {
    const state = await teamState();
    expect(state.testKeys.length).toBeGreaterThanOrEqual(2);
    expect(state.liveKeys.length).toBeGreaterThanOrEqual(2);
    expect(state.members.length).toBeGreaterThanOrEqual(4);
    expect(state.members.join('\n')).toMatch(/ viewer$/m);
    expect(state.name[0]).not.toBe('');
  });

  for (const action of ACTIONS) {
    for (const role of ROLES) {
      const allowed = action.allowed.includes(role);
      it(`${role} ${allowed ? 'may' : 'may not'} ${action.name}`, async () => {
        const prepared = (await action.prepare?.()) ?? '';
        const before = await teamState();
        const response = await action.attempt(jars[role], prepared);
        const body = await response.text();
        const after = await teamState();
        if (allowed) await action.succeeded(response, body);
        else await (action.refused ?? forbidden)(response, body);
        if (allowed && action.changes) expect(after, 'the action took effect').not.toEqual(before);
        else
          expect(after, allowed ? 'reading changed nothing' : 'the refusal changed nothing').toEqual(before);
      });
    }
  }
});
