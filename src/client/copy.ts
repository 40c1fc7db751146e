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
  const code = source?.textContent ?? '';
  const copied = await writeClipboard(code);
  button.textContent = copied ? 'Copied' : 'Press Ctrl+C';
  button.dataset.state = copied ? 'copied' : 'failed';
  if (status)
    status.textContent = copied ? 'Copied to clipboard' : 'Copy failed: select the code and copy it';
  if (!copied && panel) selectContents(panel);
  clearTimeout(Number(button.dataset.timer));
  button.dataset.timer = String(
    setTimeout(() => {
      button.textContent = 'Copy';
      delete button.dataset.state;
      if (status) status.textContent = '';
    }, COPIED_FOR_MS),
  );
}

async function writeClipboard(text: string): Promise<boolean> {
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
function globalStatus(): HTMLElement {
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
