/**
 * Makes sure the reader's keys work before something runs: an anonymous reader's sample
 * keys become a guest sandbox on first use (POST /api/guest). Remembered for the tab, so
 * later runs and copies cost nothing. Resolves to an error message, or null when ready.
 */
const STORAGE_KEY = 'kw-guest-ready';
let pending: Promise<string | null> | null = null;

export function ensureWorkingKeys(): Promise<string | null> {
  if (document.documentElement.dataset.keySource !== 'sample') return Promise.resolve(null);
  if (sessionStorage.getItem(STORAGE_KEY) === 'yes') return Promise.resolve(null);
  pending ??= fetch('/api/guest', { method: 'POST', credentials: 'same-origin' })
    .then(async (response) => {
      if (response.ok) {
        sessionStorage.setItem(STORAGE_KEY, 'yes');
        return null;
      }
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      return body.error ?? 'Your sample keys could not be activated. Try again in a moment.';
    })
    .catch(() => 'Your sample keys could not be activated: the site did not answer.')
    .finally(() => {
      pending = null;
    });
  return pending;
}
