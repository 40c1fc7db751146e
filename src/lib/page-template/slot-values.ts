import { escapeHtml } from '../html.ts';
import type { Reader } from '../reader/reader.ts';
import { accountMenuHtml } from './account-menu.ts';
import { OBJECT_ID_PLACEHOLDERS } from './object-ids.ts';
import type { SlotValues } from './standins.ts';

const KEY_NOTES = {
  sample: 'Sample key: sign in to see your own test key',
  account: 'Your own test key: it works against this sandbox',
  member: 'Sample key: ask an account owner for a role that can see API keys',
} as const;

/**
 * The notice docs pages show a member whose role may not see keys, with the way to the
 * people who can change that; empty for everyone else.
 */
export function keyBannerHtml(reader: Reader): string {
  if (reader.keySource !== 'sample' || !reader.member) return '';
  const { accountName } = reader.member;
  return (
    `<p class="kw-key-banner" role="note">The samples show sample keys: your role in ` +
    `<strong>${escapeHtml(accountName)}</strong> cannot see API keys. ` +
    `Ask an account owner for a role that can see API keys. ` +
    `<a href="/dashboard/members#owners">See who the owners are</a>.</p>`
  );
}

/** The values that fill a cached page's slots for this reader. */
export function slotValues(reader: Reader, origin: URL, currentPath = '/'): SlotValues {
  const port = origin.port || (origin.protocol === 'https:' ? '443' : '80');
  return {
    secretKey: escapeHtml(reader.secretKey),
    publishableKey: escapeHtml(reader.publishableKey),
    apiBase: escapeHtml(origin.origin),
    apiHost: escapeHtml(origin.hostname),
    apiPort: port,
    apiProtocol: origin.protocol.slice(0, -1),
    keySource: reader.keySource,
    keyNote: KEY_NOTES[reader.keySource === 'sample' && reader.member ? 'member' : reader.keySource],
    keyBanner: keyBannerHtml(reader),
    accountMenu: accountMenuHtml(reader, currentPath),
    // Pages that name objects look the real ids up (see object-ids.ts).
    ...OBJECT_ID_PLACEHOLDERS,
  };
}
