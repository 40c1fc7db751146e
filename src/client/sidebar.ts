/**
 * The sidebar drawer on narrow screens: the header's menu button opens and closes it,
 * Escape and a click outside close it, and focus goes back to the button.
 */
export function initSidebar(): void {
  const button = document.querySelector<HTMLButtonElement>('[data-kw-sidebar-toggle]');
  const sidebar = document.getElementById('kw-sidebar');
  if (!button || !sidebar) return;
  button.hidden = false;

  const setOpen = (open: boolean, returnFocus = false) => {
    button.setAttribute('aria-expanded', String(open));
    sidebar.toggleAttribute('data-open', open);
    if (open) sidebar.querySelector<HTMLElement>('[aria-current="page"], a')?.focus();
    else if (returnFocus) button.focus();
  };

  button.addEventListener('click', () => setOpen(button.getAttribute('aria-expanded') !== 'true'));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && sidebar.hasAttribute('data-open')) setOpen(false, true);
  });
  document.addEventListener('click', (event) => {
    const target = event.target as Node;
    if (sidebar.hasAttribute('data-open') && !sidebar.contains(target) && !button.contains(target)) {
      setOpen(false);
    }
  });
}
