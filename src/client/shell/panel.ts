import { mountTerminal } from './terminal.ts';

const OPEN_KEY = 'kw-shell-open';
const HEIGHT_KEY = 'kw-shell-height';

/** Opens the docked shell: shows it, mounts the terminal once, focuses the prompt. */
export function openPanel(panel: HTMLElement): void {
  panel.hidden = false;
  document.documentElement.style.setProperty('--kw-shell-height', `${panel.offsetHeight}px`);
  sessionStorage.setItem(OPEN_KEY, 'yes');
  const host = panel.querySelector<HTMLElement>('[data-kw-terminal]')!;
  const input =
    host.querySelector<HTMLInputElement>('input') ??
    mountTerminal(host, panel.dataset.key!, panel.dataset.apiBase!);
  input.focus();
}

export function closePanel(panel: HTMLElement): void {
  panel.hidden = true;
  document.documentElement.style.removeProperty('--kw-shell-height');
  sessionStorage.removeItem(OPEN_KEY);
}

/** Wires the close button and the resize handle (pointer and arrow keys). */
export function wirePanel(panel: HTMLElement): void {
  const saved = Number(localStorage.getItem(HEIGHT_KEY));
  if (saved) panel.style.height = `${saved}px`;
  panel.querySelector('[data-kw-shell-close]')?.addEventListener('click', () => {
    closePanel(panel);
    document.querySelector<HTMLElement>('[data-kw-shell-toggle]')?.focus();
  });
  const handle = panel.querySelector<HTMLElement>('[data-kw-shell-resize]')!;
  const setHeight = (height: number) => {
    const clamped = Math.round(Math.max(120, Math.min(height, innerHeight - 80)));
    panel.style.height = `${clamped}px`;
    handle.setAttribute('aria-valuenow', String(clamped));
    document.documentElement.style.setProperty('--kw-shell-height', `${clamped}px`);
    localStorage.setItem(HEIGHT_KEY, String(clamped));
  };
  handle.addEventListener('pointerdown', (event) => {
    handle.setPointerCapture(event.pointerId);
    const move = (moved: PointerEvent) => setHeight(innerHeight - moved.clientY);
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', () => handle.removeEventListener('pointermove', move), {
      once: true,
    });
  });
  handle.addEventListener('keydown', (event) => {
    const step = event.key === 'ArrowUp' ? 24 : event.key === 'ArrowDown' ? -24 : 0;
    if (step) {
      event.preventDefault();
      setHeight(panel.offsetHeight + step);
    }
  });
  if (sessionStorage.getItem(OPEN_KEY) === 'yes') openPanel(panel);
}
