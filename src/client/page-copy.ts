import { globalStatus, showCopyResult, writeClipboard } from './copy.ts';

/**
 * Fetches the page's Markdown as this reader (with their cookie, so their own keys are in it)
 * and copies it.
 */
export async function copyPage(button: HTMLButtonElement): Promise<void> {
  const markdown = fetch(button.dataset.kwPageCopy!, {
    credentials: 'same-origin',
    headers: { accept: 'text/markdown' },
  }).then((response) => {
    if (!response.ok) throw new Error(`The page's Markdown answered ${response.status}.`);
    return response.text();
  });
  const copied = await writeClipboard(markdown).catch(() => false);
  showCopyResult(button, copied, globalStatus(), {
    label: 'Copy failed',
    status: 'Copy failed: use View as Markdown and copy the page from there',
  });
}
