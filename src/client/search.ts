/**
 * Search's entry point on every page: the header button, `/` (outside text fields) and
 * Ctrl+K or Cmd+K open the dialog. The search code and its index load on first open
 * (./search/dialog.ts), so pages that never search don't pay for them.
 */
export function initSearch(): void {
  const button = document.querySelector<HTMLButtonElement>('[data-kw-search-open]');
  const dialog = document.querySelector<HTMLDialogElement>('[data-kw-search]');
  if (!button || !dialog) return;
  button.hidden = false;
  if (/Mac|iP/.test(navigator.platform)) button.title = button.title.replace('Ctrl+K', '⌘K');
  const input = dialog.querySelector('input')!;
  // Where focus was before the dialog opened, to return to when it closes.
  let opener: Element | null = null;
  const open = () => {
    // Shown and focused at once, so nothing typed while the search code loads is lost.
    if (!dialog.open) {
      opener = document.activeElement;
      dialog.showModal();
    }
    input.focus();
    input.select();
    void import('./search/dialog.ts').then(({ openSearch }) => openSearch(dialog, opener));
  };
  button.addEventListener('click', open);
  addEventListener('keydown', (event) => {
    const commandK = event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey) && !event.altKey;
    const slash =
      event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTextField(event.target);
    if (commandK || (slash && !dialog.open)) {
      event.preventDefault();
      open();
    }
  });
}

function isTextField(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}
