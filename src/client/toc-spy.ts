/**
 * "On this page" follows the reader: the link to the section being read carries
 * aria-current="true" (styled in docs-layout.css). The section being read is the last one
 * whose heading has passed the reading line, a third of the way down the window.
 */
const READING_LINE = 0.3;

/** Marks the "On this page" link of the section in view, if the page has that list. */
export function initTocSpy(): void {
  const links = [...document.querySelectorAll<HTMLAnchorElement>('.kw-toc a[href^="#"]')];
  const sections = links.flatMap((link) => {
    const heading = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    return heading ? [{ link, heading }] : [];
  });
  if (sections.length === 0 || !('IntersectionObserver' in window)) return;

  let current: HTMLAnchorElement | undefined;
  const update = () => {
    const line = window.innerHeight * READING_LINE;
    const passed = sections.filter(({ heading }) => heading.getBoundingClientRect().top <= line);
    const next = passed.at(-1)?.link;
    if (next === current) return;
    current?.removeAttribute('aria-current');
    next?.setAttribute('aria-current', 'true');
    current = next;
  };
  // The observer watches the band above the reading line: a heading crossing either of its
  // edges is the only moment the answer can change, so nothing runs on every scroll event.
  const observer = new IntersectionObserver(update, {
    rootMargin: `0px 0px -${(1 - READING_LINE) * 100}% 0px`,
  });
  for (const { heading } of sections) observer.observe(heading);
}
