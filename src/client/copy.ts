const COPIED_FOR_MS = 2000;

/**
 * Copy buttons: a sample's button copies the visible panel's code exactly as shown (keys
 * included, nothing added); a `data-kw-copy-from` button copies the text of the element
 * it names (a key on the dashboard). Either then says "Copied" on the button and to screen
 * readers. Without the Clipboard API (an insecure origin, an old browser) a hidden
 * textarea and execCommand do the work.
 */
export function initCopyButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-kw-copy], [data-kw-copy-from]')) {
    button.hidden = false;
    button.addEventListener('click', () => copyFor(button));
  }
}

async function copyFor(button: HTMLButtonElement): Promise<void> {
  const sample = button.closest<HTMLElement>('[data-kw-sample]');
  const source = button.dataset.kwCopyFrom
    ? document.querySelector<HTMLElement>(button.dataset.kwCopyFrom)
    : (sample?.querySelector<HTMLElement>('.kw-sample__panel:not([hidden]) code') ?? null);
  const panel = source?.closest<HTMLElement>('.kw-sample__panel') ?? source;
  const status = sample?.querySelector<HTMLElement>('[data-kw-copy-status]') ?? globalStatus();
  const copied = await writeClipboard(source?.textContent ?? '');
  showCopyResult(button, copied, status, {
    label: 'Press Ctrl+C',
    status: 'Copy failed: select the code and copy it',
  });
  if (!copied && panel) selectContents(panel);
}

/**
 * Says how a copy went: "Copied" (or what to do instead) on the button and in a live region
 * for screen readers, then puts the button's own label back.
 */
export function showCopyResult(
  button: HTMLButtonElement,
  copied: boolean,
  status: HTMLElement | null,
  failure: { label: string; status: string },
): void {
  button.dataset.label ??= button.textContent?.trim() ?? '';
  button.textContent = copied ? 'Copied' : failure.label;
  button.dataset.state = copied ? 'copied' : 'failed';
  if (status) status.textContent = copied ? 'Copied to clipboard' : failure.status;
  clearTimeout(Number(button.dataset.timer));
  button.dataset.timer = String(
    setTimeout(() => {
      button.textContent = button.dataset.label ?? '';
      delete button.dataset.state;
      if (status) status.textContent = '';
    }, COPIED_FOR_MS),
  );
}

/**
 * Puts text on the clipboard. Text still on its way (a fetch) goes in as a promise that a
 * `ClipboardItem` waits for: Safari only lets the click itself write the clipboard, not code
 * that runs after an await. Rejects only if that text never comes.
 */
export async function writeClipboard(text: string | Promise<string>): Promise<boolean> {
  if (typeof text !== 'string' && typeof ClipboardItem !== 'undefined' && navigator.clipboard?.write) {
    try {
      const blob = text.then((value) => new Blob([value], { type: 'text/plain' }));
      await navigator.clipboard.write([new ClipboardItem({ 'text/plain': blob })]);
      return true;
    } catch {
      // Refused, or promises in a ClipboardItem not supported: the text is written below.
    }
  }
  return writeText(await text);
}

async function writeText(text: string): Promise<boolean> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused or not focused: try the older way below.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/** A polite live region for copy buttons outside samples. */
export function globalStatus(): HTMLElement {
  let status = document.getElementById('kw-copy-status');
  if (!status) {
    status = document.createElement('span');
    status.id = 'kw-copy-status';
    status.className = 'kw-visually-hidden';
    status.setAttribute('role', 'status');
    document.body.append(status);
  }
  return status;
}

function selectContents(element: HTMLElement): void {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}
