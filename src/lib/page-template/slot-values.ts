import { escapeHtml } from '../html.ts';
import { listenSigningSecret } from '../webhooks/secrets.ts';
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
 * people who can change that; once, after an anonymous reader signs up or in, that the
 * samples now hold their own keys (a dialog with no script: its form closes it); empty
 * for everyone else.
 */
export function keyBannerHtml(reader: Reader, keysSwitched = false): string {
  if (keysSwitched && reader.keySource === 'account') {
    return (
      `<dialog open class="kw-key-banner kw-key-banner--switched" aria-labelledby="kw-keys-switched">` +
      `<p id="kw-keys-switched">The samples on these pages now use your own test keys, not the sample keys ` +
      `of your visit. <a href="/dashboard/apikeys">See your API keys</a>.</p>` +
      `<form method="dialog"><button class="kw-button kw-button--small">Dismiss</button></form></dialog>`
    );
  }
  if (reader.keySource !== 'sample' || !reader.member) return '';
  const { accountName } = reader.member;
  return (
    `<p class="kw-key-banner" role="note">The samples show sample keys: your role in ` +
    `<strong>${escapeHtml(accountName)}</strong> cannot see API keys. ` +
    `Ask an account owner for a role that can see API keys. ` +
    `<a href="/dashboard/members#owners">See who the owners are</a>.</p>`
  );
}

const KEY_INTROS = {
  sample:
    '<p>You aren\u2019t signed in, so the samples on this site show a pair of sample keys made for your visit. ' +
    'They work against the sandbox, so you can follow every step right away. ' +
    '<a href="/login">Sign in</a> or <a href="/signup">create an account</a> and the same samples show your own keys instead.</p>',
  account:
    '<p>You are signed in, so the samples on this site show your own test keys. ' +
    'Your <a href="/dashboard/apikeys">API keys</a> page lists them, and what you create with them stays in your account.</p>',
  member:
    '<p>Your role cannot see API keys, so the samples on this site show a pair of sample keys made for your visit. ' +
    'They work against the sandbox, so you can follow every step right away.</p>',
} as const;

/**
 * The values that fill a cached page's slots for this reader. `siteSecret` is the site's own
 * secret (sampleKeySecret), from which the reader's `keyway listen` signing secret is derived,
 * so the page shows the very secret the CLI will print for the same key.
 */
export function slotValues(
  reader: Reader,
  origin: URL,
  siteSecret: Buffer,
  currentPath = '/',
  keysSwitched = false,
): SlotValues {
  const port = origin.port || (origin.protocol === 'https:' ? '443' : '80');
  const values = {
    secretKey: escapeHtml(reader.secretKey),
    publishableKey: escapeHtml(reader.publishableKey),
    webhookSecret: '',
    apiBase: escapeHtml(origin.origin),
    apiHost: escapeHtml(origin.hostname),
    apiPort: port,
    apiProtocol: origin.protocol.slice(0, -1),
    keySource: reader.keySource,
    keyNote: KEY_NOTES[reader.keySource === 'sample' && reader.member ? 'member' : reader.keySource],
    keyBanner: keyBannerHtml(reader, keysSwitched),
    keyIntro: KEY_INTROS[reader.keySource === 'sample' && reader.member ? 'member' : reader.keySource],
    accountMenu: accountMenuHtml(reader, currentPath),
    // Pages that name objects look the real ids up (see object-ids.ts).
    ...OBJECT_ID_PLACEHOLDERS,
  };
  // An HMAC, and only the webhooks guide shows it: worked out when a page first asks for it,
  // not on every page of every request.
  let webhookSecret: string | undefined;
  return Object.defineProperty(values, 'webhookSecret', {
    enumerable: true,
    get: () => (webhookSecret ??= escapeHtml(listenSigningSecret(siteSecret, reader.secretKey))),
  });
}
