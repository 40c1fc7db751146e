/**
 * Loads the code for what a reader does with a page (copy buttons, key tips, the sidebar
 * drawer) on their first pointer press, key, focus, or hover of a key in a sample, instead of
 * with the page: most of it is never needed before then. A click on one of its controls made
 * while that code is on its way is not lost: when it arrives, the control is clicked again,
 * so the first press of Copy still copies.
 */
const TRIGGERS = ['pointerdown', 'keydown', 'focusin', 'mouseover'];

export function onFirstInteraction(load: () => Promise<unknown>, replayable: string): void {
  const missed: Element[] = [];
  const record = (event: Event) => {
    const target = (event.target as Element).closest?.(replayable);
    if (target) missed.push(target);
  };
  const start = (event: Event) => {
    // A pointer merely passing over the page is not a use of it; over a key it is (its tip).
    if (event.type === 'mouseover' && !(event.target as Element).closest?.('.kw-key')) return;
    for (const type of TRIGGERS) removeEventListener(type, start, true);
    addEventListener('click', record, true);
    void load()
      .finally(() => {
        removeEventListener('click', record, true);
        for (const target of missed) target.dispatchEvent(new Event('click', { bubbles: true }));
      })
      // Offline: the page keeps working as it does without these scripts.
      .catch(() => undefined);
  };
  for (const type of TRIGGERS) addEventListener(type, start, { capture: true, passive: true });
}
