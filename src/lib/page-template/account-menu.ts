import { escapeHtml } from '../html.ts';
import { ROLE_LABELS } from '../teams/roles.ts';
import type { SessionMember, Reader } from '../reader/reader.ts';

/**
 * The header's account links, filled into every page per reader (pages are cached as
 * templates, so the header cannot know who is reading). Sign-out and switching accounts
 * are form posts, so they work without scripts and a link elsewhere cannot trigger them.
 */
export function accountMenuHtml(reader: Reader, currentPath: string): string {
  const { member } = reader;
  if (member) {
    return (
      accountPickerHtml(member, currentPath) +
      `<a class="kw-header__link" href="/dashboard">Dashboard</a>` +
      `<form class="kw-header__signout" method="post" action="/logout">` +
      `<button type="submit" class="kw-button kw-button--small kw-button--quiet">Sign out</button></form>`
    );
  }
  const next =
    currentPath.startsWith('/docs') || currentPath === '/' ? `?next=${encodeURIComponent(currentPath)}` : '';
  return (
    `<a class="kw-header__link" href="/login${escapeHtml(next)}">Sign in</a>` +
    `<a class="kw-button kw-button--small" href="/signup${escapeHtml(next)}">Sign up</a>`
  );
}

/**
 * The account menu: a disclosure naming the account in use, that opens on who is signed in
 * (their email) apart from that account and their role in it, so an account named after a
 * person is never mistaken for the signed-in user. For members of several accounts it lists
 * them, each a submit button that makes it the account whose keys every sample, try-it
 * widget and shell uses; the choice is kept in the session and for the next sign-in.
 */
function accountPickerHtml(member: SessionMember, currentPath: string): string {
  const identity =
    `<div class="kw-picker__identity">` +
    `<p class="kw-picker__title">Signed in as</p>` +
    `<p class="kw-picker__email" data-kw-user-email>${escapeHtml(member.email)}</p>` +
    `<p class="kw-picker__account"><span data-kw-account-name>${escapeHtml(member.accountName)}</span>` +
    ` · <span data-kw-role>${ROLE_LABELS[member.role]}</span></p></div>`;
  // On a phone the header has no room for Dashboard and Sign out beside the menu, so they
  // move into it there (CSS shows one pair or the other, never both).
  return (
    `<details class="kw-picker" data-kw-picker>` +
    `<summary class="kw-picker__current"><span class="kw-visually-hidden">Account: </span>` +
    `<span class="kw-picker__label">${escapeHtml(member.accountName)}</span></summary>` +
    `<div class="kw-picker__menu">` +
    identity +
    accountListHtml(member, currentPath) +
    `<div class="kw-picker__more">` +
    `<a class="kw-picker__link" href="/dashboard">Dashboard</a>` +
    `<form method="post" action="/logout">` +
    `<button type="submit" class="kw-picker__link">Sign out</button></form></div>` +
    `</div></details>`
  );
}

/** The switch between accounts, for members of more than one. */
function accountListHtml(member: SessionMember, currentPath: string): string {
  if (member.accounts.length < 2) return '';
  const options = member.accounts
    .map((account) => {
      const current = account.id === member.accountId;
      return (
        `<li><button type="submit" name="account" value="${escapeHtml(account.id)}"` +
        `${current ? ' aria-current="true"' : ''} class="kw-picker__option">` +
        `<span class="kw-picker__name">${escapeHtml(account.name)}</span>` +
        `<span class="kw-picker__role">${ROLE_LABELS[account.role]}</span></button></li>`
      );
    })
    .join('');
  return (
    `<form class="kw-picker__accounts" method="post" action="/account/switch">` +
    `<input type="hidden" name="next" value="${escapeHtml(currentPath)}" />` +
    `<p class="kw-picker__title" id="kw-picker-title">Use keys from</p>` +
    `<ul aria-labelledby="kw-picker-title">${options}</ul></form>`
  );
}
