import { completions } from '../isomorphic/command-line/complete.ts';
import { helpText } from '../isomorphic/command-line/help.ts';
import { CliError, parseCommand } from '../isomorphic/command-line/parse.ts';
import { sendCliRequest } from '../isomorphic/command-line/send.ts';
import { parseWebhookLine, type WebhookCommand } from '../isomorphic/command-line/webhook-words.ts';
import { jsonElement, wordsElement } from './output.ts';
import { initObjectIds } from './object-ids.ts';
import { clearOutput, loadOutput, saveOutput, type SavedEntry } from './shell-saved-output.ts';
import { runTrigger, startListen } from './shell-webhooks.ts';
import type { TriggerCommand } from '../isomorphic/command-line/webhook-commands.ts';
import { TriggerError } from '../isomorphic/webhooks/trigger-fixtures.ts';

const HISTORY_KEY = 'kw-shell-history';
const HISTORY_SIZE = 100;

/** How a terminal starts. */
export interface TerminalOptions {
  /** A command already in the prompt (an inline `<Shell>`'s). */
  initial?: string;
  /** Keep the output for the tab and show it again on the next page (the docked shell). */
  keepOutput?: boolean;
}

/**
 * One terminal: an output log and a prompt. Enter runs the line through the same parser
 * as `npx keyway`; Up and Down walk the history (kept for the tab), Tab completes, Ctrl+L
 * clears. Requests go to this site's sandbox with the reader's test key; while one runs, a
 * pending line names it, and becomes its status line when the answer comes.
 */
