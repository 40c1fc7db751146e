/**
 * The "Page actions" menu by a docs page's title, a `<details>` that opens and works without
 * this script. This adds what a disclosure menu is expected to do: Escape closes it and puts
 * focus back on its toggle, a click elsewhere closes it, and "Copy page as Markdown" (hidden
 * until now, as it needs fetch and the clipboard) copies the page's `.md`. The menu's own
 * behaviour is here, loaded with the page; the copying comes with the code for the page's
 * other buttons (interactions.ts), which the press that opened the menu has set loading.
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
  copy.addEventListener(
    'click',
    () => void import('./interactions.ts').then(({ copyPage }) => copyPage(copy)),
  );
}
