const LANGUAGE_COOKIE = 'kw_lang';
const LANGUAGE_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;
/** Tab ids that are languages: only these are remembered across pages (the server knows them). */
const LANGUAGES = new Set(['curl', 'cli', 'node', 'python', 'ruby', 'php', 'go', 'java', 'dotnet']);

/**
 * Language tabs, following the WAI-ARIA tabs pattern (roving tabindex; arrow keys, Home
 * and End move and select), and the select that replaces them on a phone. Choosing a
 * language in either selects it in every sample on the page, keeps the control the reader
 * used where it was on screen, and remembers a language in a cookie so the server renders
 * it on the next page.
 */
export function initSampleTabs(): void {
  document.addEventListener('click', (event) => {
    const tab = (event.target as Element).closest<HTMLElement>('.kw-sample [role="tab"]');
    if (tab) choose(tab.dataset.tab!, tab);
  });
  document.addEventListener('change', (event) => {
    const select = (event.target as Element).closest<HTMLSelectElement>('.kw-sample__select');
    if (select) choose(select.value, select);
  });
  document.addEventListener('keydown', (event) => {
    const tab = (event.target as Element).closest<HTMLElement>('.kw-sample [role="tab"]');
    if (!tab) return;
    const tabs = [...tab.parentElement!.querySelectorAll<HTMLElement>('[role="tab"]')];
    const index = tabs.indexOf(tab);
    const target = {
      ArrowRight: tabs[(index + 1) % tabs.length],
      ArrowLeft: tabs[(index - 1 + tabs.length) % tabs.length],
      Home: tabs[0],
      End: tabs[tabs.length - 1],
    }[event.key];
    if (!target) return;
    event.preventDefault();
    choose(target.dataset.tab!, target);
    target.focus();
  });
  // A page restored from the back/forward cache may show an older choice.
  addEventListener('pageshow', (event) => {
    const saved = readCookie(LANGUAGE_COOKIE);
    if (event.persisted && saved) selectEverywhere(saved);
  });
}

function choose(id: string, control: HTMLElement): void {
  const before = control.getBoundingClientRect().top;
  selectEverywhere(id);
  // Samples above may change height; keep the tab or select the reader used under their pointer.
  scrollBy(0, control.getBoundingClientRect().top - before);
  if (LANGUAGES.has(id)) {
    document.cookie = `${LANGUAGE_COOKIE}=${id}; Path=/; Max-Age=${LANGUAGE_COOKIE_MAX_AGE}; SameSite=Lax`;
    const url = new URL(location.href);
    if (url.searchParams.has('lang')) {
      url.searchParams.set('lang', id);
      history.replaceState(history.state, '', url);
    }
  }
}

function selectEverywhere(id: string): void {
  for (const sample of document.querySelectorAll<HTMLElement>('[data-kw-sample]')) {
    const tabs = sample.querySelectorAll<HTMLElement>('[role="tab"]');
    if (![...tabs].some((tab) => tab.dataset.tab === id)) continue;
    for (const tab of tabs) {
      const selected = tab.dataset.tab === id;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    const select = sample.querySelector<HTMLSelectElement>('.kw-sample__select');
    if (select) select.value = id;
    for (const panel of sample.querySelectorAll<HTMLElement>('.kw-sample__panel')) {
      panel.hidden = panel.dataset.tab !== id;
    }
  }
}

function readCookie(name: string): string | undefined {
  return document.cookie
    .split('; ')
    .find((pair) => pair.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}
