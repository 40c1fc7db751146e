import { mountTerminal } from './shell-terminal.ts';
import { tabbableIn, wrapTab } from './focus-trap.ts';

const OPEN_KEY = 'kw-shell-open';
const HEIGHT_KEY = 'kw-shell-height';

/** Where focus was when the reader opened the shell, to give it back when they leave. */
let opener: HTMLElement | null = null;

/**
 * Opens the docked shell: shows it and mounts the terminal once. When the reader opened it
 * (`focus`), the prompt takes focus; a shell reopened on page load, because it was open on
 * the last page, leaves focus where a new page starts it.
 */
export function openPanel(panel: HTMLElement, { focus = true } = {}): void {
  panel.hidden = false;
  setExpanded(true);
  document.documentElement.style.setProperty('--kw-shell-height', `${panel.offsetHeight}px`);
  sessionStorage.setItem(OPEN_KEY, 'yes');
  const host = panel.querySelector<HTMLElement>('[data-kw-terminal]')!;
  const mounted = host.querySelector<HTMLInputElement>('input');
  const mount = (key: string) => {
    const input =
      host.querySelector<HTMLInputElement>('input') ??
      mountTerminal(host, key, panel.dataset.apiBase!, { keepOutput: true });
    if (focus && !panel.hidden) focusPrompt(panel, input);
  };
  if (mounted || panel.dataset.key) mount(panel.dataset.key!);
  else void fetchKey().then(mount);
}

/**
 * A page rendered for one reader carries no key (see page-slots.ts); the shell asks for the
 * reader's own when it first opens there. A failed fetch mounts the shell keyless, and the
 * sandbox's 401 then says what is missing.
 */
async function fetchKey(): Promise<string> {
  const response = await fetch('/api/shell-key', { credentials: 'same-origin' }).catch(() => null);
  const body = response?.ok ? ((await response.json()) as { key?: string }) : {};
  return body.key ?? '';
}

/** Moves focus into an open shell's prompt, remembering where it came from. */
export function focusPrompt(
  panel: HTMLElement,
  input = panel.querySelector<HTMLInputElement>('input'),
): void {
  const active = document.activeElement as HTMLElement | null;
  if (active && active !== document.body && !panel.contains(active)) opener = active;
  // The prompt is docked in view; the page behind it stays where the reader left it.
  input?.focus({ preventScroll: true });
}

/** Closes the shell; focus that was inside it goes back to where the reader came from. */
export function closePanel(panel: HTMLElement): void {
  const hadFocus = panel.contains(document.activeElement);
  panel.hidden = true;
  setExpanded(false);
  document.documentElement.style.removeProperty('--kw-shell-height');
  sessionStorage.removeItem(OPEN_KEY);
  if (hadFocus) releaseFocus();
}

function setExpanded(open: boolean): void {
  document.querySelector('[data-kw-shell-toggle]')?.setAttribute('aria-expanded', String(open));
}

/** Focus back to the opener, or to the header's Shell button when there is none left. */
function releaseFocus(): void {
  const target = opener?.isConnected ? opener : document.querySelector<HTMLElement>('[data-kw-shell-toggle]');
  opener = null;
  // The opener may have scrolled out of view while the reader used the shell: focus goes
  // back to it without taking the reader away from what they were reading.
  target?.focus({ preventScroll: true });
}

/** Wires the close button and the resize handle (pointer and arrow keys). */
export function wirePanel(panel: HTMLElement): void {
  const saved = Number(localStorage.getItem(HEIGHT_KEY));
  if (saved) panel.style.height = `${saved}px`;
  panel.querySelector('[data-kw-shell-close]')?.addEventListener('click', () => closePanel(panel));
  // While focus is in the shell, Tab cycles through it; Escape leaves it open and returns
  // focus to the page, so a reader can read on with the shell beside them.
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      releaseFocus();
    } else {
      wrapTab(event, tabbableIn(panel));
    }
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
  if (sessionStorage.getItem(OPEN_KEY) === 'yes') openPanel(panel, { focus: false });
}
