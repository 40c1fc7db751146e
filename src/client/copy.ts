const COPIED_FOR_MS = 2000;

/**
 * Copy buttons: copy the visible panel's code exactly as shown (keys included, nothing
 * added), then say "Copied" on the button and to screen readers. Without the Clipboard API
 * (an insecure origin, an old browser) a hidden textarea and execCommand do the work.
 */
export function initCopyButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-kw-copy]')) {
    button.hidden = false;
    button.addEventListener('click', () => copySample(button));
  }
}

async function copySample(button: HTMLButtonElement): Promise<void> {
  const sample = button.closest<HTMLElement>('[data-kw-sample]')!;
  const panel = sample.querySelector<HTMLElement>('.kw-sample__panel:not([hidden])');
  const status = sample.querySelector<HTMLElement>('[data-kw-copy-status]');
  const code = panel?.querySelector('code')?.textContent ?? '';
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

function selectContents(element: HTMLElement): void {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}
