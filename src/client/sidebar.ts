import { tabbableIn, wrapTab } from './focus-trap.ts';

/**
 * The sidebar drawer on narrow screens: the header's menu button opens and closes it.
 * While it is open it covers the page, so Tab cycles through the button and the drawer's
 * links; Escape and a click outside close it, and Escape gives focus back to the button.
 */
export function initSidebar(): void {
  const button = document.querySelector<HTMLButtonElement>('[data-kw-sidebar-toggle]');
  const sidebar = document.getElementById('kw-sidebar');
  if (!button || !sidebar) return;
  button.hidden = false;

  // Only a drawer while the menu button shows; on a wide screen the sidebar is the page's.
  const isOpenDrawer = () => sidebar.hasAttribute('data-open') && button.getClientRects().length > 0;
  const setOpen = (open: boolean, returnFocus = false) => {
    button.setAttribute('aria-expanded', String(open));
    sidebar.toggleAttribute('data-open', open);
    const current = sidebar.querySelector<HTMLElement>('[aria-current="page"]') ?? sidebar.querySelector('a');
    if (open) current?.focus();
    else if (returnFocus) button.focus();
  };

  button.addEventListener('click', () => setOpen(button.getAttribute('aria-expanded') !== 'true'));
  document.addEventListener('keydown', (event) => {
    if (!isOpenDrawer()) return;
    if (event.key === 'Escape') setOpen(false, true);
    else wrapTab(event, [button, ...tabbableIn(sidebar)]);
  });
  document.addEventListener('click', (event) => {
    const target = event.target as Node;
    if (sidebar.hasAttribute('data-open') && !sidebar.contains(target) && !button.contains(target)) {
      setOpen(false);
    }
  });
}