export function mountTerminal(
  host: HTMLElement,
  key: string,
  apiBase: string,
  { initial = '', keepOutput = false }: TerminalOptions = {},
): HTMLInputElement {
  initObjectIds();
  host.replaceChildren();
  const output = document.createElement('div');
  output.className = 'kw-term__output';
  output.setAttribute('role', 'log');
  output.setAttribute('aria-live', 'polite');
  output.setAttribute('aria-label', 'Shell output');
  output.tabIndex = 0; // so a keyboard can scroll back through it
  const form = document.createElement('form');
  form.className = 'kw-term__prompt';
  const label = document.createElement('label');
  label.className = 'kw-term__sign';
  label.textContent = '$';
  const input = document.createElement('input');
  input.className = 'kw-term__input';
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.setAttribute('autocapitalize', 'off');
  input.setAttribute('aria-label', 'Shell command');
  input.placeholder = 'keyway customers create --email=jenny.rosen@example.com';
  input.value = initial;
  label.htmlFor = input.id = `kw-term-${Math.random().toString(36).slice(2, 8)}`;
  const hint = document.createElement('span');
  hint.className = 'kw-visually-hidden';
  hint.id = `${input.id}-hint`;
  hint.textContent = 'Tab completes what you type; a second Tab, or one with nothing to complete, moves on.';
  input.setAttribute('aria-describedby', hint.id);
  form.append(label, input, hint);
  host.append(output, form);

  const history: string[] = JSON.parse(sessionStorage.getItem(HISTORY_KEY) ?? '[]') as string[];
  let cursor = history.length;
  let listedFor: string | undefined; // the line whose completions were listed last
  const print = (element: HTMLElement) => {
    output.append(element);
    output.scrollTop = output.scrollHeight;
  };
  const entries: SavedEntry[] = keepOutput ? loadOutput(key) : [];
  const remember = (entry: SavedEntry) => {
    if (!keepOutput) return;
    entries.push(entry);
    saveOutput(key, entries);
  };
  /** Prints an entry and keeps it, for the next page. */
  const show = (text: string, kind: string) => {
    print(entryElement({ text, kind }));
    remember({ text, kind });
  };
  /** Stops a running `listen`; null when none runs. */
  let stopListening: (() => void) | null = null;
  const clear = () => {
    stopListening?.();
    output.replaceChildren();
    entries.length = 0;
    if (keepOutput) clearOutput();
  };
  for (const entry of entries) print(entryElement(entry));
  if (!initial && entries.length === 0)
    print(
      wordsElement('Type help to see the commands, or try: keyway customers list --limit=3', 'kw-term__note'),
    );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.readOnly) return; // the previous command is still running
    const line = input.value;
    input.value = '';
    if (line.trim()) {
      history.push(line);
      history.splice(0, history.length - HISTORY_SIZE);
      sessionStorage.setItem(HISTORY_KEY, JSON.stringify(history));
    }
    cursor = history.length;
    void run(line);
  });

  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowUp' && cursor > 0) {
      input.value = history[--cursor] ?? '';
      event.preventDefault();
    } else if (event.key === 'ArrowDown') {
      cursor = Math.min(history.length, cursor + 1);
      input.value = history[cursor] ?? '';
      event.preventDefault();
    } else if (event.key === 'Tab' && !event.shiftKey && complete()) {
      event.preventDefault();
    } else if (event.key === 'l' && event.ctrlKey) {
      event.preventDefault();
      clear();
    } else if (
      event.key === 'c' &&
      event.ctrlKey &&
      stopListening &&
      input.selectionStart === input.selectionEnd
    ) {
      // As in a terminal, Ctrl+C stops `listen`; with text selected it still copies.
      event.preventDefault();
      stopListening();
      show('Stopped listening.', 'kw-term__note');
    }
  });

  /**
   * Completes the last word, or lists the choices once. Returns false when there was
   * nothing to do, and then Tab moves focus as usual, so the prompt is never a keyboard
   * trap: a second Tab after a list, or one with nothing to complete, moves on.
   */
  function complete(): boolean {
    const options = completions(input.value);
    const [only] = options;
    const completed = only && input.value.replace(/\S*$/, only) + (only.endsWith('=') ? '' : ' ');
    if (options.length === 1 && completed !== input.value) {
      input.value = completed!;
      return true;
    }
    if (options.length > 1 && listedFor !== input.value) {
      listedFor = input.value;
      show(options.join('   '), 'kw-term__note');
      return true;
    }
    return false;
  }

  async function run(line: string) {
    show(`$ ${line}`, 'kw-term__echo');
    let command;
    let webhookCommand: WebhookCommand | null;
    try {
      webhookCommand = parseWebhookLine(line);
      command = webhookCommand ? null : parseCommand(line);
    } catch (error) {
      show(error instanceof CliError ? error.message : String(error), 'kw-term__error');
      return;
    }
    if (webhookCommand?.kind === 'listen') return listen(webhookCommand.events);
    if (command?.kind === 'empty') return;
    if (command?.kind === 'clear') return clear();
    if (command?.kind === 'help') {
      const extra = command.topic.length === 0 ? `\n\n${SHELL_WEBHOOK_HELP}` : '';
      return show(helpText(command.topic) + extra, 'kw-term__note');
    }
    const useKey = (webhookCommand ? webhookCommand.apiKey : command!.request.apiKey) ?? key;
    if (/^(?:sk|rk|pk)_live_/.test(useKey)) {
      show(
        'The shell runs in test mode only: live keys are refused. Use a test key (sk_test_…).',
        'kw-term__error',
      );
      return;
    }
    if (webhookCommand) return trigger(webhookCommand, useKey);
    const { request } = command!;
    // Read-only rather than disabled, so the prompt keeps focus while the request runs.
    input.readOnly = true;
    // Said at once, in the log (a live region), so a slow answer never looks like nothing
    // happened; the same line then turns into the answer's status, so nothing jumps.
    const pending = wordsElement(`→ ${request.method} ${request.path} …`, 'kw-term__pending');
    print(pending);
    const settle = (text: string, kind: string) => {
      pending.replaceWith(entryElement({ text, kind }));
      remember({ text, kind });
    };
    try {
      const response = await sendCliRequest(request, { apiKey: useKey, apiBase, source: 'shell' });
      const status = `${request.method} ${request.path} → ${response.status}${response.requestId ? ` · ${response.requestId}` : ''}`;
      settle(status, response.status < 400 ? 'kw-term__ok' : 'kw-term__error');
      show(JSON.stringify(response.body, null, 2), JSON_KIND);
      host.dispatchEvent(new CustomEvent('kw:request', { bubbles: true, detail: { request, response } }));
    } catch {
      settle('The sandbox did not answer. Check your connection and try again.', 'kw-term__error');
    } finally {
      input.readOnly = false;
    }
  }
  /** `listen`: the reader's events, printed as they happen, until Ctrl+C or `clear`. */
  function listen(events: string[]) {
    if (stopListening) {
      show('Already listening. Press Ctrl+C in the prompt to stop first.', 'kw-term__error');
      return;
    }
    stopListening = startListen(events, show, () => (stopListening = null));
  }

  /** `trigger <event>`: the fixture's requests, one after another, the prompt held meanwhile. */
  async function trigger(command: TriggerCommand, apiKey: string) {
    input.readOnly = true;
    try {
      await runTrigger(command, { apiKey, apiBase }, show, (request, response) =>
        host.dispatchEvent(new CustomEvent('kw:request', { bubbles: true, detail: { request, response } })),
      );
    } catch (error) {
      show(
        error instanceof CliError || error instanceof TriggerError
          ? error.message
          : 'The sandbox did not answer. Check your connection and try again.',
        'kw-term__error',
      );
    } finally {
      input.readOnly = false;
    }
  }
  return input;
}

/** What `help` adds in the shell: the commands that are more than one request. */
const SHELL_WEBHOOK_HELP = [
  'Events:',
  '  trigger <event> [--override customer:email=jenny.rosen@example.com]   makes an event happen',
  '  listen [--events customer.created,…]   shows your events as they happen (Ctrl+C stops)',
].join('\n');

/** The kind of a response body's entry: shown as coloured JSON, the others as lines. */
const JSON_KIND = 'json';

function entryElement({ text, kind }: SavedEntry): HTMLElement {
  return kind === JSON_KIND ? jsonElement(text) : wordsElement(text, kind);
}
