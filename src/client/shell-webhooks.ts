import type { CliResponse } from '../isomorphic/command-line/send.ts';
import { sendCliRequest } from '../isomorphic/command-line/send.ts';
import type { TriggerCommand } from '../isomorphic/command-line/webhook-commands.ts';
import { eventLine } from '../isomorphic/webhooks/listen-output.ts';
import { listensFor } from '../isomorphic/webhooks/listen-events.ts';
import {
  planTrigger,
  runFixture,
  TRIGGER_SUCCEEDED,
  TriggerError,
} from '../isomorphic/webhooks/trigger-fixtures.ts';

/** Prints one line (or a JSON body, as kind `json`) in the shell's output. */
type Show = (text: string, kind: string) => void;

/**
 * Runs `trigger <event>` with the terminal CLI's fixtures: each request in turn, through the
 * one send function, a step's path taking the id an earlier step returned. Stops at the first
 * refused request and shows why; a bad event or override is explained before anything is sent.
 * Calls `onResponse` for each answer, as for any shell request.
 */
export async function runTrigger(
  command: TriggerCommand,
  connection: { apiKey: string; apiBase: string },
  show: Show,
  onResponse: (request: { method: string; path: string }, response: CliResponse) => void,
): Promise<void> {
  let steps;
  try {
    steps = planTrigger(command.event, command.flags);
  } catch (error) {
    if (!(error instanceof TriggerError)) throw error;
    show(error.message, 'kw-term__error');
    return;
  }
  const refused = await runFixture(
    steps,
    async (request) => {
      const response = await sendCliRequest(request, { ...connection, source: 'shell' });
      onResponse(request, response);
      return response;
    },
    (line) => show(line, 'kw-term__note'),
  );
  if (refused) {
    const { request, response } = refused;
    show(`${request.method} ${request.path} → ${response.status}`, 'kw-term__error');
    show(JSON.stringify(response.body, null, 2), 'json');
    return;
  }
  show(TRIGGER_SUCCEEDED, 'kw-term__ok');
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
 * stops it. `events` holds `*` for every type.
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
    if (!listensFor(events, event.type)) return;
    show(eventLine(new Date(event.createdMs), event.type, event.id), 'kw-term__note');
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
