import { globalStatus, showCopyResult, writeClipboard } from './copy.ts';

/**
 * The "Page actions" menu by a docs page's title, a `<details>` that opens and works without
 * this script. This adds what a disclosure menu is expected to do: Escape closes it and puts
 * focus back on its toggle, a click elsewhere closes it, and "Copy page as Markdown" (hidden
 * until now, as it needs fetch and the clipboard) copies the page's `.md`.
 */
export function initPageActions(): void {
  const menu = document.querySelector<HTMLDetailsElement>('[data-kw-page-actions]');
  if (!menu) return;
  const toggle = menu.querySelector('summary');
  menu.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !menu.open) return;
    menu.open = false;
    toggle?.focus();
  });
  document.addEventListener('click', (event) => {
    if (menu.open && !menu.contains(event.target as Node)) menu.open = false;
  });
  const copy = menu.querySelector<HTMLButtonElement>('[data-kw-page-copy]');
  if (!copy) return;
  copy.closest('li')!.hidden = false;
  copy.addEventListener('click', () => void copyPage(copy));
}

/**
 * Fetches the page's Markdown as this reader (with their cookie, so their own keys are in it)
 * and copies it.
 */
async function copyPage(button: HTMLButtonElement): Promise<void> {
  const markdown = fetch(button.dataset.kwPageCopy!, {
    credentials: 'same-origin',
    headers: { accept: 'text/markdown' },
  }).then((response) => {
    if (!response.ok) throw new Error(`The page's Markdown answered ${response.status}.`);
    return response.text();
  });
  const copied = await writeClipboard(markdown).catch(() => false);
  showCopyResult(button, copied, globalStatus(), {
    label: 'Copy failed',
    status: 'Copy failed: use View as Markdown and copy the page from there',
  });
}
