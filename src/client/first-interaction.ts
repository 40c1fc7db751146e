/**
 * Loads the code for what a reader does with a page (copy buttons, language tabs, key tips,
 * the page actions menu, the sidebar drawer) on their first pointer press, key, focus, or
 * hover of a key in a sample, instead of with the page: most of it is never needed before then.
 * A click or a choice in a select made while that code is on its way is not lost: when it
 * arrives, it is made again on the same control, so the first press of Copy still copies.
 */
const TRIGGERS = ['pointerdown', 'keydown', 'focusin', 'mouseover'] as const;
const REPLAYED = ['click', 'change'] as const;

export function onFirstInteraction(load: () => Promise<unknown>, replayable: string): void {
  let started = false;
  const missed: Array<{ type: string; target: Element }> = [];
  const record = (event: Event) => {
    const target = event.target instanceof Element ? event.target.closest(replayable) : null;
    if (target) missed.push({ type: event.type, target });
  };
  const start = (event: Event) => {
    // A pointer merely passing over the page is not a use of it; over a key it is (its tip).
    if (event.type === 'mouseover' && !(event.target instanceof Element && event.target.closest('.kw-key')))
      return;
    if (started) return;
    started = true;
    for (const type of TRIGGERS) removeEventListener(type, start, true);
    for (const type of REPLAYED) addEventListener(type, record, true);
    const replay = () => {
      for (const type of REPLAYED) removeEventListener(type, record, true);
      for (const { type, target } of missed.splice(0))
        target.dispatchEvent(
          type === 'click' ? new MouseEvent('click', { bubbles: true }) : new Event(type, { bubbles: true }),
        );
    };
    load().then(replay, () => {
      // Offline: the next interaction tries again.
      for (const type of REPLAYED) removeEventListener(type, record, true);
      missed.length = 0;
      started = false;
      for (const type of TRIGGERS) addEventListener(type, start, { capture: true, passive: true });
    });
  };
  for (const type of TRIGGERS) addEventListener(type, start, { capture: true, passive: true });
}
