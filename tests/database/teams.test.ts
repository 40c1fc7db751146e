import { beforeAll, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { signIn, signUp } from '../../src/lib/auth/accounts.ts';
import { createSession, validateSessionToken } from '../../src/lib/auth/session.ts';
import type { Database, Role } from '../../src/lib/db/schema.ts';
import {
  acceptInvitation,
  createInvitation,
  INVITATION_TTL_MS,
  lookUpInvitation,
  pendingInvitations,
  revokeInvitation,
} from '../../src/lib/teams/invitations.ts';
import {
  accountsOf,
  changeRole,
  listMembers,
  removeMember,
  switchAccount,
} from '../../src/lib/teams/memberships.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';

const PASSWORD = 'correct horse battery';

describeEachDatabase('teams and invitations on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  beforeAll(() => {
    db = database();
  });

  let counter = 0;
  async function person(label: string) {
    const email = `${label}${++counter}.${Date.now()}@example.com`;
    const result = await signUp(db, { email, password: PASSWORD });
    if (!result.ok) throw new Error(`sign-up failed: ${JSON.stringify(result)}`);
    return { ...result, email };
  }

  /** An owner's account with one more member of `role`, added through an invitation. */
  async function teamWith(role: Role) {
    const owner = await person('owner');
    const member = await person(role);
    const made = await createInvitation(
      db,
      owner.accountId,
      { userId: owner.userId, role: 'owner' },
      { email: member.email, role },
    );
    if (!made.ok) throw new Error('invitation failed');
    const accepted = await acceptInvitation(db, made.token, member);
    if (!accepted.ok) throw new Error(accepted.message);
    return { owner, member, accountId: owner.accountId };
  }

  it('accepting adds the invitee with the chosen role, once', async () => {
    const owner = await person('owner');
    const invitee = await person('dev');
    const made = await createInvitation(
      db,
      owner.accountId,
      { userId: owner.userId, role: 'owner' },
      { email: `  ${invitee.email.toUpperCase()} `, role: 'developer' },
    );
    expect(made.ok).toBe(true);
    if (!made.ok) return;
    expect(made.token).toMatch(/^[a-z2-7]{24}$/);
    expect(made.invitation.email).toBe(invitee.email);
    expect(made.invitation.expiresAt - made.invitation.createdAt).toBe(INVITATION_TTL_MS);
    expect(await pendingInvitations(db, owner.accountId)).toHaveLength(1);
    // The token itself is not stored.
    const stored = await db.selectFrom('invitations').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(made.token);

    const accepted = await acceptInvitation(db, made.token, invitee);
    expect(accepted).toEqual({
      ok: true,
      accountId: owner.accountId,
      role: 'developer',
      alreadyMember: false,
    });
    expect((await listMembers(db, owner.accountId)).map((m) => [m.email, m.role])).toEqual([
      [owner.email, 'owner'],
      [invitee.email, 'developer'],
    ]);
    expect(await pendingInvitations(db, owner.accountId)).toEqual([]);
    // Reused link.
    const again = await acceptInvitation(db, made.token, invitee);
    expect(again).toMatchObject({ ok: false, problem: 'used' });
    expect((await lookUpInvitation(db, made.token)).ok).toBe(false);
  });

  it('refuses an expired link, and says when it expired', async () => {
    const owner = await person('owner');
    const invitee = await person('late');
    const then = Date.now() - INVITATION_TTL_MS - 1000;
    const made = await createInvitation(
      db,
      owner.accountId,
      { userId: owner.userId, role: 'owner' },
      { email: invitee.email, role: 'viewer' },
      then,
    );
    if (!made.ok) throw new Error('invitation failed');
    const accepted = await acceptInvitation(db, made.token, invitee);
    expect(accepted).toMatchObject({ ok: false, problem: 'expired' });
    if (!accepted.ok) expect(accepted.message).toMatch(/expired on \d{4}-\d\d-\d\d/);
    expect(await listMembers(db, owner.accountId)).toHaveLength(1);
    // One millisecond before the end it still works.
    const fresh = await createInvitation(
      db,
      owner.accountId,
      { userId: owner.userId, role: 'owner' },
      { email: invitee.email, role: 'viewer' },
      then,
    );
    if (!fresh.ok) throw new Error('invitation failed');
    expect(await acceptInvitation(db, fresh.token, invitee, then + INVITATION_TTL_MS - 1)).toMatchObject({
      ok: true,
    });
  });

  it('refuses a link meant for another email address', async () => {
    const owner = await person('owner');
    const meant = await person('meant');
    const other = await person('other');
    const made = await createInvitation(
      db,
      owner.accountId,
      { userId: owner.userId, role: 'owner' },
      { email: meant.email, role: 'developer' },
    );
    if (!made.ok) throw new Error('invitation failed');
    const accepted = await acceptInvitation(db, made.token, other);
    expect(accepted).toMatchObject({ ok: false, problem: 'wrong-email' });
    if (!accepted.ok) expect(accepted.message).toContain(meant.email);
    // The link is not used up by the wrong person.
    expect(await acceptInvitation(db, made.token, meant)).toMatchObject({ ok: true });
  });

  it('refuses a link after the inviter lost the role that could invite', async () => {
    const { owner, member: admin, accountId } = await teamWith('admin');
    const invitee = await person('invitee');
    const made = await createInvitation(
      db,
      accountId,
      { userId: admin.userId, role: 'admin' },
      { email: invitee.email, role: 'developer' },
    );
    if (!made.ok) throw new Error('invitation failed');
    expect(
      (
        await changeRole(
          db,
          accountId,
          { userId: owner.userId, role: 'owner' },
          { userId: admin.userId, role: 'developer' },
        )
      ).ok,
    ).toBe(true);
    const accepted = await acceptInvitation(db, made.token, invitee);
    expect(accepted).toMatchObject({ ok: false, problem: 'inviter-lost-role' });
    expect((await listMembers(db, accountId)).map((m) => m.email)).not.toContain(invitee.email);

    // Removed altogether: the same.
    const second = await createInvitation(
      db,
      accountId,
      { userId: owner.userId, role: 'owner' },
      { email: invitee.email, role: 'viewer' },
    );
    if (!second.ok) throw new Error('invitation failed');
    const newOwner = await person('owner2');
    const ownerInvite = await createInvitation(
      db,
      accountId,
      { userId: owner.userId, role: 'owner' },
      { email: newOwner.email, role: 'owner' },
    );
    if (!ownerInvite.ok) throw new Error('invitation failed');
    expect((await acceptInvitation(db, ownerInvite.token, newOwner)).ok).toBe(true);
    expect(
      (await removeMember(db, accountId, { userId: newOwner.userId, role: 'owner' }, owner.userId)).ok,
    ).toBe(true);
    expect(await acceptInvitation(db, second.token, invitee)).toMatchObject({
      ok: false,
      problem: 'inviter-lost-role',
    });
  });

  it('refuses unknown, withdrawn and malformed links', async () => {
    const owner = await person('owner');
    const invitee = await person('x');
    expect(await lookUpInvitation(db, 'a'.repeat(24))).toMatchObject({ ok: false, problem: 'unknown' });
    expect(await lookUpInvitation(db, '../../etc')).toMatchObject({ ok: false, problem: 'unknown' });
    const made = await createInvitation(
      db,
      owner.accountId,
      { userId: owner.userId, role: 'owner' },
      { email: invitee.email, role: 'viewer' },
    );
    if (!made.ok) throw new Error('invitation failed');
    expect(await revokeInvitation(db, owner.accountId, made.invitation.id)).toBe(true);
    expect(await acceptInvitation(db, made.token, invitee)).toMatchObject({ ok: false, problem: 'revoked' });
    // Inviting the same address again replaces a pending link.
    const first = await createInvitation(
      db,
      owner.accountId,
      { userId: owner.userId, role: 'owner' },
      { email: invitee.email, role: 'viewer' },
    );
    const second = await createInvitation(
      db,
      owner.accountId,
      { userId: owner.userId, role: 'owner' },
      { email: invitee.email, role: 'developer' },
    );
    if (!first.ok || !second.ok) throw new Error('invitation failed');
    expect(await acceptInvitation(db, first.token, invitee)).toMatchObject({ ok: false, problem: 'revoked' });
    expect(await acceptInvitation(db, second.token, invitee)).toMatchObject({ ok: true, role: 'developer' });
  });

  it('checks what an invitation may say: address, role, and who may grant owner', async () => {
    const { member: admin, accountId } = await teamWith('admin');
    const by = { userId: admin.userId, role: 'admin' as const };
    expect(
      await createInvitation(db, accountId, by, { email: 'not-an-email', role: 'viewer' }),
    ).toMatchObject({
      ok: false,
      errors: { email: expect.stringContaining('like jenny.rosen@example.com') },
    });
    expect(
      await createInvitation(db, accountId, by, { email: 'new@example.com', role: 'owner' }),
    ).toMatchObject({
      ok: false,
      errors: { role: expect.stringContaining('Only an owner') },
    });
    expect(await createInvitation(db, accountId, by, { email: admin.email, role: 'viewer' })).toMatchObject({
      ok: false,
      errors: { email: expect.stringContaining('already a member') },
    });
    expect(
      await createInvitation(
        db,
        accountId,
        { userId: admin.userId, role: 'developer' },
        { email: 'x@example.com', role: 'viewer' },
      ),
    ).toMatchObject({ ok: false });
  });

  it('keeps the last owner: neither demoted nor removed', async () => {
    const { owner, member: admin, accountId } = await teamWith('admin');
    const asOwner = { userId: owner.userId, role: 'owner' as const };
    expect(await changeRole(db, accountId, asOwner, { userId: owner.userId, role: 'admin' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('needs an owner'),
    });
    expect(await removeMember(db, accountId, asOwner, owner.userId)).toMatchObject({ ok: false });
    // An administrator cannot touch owners at all.
    expect(
      await removeMember(db, accountId, { userId: admin.userId, role: 'admin' }, owner.userId),
    ).toMatchObject({ ok: false });
    expect(
      await changeRole(
        db,
        accountId,
        { userId: admin.userId, role: 'admin' },
        { userId: admin.userId, role: 'owner' },
      ),
    ).toMatchObject({ ok: false });
    // With a second owner, the first may step down.
    expect((await changeRole(db, accountId, asOwner, { userId: admin.userId, role: 'owner' })).ok).toBe(true);
    expect((await changeRole(db, accountId, asOwner, { userId: owner.userId, role: 'developer' })).ok).toBe(
      true,
    );
    expect((await listMembers(db, accountId)).filter((m) => m.role === 'owner').map((m) => m.email)).toEqual([
      admin.email,
    ]);
  });

  it('two owners demoting each other at once leave one owner', async () => {
    const { owner, member: second, accountId } = await teamWith('owner');
    const results = await Promise.all([
      changeRole(
        db,
        accountId,
        { userId: owner.userId, role: 'owner' },
        { userId: second.userId, role: 'viewer' },
      ),
      changeRole(
        db,
        accountId,
        { userId: second.userId, role: 'owner' },
        { userId: owner.userId, role: 'viewer' },
      ),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect((await listMembers(db, accountId)).filter((m) => m.role === 'owner')).toHaveLength(1);
  });

  it('sessions follow the role, the picker and removal at once', async () => {
    const { owner, member, accountId } = await teamWith('developer');
    const token = await createSession(db, member.userId, member.accountId);
    let session = await validateSessionToken(db, token);
    expect(session).toMatchObject({ accountId: member.accountId, role: 'owner' });
    expect(session!.accounts.map((a) => a.id)).toEqual([member.accountId, accountId]);
    expect(await accountsOf(db, member.userId)).toHaveLength(2);

    // Pick the team account: its keys, the developer role.
    const ownerSession = await validateSessionToken(db, await createSession(db, owner.userId, accountId));
    expect(await switchAccount(db, session!, accountId)).toBe(true);
    session = await validateSessionToken(db, token);
    expect(session).toMatchObject({
      accountId,
      role: 'developer',
      testSecretKey: ownerSession!.testSecretKey,
    });

    // The choice is where the next sign-in starts.
    const signedIn = await signIn(db, {
      email: member.email,
      password: PASSWORD,
      clientAddress: '127.0.0.1',
    });
    expect(signedIn).toMatchObject({ ok: true, accountId });

    // Not a member: refused.
    const stranger = await person('stranger');
    expect(await switchAccount(db, session!, stranger.accountId)).toBe(false);

    // Lowered to View only: the next request sees it.
    await changeRole(
      db,
      accountId,
      { userId: owner.userId, role: 'owner' },
      { userId: member.userId, role: 'viewer' },
    );
    expect(await validateSessionToken(db, token)).toMatchObject({ accountId, role: 'viewer' });

    // Removed: the session falls back to the member's own account.
    await removeMember(db, accountId, { userId: owner.userId, role: 'owner' }, member.userId);
    session = await validateSessionToken(db, token);
    expect(session).toMatchObject({ accountId: member.accountId, role: 'owner' });
    expect(session!.accounts.map((a) => a.id)).toEqual([member.accountId]);
    expect(
      await signIn(db, { email: member.email, password: PASSWORD, clientAddress: '127.0.0.1' }),
    ).toMatchObject({
      ok: true,
      accountId: member.accountId,
    });
  });

  it('a user left without any account gets a fresh one at sign-in', async () => {
    const { owner, member, accountId } = await teamWith('owner');
    // The member hands their own account over, then is removed from it.
    const ownAccount = member.accountId;
    const made = await createInvitation(
      db,
      ownAccount,
      { userId: member.userId, role: 'owner' },
      { email: owner.email, role: 'owner' },
    );
    if (!made.ok) throw new Error('invitation failed');
    await acceptInvitation(db, made.token, owner);
    await removeMember(db, ownAccount, { userId: owner.userId, role: 'owner' }, member.userId);
    await removeMember(db, accountId, { userId: owner.userId, role: 'owner' }, member.userId);
    const token = await createSession(db, member.userId, ownAccount);
    expect(await validateSessionToken(db, token)).toBeNull();
    const signedIn = await signIn(db, {
      email: member.email,
      password: PASSWORD,
      clientAddress: '127.0.0.1',
    });
    expect(signedIn.ok).toBe(true);
    if (!signedIn.ok) return;
    expect([ownAccount, accountId]).not.toContain(signedIn.accountId);
    expect(await accountsOf(db, member.userId)).toEqual([
      expect.objectContaining({ id: signedIn.accountId, role: 'owner' }),
    ]);
    // Made as at sign-up: named after the user's email, with the four default keys.
    const fresh = await db
      .selectFrom('accounts')
      .select('name')
      .where('id', '=', signedIn.accountId)
      .executeTakeFirstOrThrow();
    expect(fresh.name).toBe(`${member.email.slice(0, member.email.indexOf('@'))}'s account`);
    const keys = await db
      .selectFrom('api_keys')
      .select(['mode', 'kind'])
      .where('account_id', '=', signedIn.accountId)
      .execute();
    expect(keys.map((key) => `${key.mode}/${key.kind}`).sort()).toEqual([
      'live/publishable',
      'live/secret',
      'test/publishable',
      'test/secret',
    ]);
  });
});
