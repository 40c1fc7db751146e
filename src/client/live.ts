import type { CausedEvent, LoggedRequest } from './log-card.ts';

// A type only: nothing of the server's bus reaches the browser bundle.
import type { RequestNotice as Notice } from '../lib/live/request-bus.ts';

/**
 * The live walkthrough: listens to the reader's own requests (Server-Sent Events, with the
 * browser reconnecting by itself), turns the waiting line green when one to the step's call
 * succeeds, explains a failure, and shows the same request as a log card in the next step.
 * Steps tick as their requests land.
 */
export function initLiveWalkthrough(): void {
  const status = document.querySelector<HTMLElement>('[data-kw-live-status]');
  if (!status || !('EventSource' in window)) return;
  const operation = status.dataset.operation;
  // Asked for by operation, the first message is that operation's latest request, not the account's.
  const source = new EventSource(
    operation ? `/api/stream?${new URLSearchParams({ operation })}` : '/api/stream',
  );
  let shown = 0;
  const show = (event: MessageEvent<string>) => {
    const notice = JSON.parse(event.data) as Notice;
    // A key the sandbox accepted is the first step done, whichever call it made.
    if (notice.status !== 401) tick(document.querySelector('.kw-steps > ol > li'));
    if (operation && notice.operation !== operation) return;
    // The status line and the card describe one request: the last one asked for.
    const turn = ++shown;
    void update(status, notice, () => turn === shown);
  };
  source.addEventListener('request', show);
  source.addEventListener('latest', show);
}

async function update(status: HTMLElement, notice: Notice, current: () => boolean): Promise<void> {
  const ok = notice.status < 400;
  // A failure's advice comes with its code (loaded with the first failure): the line changes
  // once, state, words and advice together, so it never says "failed" without saying why.
  const explainFailure = ok ? null : (await import('./live-details.ts')).explainFailure;
  if (!current()) return;
  status.dataset.state = ok ? 'ok' : 'failed';
  status.querySelector('[data-kw-live-text]')!.textContent =
    `${notice.method} ${notice.path} ${notice.status}${notice.objectId ? ` — ${notice.objectId}` : ''}`;
  const advice = status.querySelector<HTMLElement>('[data-kw-live-advice]')!;
  advice.textContent = explainFailure
    ? explainFailure(notice.errorMessage, notice.errorCode, notice.status)
    : '';
  advice.hidden = !explainFailure;
  if (ok) tick(status.closest('li'));
  await showDetails(notice, current);
}

async function showDetails(notice: Notice, current: () => boolean): Promise<void> {
  const details = document.querySelector<HTMLElement>('[data-kw-live-details]');
  if (!details) return;
  // The card's code comes with the first request to show, fetched beside its details.
  const [response, { logCard }] = await Promise.all([
    fetch(`/api/requests/${encodeURIComponent(notice.requestId)}`).catch(() => null),
    import('./live-details.ts'),
  ]);
  if (!response?.ok || !current()) return;
  const { request, events } = (await response.json()) as { request: LoggedRequest; events: CausedEvent[] };
  const own = document.documentElement.dataset.keySource === 'account';
  details.replaceChildren(logCard(request, events, own));
  if (request.status < 400) tick(details.closest('li'));
}

/** Marks a step done: its number becomes a tick, and its heading says so to a screen reader. */
function tick(step: Element | null): void {
  if (!(step instanceof HTMLElement) || step.dataset.done !== undefined) return;
  step.dataset.done = '';
  const heading = step.querySelector('h2, h3');
  const said = Object.assign(document.createElement('span'), {
    className: 'kw-visually-hidden',
    textContent: ' (done)',
  });
  heading?.append(said);
}
