/**
 * Keeping Tab inside an open panel (the docked shell, the phone drawer). Written here rather
 * than taken from a library such as focus-trap: the shell's prompt uses Tab itself, to
 * complete commands, and a trap that owns every Tab at the document would take that away.
 * Callers pass each keydown on their panel, after the prompt has had its turn.
 */

const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex]';

/** The elements inside `container` that Tab reaches: shown, enabled, in the tab order. */
export function tabbableIn(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) =>
      element.tabIndex >= 0 &&
      !element.matches(':disabled') &&
      element.getClientRects().length > 0 &&
      getComputedStyle(element).visibility !== 'hidden',
  );
}

/**
 * Moves focus to the next of `elements` on Tab (the previous on Shift+Tab), wrapping round
 * at either end and bringing focus from outside back in. The order is the list's, so
 * controls that sit apart in the page (the header's menu button and the drawer) can share
 * one cycle. A Tab someone else has handled (the prompt completing a command) is left alone.
 */
export function wrapTab(event: KeyboardEvent, elements: HTMLElement[]): void {
  if (event.key !== 'Tab' || event.defaultPrevented || elements.length === 0) return;
  const index = elements.indexOf(document.activeElement as HTMLElement);
  const step = event.shiftKey ? -1 : 1;
  const next = index < 0 ? (event.shiftKey ? elements.length - 1 : 0) : index + step;
  event.preventDefault();
  elements[(next + elements.length) % elements.length]!.focus();
}
