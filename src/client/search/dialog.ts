import {
  SEARCH_INDEX_PATH,
  createSearch,
  type DocsSearch,
  type SearchHit,
  type SearchIndexFile,
} from '../../isomorphic/search/engine.ts';
import { excerpt, highlight, type TextPart } from '../../isomorphic/search/excerpt.ts';

/**
 * The search dialog, loaded on first open. A modal <dialog> keeps the page inert and
 * focus inside while it is open; the input is a combobox whose arrow keys move through
 * the results (aria-activedescendant) while typing goes on, Enter opens the chosen one.
 */

let loading: Promise<DocsSearch> | undefined;

/** Fetches the index once; a failed fetch is tried again on the next search. */
function loadSearch(): Promise<DocsSearch> {
  loading ??= fetch(SEARCH_INDEX_PATH)
    .then((response) => {
      if (!response.ok) throw new Error(`The search index answered ${response.status}.`);
      return response.json() as Promise<SearchIndexFile>;
    })
    .then((file) => createSearch(file.sections));
  loading.catch(() => (loading = undefined));
  return loading;
}

let runDialog: ((opener: Element | null) => void) | undefined;

/**
 * Runs the search in a dialog that src/client/search.ts has just opened and focused;
 * `opener` gets focus back when it closes.
 */
export function openSearch(dialog: HTMLDialogElement, opener: Element | null): void {
  runDialog ??= wireDialog(dialog);
  runDialog(opener);
}

function wireDialog(dialog: HTMLDialogElement): (opener: Element | null) => void {
  const input = dialog.querySelector<HTMLInputElement>('input')!;
  const list = dialog.querySelector<HTMLElement>('[role="listbox"]')!;
  const status = dialog.querySelector<HTMLElement>('[role="status"]')!;
  // Shown while there are no results, so an empty search still leads somewhere.
  const popular = dialog.querySelector<HTMLElement>('[data-kw-search-popular]')!;
  let options: HTMLAnchorElement[] = [];
  let active = -1;
  let returnTo: Element | null = null;

  const choose = (index: number, scroll: boolean) => {
    options[active]?.setAttribute('aria-selected', 'false');
    active = index;
    const option = options[index];
    if (!option) return input.removeAttribute('aria-activedescendant');
    option.setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', option.id);
    if (scroll) option.scrollIntoView({ block: 'nearest' });
  };

  const show = (hits: SearchHit[], message: string) => {
    options = hits.map(resultOption);
    list.replaceChildren(...options);
    list.hidden = options.length === 0;
    popular.hidden = options.length > 0;
    input.setAttribute('aria-expanded', String(options.length > 0));
    status.textContent = message;
    active = -1;
    choose(0, true);
  };

  const update = async () => {
    const query = input.value.trim();
    if (!query) return show([], 'Type a word or two, such as “restricted key” or “401”.');
    let search: DocsSearch;
    try {
      search = await loadSearch();
    } catch {
      return show([], 'Search could not load. Check your connection, then type again.');
    }
    // Typing went on while the index loaded: the newer query's own update shows it.
    if (input.value.trim() !== query) return;
    const hits = search(query);
    show(
      hits,
      hits.length === 0
        ? `No results for “${query}”. Check the spelling, or try fewer or other words.`
        : `${hits.length === 1 ? '1 result' : `${hits.length} results`} for “${query}”`,
    );
  };

  const go = (option: HTMLAnchorElement) => {
    dialog.close();
    location.assign(option.href);
  };

  input.addEventListener('input', () => void update());
  input.addEventListener('keydown', (event) => {
    const count = options.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (count) choose((active + (event.key === 'ArrowDown' ? 1 : count - 1)) % count, true);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const option = options[active];
      if (option) go(option);
    } else if (event.key === 'Escape') {
      // Handled here so that Escape closes at once instead of first clearing the field.
      event.preventDefault();
      dialog.close();
    }
  });
  list.addEventListener('pointermove', (event) => {
    const option = (event.target as Element).closest('a');
    const index = option ? options.indexOf(option) : -1;
    if (index >= 0 && index !== active) choose(index, false);
  });
  list.addEventListener('click', (event) => {
    // A link to this page's own section only scrolls, so the dialog must close itself.
    if (
      !event.defaultPrevented &&
      event.button === 0 &&
      !event.ctrlKey &&
      !event.metaKey &&
      !event.shiftKey
    ) {
      dialog.close();
    }
  });
  dialog.querySelector('[data-kw-search-close]')!.addEventListener('click', () => dialog.close());
  // A click on the backdrop lands on the dialog element, outside its box.
  dialog.addEventListener('click', (event) => {
    const box = dialog.getBoundingClientRect();
    const inside =
      event.clientX >= box.left &&
      event.clientX <= box.right &&
      event.clientY >= box.top &&
      event.clientY <= box.bottom;
    if (event.target === dialog && !inside) dialog.close();
  });
  dialog.addEventListener('keydown', (event) => trapTab(dialog, event));
  dialog.addEventListener('close', () => {
    if (returnTo instanceof HTMLElement) returnTo.focus();
    returnTo = null;
  });

  return (opener) => {
    returnTo = opener;
    // Fetched now, so the first word typed finds results at once.
    void loadSearch();
    // Shows results for whatever was typed before this module arrived, or the last query.
    void update();
  };
}

/**
 * Keeps Tab inside the dialog (the input, Close, the popular pages while they show): a modal
 * dialog makes the page inert, but Tab past its last control would otherwise leave for the
 * browser's own toolbar. Results are chosen with the arrows, so they are not Tab stops.
 */
function trapTab(dialog: HTMLDialogElement, event: KeyboardEvent): void {
  if (event.key !== 'Tab') return;
  const stops = [
    ...dialog.querySelectorAll<HTMLElement>('input, button, a[href]:not([tabindex="-1"])'),
  ].filter((stop) => stop.getClientRects().length > 0);
  const first = stops[0]!;
  const last = stops[stops.length - 1]!;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

let optionCount = 0;

/** One result: page title, section heading and an excerpt, with the matched words marked. */
function resultOption({ section, terms }: SearchHit): HTMLAnchorElement {
  const option = document.createElement('a');
  option.href = section.url;
  option.id = `kw-search-option-${optionCount++}`;
  option.className = 'kw-search__hit';
  option.tabIndex = -1;
  option.setAttribute('role', 'option');
  option.setAttribute('aria-selected', 'false');
  // A page's introduction is named by its title alone; a section by title and heading.
  if (section.url.includes('#'))
    option.append(span('kw-search__page', [{ text: section.page, marked: false }]));
  option.append(span('kw-search__section', highlight(section.heading, terms)));
  if (section.text) option.append(span('kw-search__excerpt', excerpt(section.text, terms)));
  return option;
}

function span(className: string, parts: TextPart[]): HTMLSpanElement {
  const element = document.createElement('span');
  element.className = className;
  element.append(
    ...parts.map((part) => {
      if (!part.marked) return part.text;
      const mark = document.createElement('mark');
      mark.textContent = part.text;
      return mark;
    }),
  );
  return element;
}
