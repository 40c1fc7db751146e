/**
 * After the reader creates a customer (a Run, the shell), every sample on the page that
 * names a customer uses its id, so the next sample they copy (retrieve, update, delete)
 * runs as it is. Try-it widgets for such calls follow too. Only a try-it or the shell sends
 * such a request, so each starts this when it loads, rather than every page at load.
 */
let listening = false;

export function initObjectIds(): void {
  if (listening) return;
  listening = true;
  document.addEventListener('kw:request', (event) => {
    const detail = (event as CustomEvent).detail as { body?: unknown; response?: { body?: unknown } };
    const body = (detail.body ?? detail.response?.body) as {
      id?: unknown;
      object?: unknown;
      deleted?: unknown;
    } | null;
    if (!body || body.object !== 'customer' || typeof body.id !== 'string' || body.deleted) return;
    const id = body.id;
    for (const span of document.querySelectorAll<HTMLElement>('.kw-objid[data-kind="customer"]')) {
      const previous = span.textContent ?? '';
      span.textContent = id;
      for (const widget of document.querySelectorAll<HTMLElement>('[data-kw-tryit]')) {
        if (previous && widget.dataset.path?.includes(previous))
          widget.dataset.path = widget.dataset.path.replace(previous, id);
      }
    }
  });
}
