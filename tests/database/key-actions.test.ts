import { beforeAll, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { signUp } from '../../src/lib/auth/accounts.ts';
import { handleKeyAction, MAX_KEY_NAME_LENGTH } from '../../src/lib/dashboard/key-actions.ts';
import type { Database, KeyMode } from '../../src/lib/db/schema.ts';
import { authenticateKey, listKeys } from '../../src/lib/keys/api-keys.ts';
import { describeEachDatabase, useScratchDatabase } from '../support/databases.ts';

/**
 * The API keys page's form actions, called as the page calls them. Every refusal is checked
 * to have changed nothing: the account's keys in both modes are the same before and after.
 */
describeEachDatabase('API key form actions on $name', (kind) => {
  const database = useScratchDatabase(kind);
  let db: Kysely<Database>;
  beforeAll(() => {
    db = database();
  });

  let people = 0;
  async function newAccount(): Promise<string> {
    const result = await signUp(db, {
      email: `key-actions${++people}.${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    if (!result.ok) throw new Error('sign-up failed');
    return result.accountId;
  }
  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.set(name, value);
    return data;
  };
  const keysOf = async (accountId: string) => ({
    test: await listKeys(db, accountId, 'test'),
    live: await listKeys(db, accountId, 'live'),
  });
  const keyId = async (accountId: string, mode: KeyMode, kind: 'secret' | 'publishable') =>
    (await listKeys(db, accountId, mode)).find((key) => key.kind === kind)!.id;
  async function expectRefused(
    accountId: string,
    mode: KeyMode,
    fields: Record<string, string>,
    message: RegExp,
  ) {
    const before = await keysOf(accountId);
    const result = await handleKeyAction(db, accountId, mode, form(fields));
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(message);
    expect(await keysOf(accountId), 'a refused action changed nothing').toEqual(before);
    return result;
  }

  it('creates a restricted key with its name and permissions, shown once', async () => {
    const accountId = await newAccount();
    const result = await handleKeyAction(
      db,
      accountId,
      'test',
      form({
        intent: 'create-restricted',
        name: '  billing worker  ',
        permission_customers: 'write',
        permission_events: 'read',
      }),
    );
    expect(result).toMatchObject({ ok: true, message: 'Restricted key "billing worker" created.' });
    if (!result.ok || !result.newKey) throw new Error('no key');
    expect(result.newKey).toMatchObject({ mode: 'test', kind: 'restricted', shownOnce: true });
    expect(result.newKey.plaintext).toMatch(/^rk_test_/);
    const listed = (await listKeys(db, accountId, 'test')).find((key) => key.id === result.newKey!.id);
    expect(listed).toMatchObject({
      name: 'billing worker',
      permissions: { customers: 'write', events: 'read' },
    });
    expect(await authenticateKey(db, result.newKey.plaintext)).toMatchObject({ key: { kind: 'restricted' } });
  });

  it('gives webhook endpoints the access the form sends, and None when a form from before them sends none', async () => {
    const accountId = await newAccount();
    const withRow = await handleKeyAction(
      db,
      accountId,
      'test',
      form({
        intent: 'create-restricted',
        name: 'webhook admin',
        permission_customers: 'none',
        permission_events: 'none',
        permission_webhook_endpoints: 'write',
      }),
    );
    const withoutRow = await handleKeyAction(
      db,
      accountId,
      'test',
      form({
        intent: 'create-restricted',
        name: 'old page',
        permission_customers: 'read',
        permission_events: 'read',
      }),
    );
    if (!withRow.ok || !withoutRow.ok) throw new Error('a key was not created');
    const listed = await listKeys(db, accountId, 'test');
    expect(listed.find((key) => key.id === withRow.newKey!.id)?.permissions).toEqual({
      customers: 'none',
      events: 'none',
      webhook_endpoints: 'write',
    });
    expect(listed.find((key) => key.id === withoutRow.newKey!.id)?.permissions).toEqual({
      customers: 'read',
      events: 'read',
      webhook_endpoints: 'none',
    });
  });

  it('refuses a restricted key without a name, with too long a name, or without a valid permission', async () => {
    const accountId = await newAccount();
    const valid = { intent: 'create-restricted', permission_customers: 'read', permission_events: 'none' };
    const noName = await expectRefused(accountId, 'test', { ...valid, name: '   ' }, /not created/);
    expect(noName).toMatchObject({ fieldErrors: { name: expect.stringMatching(/Give the key a name/) } });
    const long = await expectRefused(
      accountId,
      'test',
      { ...valid, name: 'x'.repeat(MAX_KEY_NAME_LENGTH + 1) },
      /not created/,
    );
    expect(long).toMatchObject({ fieldErrors: { name: 'Use at most 80 characters.' } });
    const badPermissions: Record<string, string>[] = [
      { permission_customers: 'admin', permission_events: 'read' },
      { permission_customers: 'read', permission_events: '' },
      { permission_customers: 'read', permission_webhook_endpoints: 'all' },
    ];
    for (const bad of badPermissions) {
      const result = await expectRefused(accountId, 'test', { ...valid, ...bad, name: 'x' }, /not created/);
      expect(result).toMatchObject({
        fieldErrors: { permissions: 'Choose None, Read or Write for each resource.' },
      });
    }
    const none = await expectRefused(
      accountId,
      'test',
      { ...valid, permission_customers: 'none', name: 'nothing' },
      /not created/,
    );
    expect(none).toMatchObject({
      fieldErrors: { permissions: expect.stringMatching(/at least one resource/) },
    });
    // Exactly the longest name is fine.
    const longest = await handleKeyAction(
      db,
      accountId,
      'test',
      form({ ...valid, name: 'x'.repeat(MAX_KEY_NAME_LENGTH) }),
    );
    expect(longest.ok).toBe(true);
  });

  it.each([
    ['now', 'Key rolled. The old key has stopped working.'],
    ['1h', 'Key rolled. The old key works for 1 more hour.'],
    ['24h', 'Key rolled. The old key works for 24 more hours.'],
    ['7d', 'Key rolled. The old key works for 7 more days.'],
  ])('rolls a key with window %s and says what happens to the old one', async (expires, message) => {
    const accountId = await newAccount();
    const id = await keyId(accountId, 'test', 'secret');
    const result = await handleKeyAction(
      db,
      accountId,
      'test',
      form({ intent: 'roll', key_id: id, expires, confirm: 'now' }),
    );
    expect(result).toMatchObject({ ok: true, message });
    if (!result.ok || !result.newKey) throw new Error('no key');
    // A test secret key can be shown again; a live secret cannot.
    expect(result.newKey.shownOnce).toBe(false);
    expect(await keyId(accountId, 'test', 'secret')).toBe(expires === 'now' ? result.newKey.id : id);
  });

  it('shows a rolled live secret key only once', async () => {
    const accountId = await newAccount();
    const id = await keyId(accountId, 'live', 'secret');
    const result = await handleKeyAction(
      db,
      accountId,
      'live',
      form({ intent: 'roll', key_id: id, expires: 'now', confirm: 'now' }),
    );
    expect(result).toMatchObject({ ok: true, newKey: { shownOnce: true, mode: 'live' } });
  });

  it('asks to confirm a roll that stops the old key now, naming that key, and rolls nothing until then', async () => {
    const accountId = await newAccount();
    const id = await keyId(accountId, 'test', 'secret');
    const before = await db.selectFrom('api_keys').selectAll().where('account_id', '=', accountId).execute();
    const { last_four: lastFour } = before.find((row) => row.id === id)!;
    for (const confirm of [undefined, '', 'yes']) {
      const asked = await handleKeyAction(
        db,
        accountId,
        'test',
        form({ intent: 'roll', key_id: id, expires: 'now', ...(confirm === undefined ? {} : { confirm }) }),
      );
      expect(asked).toEqual({
        ok: false,
        message: `Roll now? sk_test_…${lastFour} stops working at once: every request that uses it is refused.`,
        confirmRoll: { keyId: id, masked: `sk_test_…${lastFour}` },
      });
    }
    // Nothing was rolled: the same rows, the old key still unexpired.
    expect(await db.selectFrom('api_keys').selectAll().where('account_id', '=', accountId).execute()).toEqual(
      before,
    );
    const confirmed = await handleKeyAction(
      db,
      accountId,
      'test',
      form({ intent: 'roll', key_id: id, expires: 'now', confirm: 'now' }),
    );
    expect(confirmed).toMatchObject({ ok: true, message: 'Key rolled. The old key has stopped working.' });
  });

  it("refuses a roll without a window, of the other mode's key, of another account's key, or of a rolled key", async () => {
    const accountId = await newAccount();
    const stranger = await newAccount();
    const testKey = await keyId(accountId, 'test', 'secret');
    const liveKey = await keyId(accountId, 'live', 'secret');
    await expectRefused(accountId, 'test', { intent: 'roll', key_id: testKey, expires: '2d' }, /Choose when/);
    await expectRefused(accountId, 'test', { intent: 'roll', key_id: testKey }, /Choose when/);
    await expectRefused(
      accountId,
      'test',
      { intent: 'roll', key_id: liveKey, expires: 'now' },
      /not one of this account's test keys/,
    );
    await expectRefused(accountId, 'live', { intent: 'roll', key_id: testKey, expires: 'now' }, /live keys/);
    await expectRefused(
      stranger,
      'test',
      { intent: 'roll', key_id: testKey, expires: 'now' },
      /no longer exists/,
    );
    await handleKeyAction(db, accountId, 'test', form({ intent: 'roll', key_id: testKey, expires: '1h' }));
    await expectRefused(
      accountId,
      'test',
      { intent: 'roll', key_id: testKey, expires: 'now' },
      /already rolled/,
    );
  });

  it('deletes a restricted key of its own mode only, never a standard key', async () => {
    const accountId = await newAccount();
    const created = await handleKeyAction(
      db,
      accountId,
      'test',
      form({
        intent: 'create-restricted',
        name: 'doomed',
        permission_customers: 'read',
        permission_events: 'none',
      }),
    );
    if (!created.ok || !created.newKey) throw new Error('no key');
    const restricted = created.newKey.id;
    await expectRefused(accountId, 'live', { intent: 'delete', key_id: restricted }, /live keys/);
    await expectRefused(
      accountId,
      'test',
      { intent: 'delete', key_id: await keyId(accountId, 'test', 'secret') },
      /no longer exists/,
    );
    const deleted = await handleKeyAction(
      db,
      accountId,
      'test',
      form({ intent: 'delete', key_id: restricted }),
    );
    expect(deleted).toEqual({ ok: true, message: 'Restricted key deleted. It no longer works.' });
    expect(await authenticateKey(db, created.newKey.plaintext)).toEqual({ rejected: 'unknown' });
    await expectRefused(accountId, 'test', { intent: 'delete', key_id: restricted }, /no longer exists/);
  });

  it('refuses an intent it does not know', async () => {
    const accountId = await newAccount();
    await expectRefused(accountId, 'test', { intent: 'promote' }, /not one this page knows/);
  });
});
