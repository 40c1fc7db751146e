/**
 * Runs `load` once, when the first of `elements` comes within a screen of the viewport: code
 * for a block far down a page is not fetched with the page, and is there before the reader
 * scrolls to it.
 */
export function whenNear(elements: Iterable<Element>, load: () => void): void {
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      load();
    },
    { rootMargin: '100% 0px' },
  );
  for (const element of elements) observer.observe(element);
}
