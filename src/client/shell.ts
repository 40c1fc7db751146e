import { whenNear } from './when-near.ts';

/**
 * The shell's entry point on every page: a header button and Ctrl+` open the docked panel;
 * inline `<Shell>` blocks mount as they near the viewport. The terminal code itself is
 * loaded on first use, keeping it out of pages that never open a shell.
 */
export function initShell(): void {
  const panel = document.querySelector<HTMLElement>('[data-kw-shell-panel]');
  const toggle = document.querySelector<HTMLButtonElement>('[data-kw-shell-toggle]');
  const load = () => import('./shell-panel.ts');
  if (panel && toggle) {
    toggle.hidden = false;
    const wired = async () => {
      const controls = await load();
      if (!panel.dataset.wired) {
        panel.dataset.wired = 'yes';
        controls.wirePanel(panel);
      }
      return controls;
    };
    toggle.addEventListener('click', async () => {
      const { openPanel, closePanel } = await wired();
      if (panel.hidden) openPanel(panel);
      else closePanel(panel);
    });
    // The shortcut opens the shell, brings focus back to an open one, or closes it from inside.
    addEventListener('keydown', async (event) => {
      if (event.key !== '`' || !event.ctrlKey) return;
      event.preventDefault();
      const { openPanel, closePanel, focusPrompt } = await wired();
      if (panel.hidden) openPanel(panel);
      else if (!panel.contains(document.activeElement)) focusPrompt(panel);
      else closePanel(panel);
    });
    if (sessionStorage.getItem('kw-shell-open') === 'yes') void wired();
  }
  // An inline shell's terminal (most of the shell's code) mounts as it nears the viewport, not
  // with the page: a page whose shell sits further down loads it only if the reader gets there.
  const mount = (inline: HTMLElement) =>
    void import('./shell-terminal.ts').then(({ mountTerminal }) =>
      mountTerminal(inline, inline.dataset.key!, inline.dataset.apiBase!, {
        initial: inline.dataset.command ?? '',
      }),
    );
  for (const inline of document.querySelectorAll<HTMLElement>('[data-kw-terminal-inline]'))
    whenNear([inline], () => mount(inline));
}
