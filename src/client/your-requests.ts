import { statusTone } from '../isomorphic/status-tone.ts';
import { exactTime, relativeTime } from '../isomorphic/time.ts';

// A type only: nothing of the server's queries reaches the browser bundle.
import type { OperationRequest as Listed } from '../lib/live/operation-requests.ts';

interface Answer {
  mode: 'test' | 'live';
  requests: Listed[];
}

/** Waits before looking again for a request just sent: the sandbox logs it after answering. */
const RETRY_DELAYS_MS = [150, 400, 1000, 2000];

/**
 * "Your latest requests" blocks beside the reference's operations. The page arrives the
 * same for everyone, so each block asks for its reader's requests when it first scrolls
 * into view, and again when a request to its operation is run from the page (a try-it or
 * the shell, both of which dispatch `kw:request`).
 */
export function initYourRequests(): void {
  const blocks = [...document.querySelectorAll<HTMLElement>('[data-kw-your-requests]')];
  const seen = new WeakSet<HTMLElement>();
  const observer =
    'IntersectionObserver' in window
      ? new IntersectionObserver((entries) => {
          for (const entry of entries) {
            if (!entry.isIntersecting) continue;
            const block = entry.target as HTMLElement;
            observer!.unobserve(block);
            seen.add(block);
            void load(block);
          }
        })
      : null;
  for (const block of blocks) {
    if (observer) observer.observe(block);
    else {
      seen.add(block);
      void load(block);
    }
  }
  document.addEventListener('kw:request', (event) => {
    const sent = sentRequest((event as CustomEvent).detail);
    if (!sent) return;
    for (const block of blocks) {
      // A block not yet in view loads the newest list when it gets there.
      if (seen.has(block) && matches(block, sent)) void load(block, sent.requestId);
    }
  });
}

/** What a `kw:request` says about the request: the try-it's detail, or the shell's. */
function sentRequest(detail: unknown): { method: string; path: string; requestId: string | null } | null {
  const given = (detail ?? {}) as {
    method?: string;
    path?: string;
    requestId?: string | null;
    request?: { method?: string; path?: string };
    response?: { requestId?: string | null };
  };
  const method = given.method ?? given.request?.method;
  const path = given.path ?? given.request?.path;
  if (!method || !path) return null;
  return {
    method,
    path: path.split('?')[0]!,
    requestId: given.requestId ?? given.response?.requestId ?? null,
  };
}

/** Whether a request went to the block's operation, by method and path template (`{id}` is one segment). */
function matches(block: HTMLElement, sent: { method: string; path: string }): boolean {
  if (sent.method !== block.dataset.method) return false;
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = block.dataset.path!.split('{id}').map(literal).join('[^/]+');
  return new RegExp(`^${pattern}$`).test(sent.path);
}

/**
 * Fills a block with the reader's latest requests. With `expected`, the id of a request just
 * sent, it looks again a few times until that request is in the list.
 */
async function load(block: HTMLElement, expected: string | null = null): Promise<void> {
  const body = block.querySelector<HTMLElement>('[data-kw-your-requests-body]')!;
  const status = block.querySelector<HTMLElement>('[data-kw-your-requests-status]')!;
  if (!body.querySelector('.kw-yours__list')) {
    block.setAttribute('aria-busy', 'true');
    body.replaceChildren(note('Loading your requests…'));
  }
  const url = `/api/requests?operation=${encodeURIComponent(block.dataset.operation!)}`;
  let answer: Answer | null = null;
  for (const delay of [0, ...(expected ? RETRY_DELAYS_MS : [])]) {
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    answer = await fetchAnswer(url);
    if (!answer || !expected || answer.requests.some((request) => request.id === expected)) break;
  }
  block.removeAttribute('aria-busy');
  if (!answer) {
    const retry = Object.assign(document.createElement('button'), {
      type: 'button',
      className: 'kw-button kw-button--small kw-button--quiet kw-yours__retry',
      textContent: 'Try again',
    });
    retry.addEventListener('click', () => void load(block));
    const error = Object.assign(document.createElement('p'), {
      className: 'kw-yours__error',
      textContent: 'Your requests could not be loaded.',
    });
    error.append(retry);
    body.replaceChildren(error);
    status.textContent = 'Your requests could not be loaded.';
    return;
  }
  if (answer.requests.length === 0) {
    const where = answer.mode === 'live' ? ' in live mode' : '';
    body.replaceChildren(
      note(
        `No recent requests to this endpoint${where}. Run the sample or the try-it, and yours show up here.`,
      ),
    );
    status.textContent = `No recent requests${where}.`;
    return;
  }
  const now = Date.now();
  const list = document.createElement('ol');
  list.className = 'kw-yours__list';
  list.append(...answer.requests.map((request) => row(request, now)));
  body.replaceChildren(list);
  const newest = answer.requests[0]!;
  status.textContent = expected
    ? `Latest request: ${newest.method} ${newest.path}, status ${newest.status}.`
    : `${answer.requests.length} recent ${answer.requests.length === 1 ? 'request' : 'requests'}.`;
}

async function fetchAnswer(url: string): Promise<Answer | null> {
  const response = await fetch(url, { headers: { accept: 'application/json' } }).catch(() => null);
  if (!response?.ok) return null;
  return (await response.json().catch(() => null)) as Answer | null;
}

function note(text: string): HTMLElement {
  return Object.assign(document.createElement('p'), { className: 'kw-yours__note', textContent: text });
}

/** One request: status badge, method and path, when, and its id linked to its log entry. */
function row(request: Listed, now: number): HTMLElement {
  const item = document.createElement('li');
  item.className = 'kw-yours__row';
  const badge = Object.assign(document.createElement('span'), {
    className: `kw-status kw-status--${statusTone(request.status)}`,
    textContent: String(request.status),
  });
  const path = Object.assign(document.createElement('code'), {
    className: 'kw-yours__path',
    textContent: `${request.method} ${request.path}`,
  });
  const time = Object.assign(document.createElement('time'), {
    className: 'kw-yours__time',
    dateTime: new Date(request.created_ms).toISOString(),
    title: exactTime(request.created_ms),
    textContent: relativeTime(request.created_ms, now),
  });
  const link = Object.assign(document.createElement('a'), {
    className: 'kw-yours__id',
    href: request.link,
    textContent: request.id,
  });
  link.setAttribute('aria-label', `Log entry ${request.id}`);
  item.append(badge, path, time, link);
  return item;
}
