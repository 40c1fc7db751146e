import type { CliResponse } from '../isomorphic/command-line/send.ts';
import { sendCliRequest } from '../isomorphic/command-line/send.ts';
import { resolveStepPath, triggerSteps } from '../isomorphic/command-line/trigger-fixtures.ts';
import type { WebhookCommand } from '../isomorphic/command-line/webhook-words.ts';

/** Prints one line (or a JSON body, as kind `json`) in the shell's output. */
type Show = (text: string, kind: string) => void;

/** As the Stripe CLI prints a time: `2006-01-02 15:04:05`, local. */
export function listenTime(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}

/**
 * Runs `trigger <event>`: each fixture request in turn, through the one send function, a
 * step's path taking the id an earlier step returned. Stops at the first refused request and
 * shows why. Throws CliError (from triggerSteps) before sending anything for a bad event or
 * override. Calls `onResponse` for each answer, as for any shell request.
 */
export async function runTrigger(
  command: Extract<WebhookCommand, { kind: 'trigger' }>,
  connection: { apiKey: string; apiBase: string },
  show: Show,
  onResponse: (request: { method: string; path: string }, response: CliResponse) => void,
): Promise<void> {
  const steps = triggerSteps(command.event, command.overrides);
  const ids = new Map<string, string>();
  for (const step of steps) show(`Setting up fixture for: ${step.name}`, 'kw-term__note');
  for (const step of steps) {
    show(`Running fixture for: ${step.name}`, 'kw-term__note');
    const request = { method: step.method, path: resolveStepPath(step.path, ids), pairs: step.pairs };
    const response = await sendCliRequest(request, { ...connection, source: 'shell' });
    onResponse(request, response);
    if (!response.ok) {
      show(`${request.method} ${request.path} → ${response.status}`, 'kw-term__error');
      show(JSON.stringify(response.body, null, 2), 'json');
      return;
    }
    const id = (response.body as { id?: unknown } | null)?.id;
    if (typeof id === 'string') ids.set(step.name, id);
  }
  show('Trigger succeeded! Check dashboard for event details.', 'kw-term__ok');
}

/** A sandbox event as the reader's live stream tells of it. */
interface SandboxEvent {
  id: string;
  type: string;
  createdMs: number;
}

/**
 * Starts `listen`: follows the reader's live stream (/api/stream, by their cookie, so only
 * their own sandbox) and prints each event as `stripe listen` does. Returns the function that
 * stops it. `events` empty means every type.
 */
export function startListen(events: readonly string[], show: Show, onEnd: () => void): () => void {
  const source = new EventSource('/api/stream');
  let ready = false;
  const stop = () => {
    source.close();
    onEnd();
  };
  source.addEventListener('open', () => {
    if (ready) return; // a reconnection after an idle close: nothing new to say
    ready = true;
    show("Ready! Showing your sandbox's events as they happen (Ctrl+C or clear to stop).", 'kw-term__ok');
  });
  source.addEventListener('sandbox-event', (message) => {
    let event: SandboxEvent;
    try {
      event = JSON.parse((message as MessageEvent<string>).data) as SandboxEvent;
    } catch {
      return;
    }
    if (events.length > 0 && !events.includes(event.type)) return;
    show(`${listenTime(new Date(event.createdMs))}   --> ${event.type} [${event.id}]`, 'kw-term__note');
  });
  source.addEventListener('error', () => {
    // EventSource retries by itself; it gives up (CLOSED) only on a refusal, such as too many streams.
    if (source.readyState !== EventSource.CLOSED) return;
    show(
      'Listening stopped: the live stream was refused. Close other tabs following your requests and try again.',
      'kw-term__error',
    );
    stop();
  });
  return stop;
}
