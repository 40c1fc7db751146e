/**
 * The shell's entry point on every page: a header button and Ctrl+` open the docked panel;
 * inline `<Shell>` blocks mount when they scroll into view. The terminal code itself is
 * loaded on first use, keeping it out of pages that never open a shell.
 */
export function initShell(): void {
  const panel = document.querySelector<HTMLElement>('[data-kw-shell-panel]');
  const toggle = document.querySelector<HTMLButtonElement>('[data-kw-shell-toggle]');
  const load = () => import('./shell/panel.ts');
  if (panel && toggle) {
    toggle.hidden = false;
    const flip = async () => {
      const { openPanel, closePanel, wirePanel } = await load();
      if (!panel.dataset.wired) {
        panel.dataset.wired = 'yes';
        wirePanel(panel);
      }
      if (panel.hidden) openPanel(panel);
      else closePanel(panel);
      toggle.setAttribute('aria-expanded', String(!panel.hidden));
    };
    toggle.addEventListener('click', () => void flip());
    addEventListener('keydown', (event) => {
      if (event.key === '`' && event.ctrlKey) {
        event.preventDefault();
        void flip();
      }
    });
    if (sessionStorage.getItem('kw-shell-open') === 'yes') {
      void load().then(({ wirePanel }) => {
        panel.dataset.wired = 'yes';
        wirePanel(panel);
        toggle.setAttribute('aria-expanded', String(!panel.hidden));
      });
    }
  }
  for (const inline of document.querySelectorAll<HTMLElement>('[data-kw-terminal-inline]')) {
    void import('./shell/terminal.ts').then(({ mountTerminal }) =>
      mountTerminal(inline, inline.dataset.key!, inline.dataset.apiBase!, inline.dataset.command ?? ''),
    );
  }
}
