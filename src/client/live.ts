import { explainFailure } from '../isomorphic/error-advice.ts';
import { jsonElement } from './output.ts';

// A type only: nothing of the server's bus reaches the browser bundle.
import type { RequestNotice as Notice } from '../lib/live/request-bus.ts';

/**
 * The live walkthrough: listens to the reader's own requests (Server-Sent Events, with the
 * browser reconnecting by itself), turns the waiting line green when one succeeds, explains
 * a failure, and fills in the next step with the request's log entry and event.
 */
export function initLiveWalkthrough(): void {
  const status = document.querySelector<HTMLElement>('[data-kw-live-status]');
  if (!status || !('EventSource' in window)) return;
  const source = new EventSource('/api/stream');
  const show = (event: MessageEvent<string>) => void update(status, JSON.parse(event.data) as Notice);
  source.addEventListener('request', show);
  source.addEventListener('latest', show);
}

async function update(status: HTMLElement, notice: Notice): Promise<void> {
  const ok = notice.status < 400;
  status.dataset.state = ok ? 'ok' : 'failed';
  status.querySelector('[data-kw-live-text]')!.textContent =
    `${notice.method} ${notice.path} ${notice.status}${notice.objectId ? ` — ${notice.objectId}` : ''}`;
  const advice = status.querySelector<HTMLElement>('[data-kw-live-advice]')!;
  advice.hidden = ok;
  advice.textContent = ok ? '' : explainFailure(notice.errorMessage, notice.errorCode, notice.status);
  if (ok) await showDetails(notice);
}

async function showDetails(notice: Notice): Promise<void> {
  const details = document.querySelector<HTMLElement>('[data-kw-live-details]');
  if (!details) return;
  const response = await fetch(`/api/requests/${encodeURIComponent(notice.requestId)}`).catch(() => null);
  if (!response?.ok) return;
  const { request, events } = (await response.json()) as {
    request: { id: string; method: string; path: string; status: number; duration_ms: number; key: string };
    events: Array<{ id: string; type: string }>;
  };
  const own = document.documentElement.dataset.keySource === 'account';
  const heading = (text: string) => Object.assign(document.createElement('h3'), { textContent: text });
  const summary = document.createElement('p');
  summary.textContent = `${request.method} ${request.path} answered ${request.status} in ${request.duration_ms} ms, with key ${request.key}. Request id: ${request.id}.`;
  const children: Node[] = [heading('Your request in the log'), summary];
  if (own) children.push(link(`/dashboard/logs/${request.id}`, 'Open it in your request log'));
  children.push(scrollingJson(request, 'The log entry'));
  for (const event of events) {
    children.push(heading(`The event it caused: ${event.type}`));
    if (own) children.push(link(`/dashboard/events/${event.id}`, 'Open it in your events'));
    children.push(scrollingJson(event, `The ${event.type} event`));
  }
  details.replaceChildren(...children);
}

/** JSON in a box of limited height: focusable and named, so a keyboard can scroll it. */
function scrollingJson(value: unknown, label: string): HTMLElement {
  const block = jsonElement(value);
  block.tabIndex = 0;
  block.setAttribute('role', 'region');
  block.setAttribute('aria-label', label);
  return block;
}

function link(href: string, text: string): HTMLElement {
  const paragraph = document.createElement('p');
  const anchor = Object.assign(document.createElement('a'), { href, textContent: text });
  paragraph.append(anchor);
  return paragraph;
}
