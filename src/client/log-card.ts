import { REQUEST_SOURCE_LABELS, type RequestSource } from '../isomorphic/command-line/request-source.ts';
import { statusTone } from '../isomorphic/status-tone.ts';
import { exactTime } from '../isomorphic/time.ts';

/** One logged request as `/api/requests/{id}` gives it: the fields a log card shows. */
export interface LoggedRequest {
  id: string;
  method: string;
  path: string;
  status: number;
  duration_ms: number;
  source: RequestSource;
  key: string;
  created_ms: number;
}

/** An event the request caused, as the API returns it. */
export interface CausedEvent {
  id: string;
  type: string;
}

/**
 * A request as the dashboard's log shows it (status, call, time, masked key, source, the
 * events it caused), built from text nodes only. A member gets links into their dashboard;
 * a guest, who has none, gets the entry itself and the way to an account that keeps it.
 */
export function logCard(request: LoggedRequest, events: CausedEvent[], own: boolean): HTMLElement {
  const card = element('article', 'kw-log-card');
  card.setAttribute('aria-label', `Your request ${request.method} ${request.path}`);
  const head = element('p', 'kw-log-card__head');
  head.append(
    element('span', `kw-status kw-status--${statusTone(request.status)}`, String(request.status)),
    ' ',
    element('code', 'kw-log-card__call', `${request.method} ${request.path}`),
    ' ',
    element('span', 'kw-muted', `${exactTime(request.created_ms)} · ${request.duration_ms} ms`),
  );
  const facts = element('dl', 'kw-facts kw-log-card__facts');
  const fact = (term: string, value: Node | string) => {
    const row = document.createElement('div');
    const description = document.createElement('dd');
    description.append(value);
    row.append(element('dt', '', term), description);
    facts.append(row);
  };
  fact('Request id', element('code', '', request.id));
  fact('Key', element('code', '', request.key));
  fact('Source', REQUEST_SOURCE_LABELS[request.source] ?? request.source);
  for (const event of events) {
    const value = own ? link(`/dashboard/events/${event.id}`, event.type) : element('code', '', event.type);
    fact('Event', value);
  }
  const links = element('p', 'kw-log-card__links');
  if (own) links.append(link(`/dashboard/logs/${request.id}`, 'Open it in your request log'));
  else
    links.append(
      link(`/api/requests/${request.id}`, 'The log entry as JSON'),
      ' · ',
      link('/signup', 'Create an account to keep your log'),
    );
  card.append(head, facts, links);
  return card;
}

function element(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function link(href: string, text: string): HTMLAnchorElement {
  return Object.assign(document.createElement('a'), { href, textContent: text });
}
