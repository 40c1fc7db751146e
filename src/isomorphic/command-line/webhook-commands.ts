import { ForwardTargetError, normalizeForwardTo, parseForwardHeaders } from '../webhooks/forward-target.ts';
import { MAX_LISTEN_EVENTS, readListenEvents } from '../webhooks/listen-events.ts';
import type { TriggerFlags } from '../webhooks/trigger-fixtures.ts';
import { CliError } from './parse.ts';
import { didYouMean } from './suggest.ts';

/**
 * `keyway listen` and `keyway trigger`, as the terminal CLI and the docs' shell read them. They
 * are not sandbox requests (parse.ts's `Command`): listen holds a stream open and forwards what
 * comes; trigger runs a fixture of several requests. Flags follow the Stripe CLI's names.
 */

/** `keyway listen …`, read. */
export interface ListenCommand {
  kind: 'listen';
  /** The normalised `--forward-to` URL; null prints events without forwarding them. */
  forwardTo: string | null;
  /** Event types to listen for (`*` for all), the invalid ones left out. */
  events: string[];
  /** Names in `--events` that are no event type: warned about, not sent. */
  invalidEvents: string[];
  headers: Array<[string, string]>;
  printSecret: boolean;
  skipVerify: boolean;
  apiKey?: string;
  apiBase?: string;
}

/** `keyway trigger <event> …`, read; the fixture is planned when it runs (trigger-fixtures.ts). */
export interface TriggerCommand {
  kind: 'trigger';
  event: string;
  flags: Required<TriggerFlags>;
  apiKey?: string;
  apiBase?: string;
}

const LISTEN_VALUE_FLAGS: Record<string, string> = {
  '--forward-to': 'forward-to',
  '-f': 'forward-to',
  '--events': 'events',
  '-e': 'events',
  '--headers': 'headers',
  '-H': 'headers',
  '--api-key': 'api-key',
  '--api-base': 'api-base',
};
const LISTEN_SWITCHES = ['--print-secret', '--skip-verify'];
const TRIGGER_VALUE_FLAGS: Record<string, string> = {
  '--override': 'override',
  '--add': 'add',
  '--remove': 'remove',
  '--api-key': 'api-key',
  '--api-base': 'api-base',
};

/** The longest `--events` value read: every name there is fits many times over. */
const MAX_EVENTS_TEXT = 4096;

/**
 * Reads `listen …` or `trigger …` (after `keyway` or `stripe`, which are optional); null for
 * any other command. Throws CliError for a flag it does not know or a value it cannot use.
 */
export function parseWebhookCommand(input: readonly string[]): ListenCommand | TriggerCommand | null {
  const words = [...input];
  if (words[0] === 'keyway' || words[0] === 'stripe') words.shift();
  const [name, ...rest] = words;
  if (name === 'listen') return parseListen(rest);
  if (name === 'trigger') return parseTrigger(rest);
  return null;
}

/** Splits words into `[flag, value]` pairs and positional words, by the flags a command takes. */
function readFlags(
  command: string,
  words: string[],
  valueFlags: Record<string, string>,
  switches: string[],
): { values: Array<[string, string]>; switches: Set<string>; positional: string[] } {
  const values: Array<[string, string]> = [];
  const on = new Set<string>();
  const positional: string[] = [];
  const known = [...Object.keys(valueFlags), ...switches];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const equals = word.startsWith('--') ? word.indexOf('=') : -1;
    const flag = equals > 0 ? word.slice(0, equals) : word;
    if (switches.includes(flag)) {
      if (equals > 0) throw new CliError(`${flag} takes no value.`);
      on.add(flag.slice(2));
    } else if (Object.hasOwn(valueFlags, flag)) {
      const value = equals > 0 ? word.slice(equals + 1) : words[++i];
      if (value === undefined) throw new CliError(`${flag} needs a value.`);
      values.push([valueFlags[flag]!, value]);
    } else if (word.startsWith('-') && word.length > 1) {
      throw new CliError(
        `Unknown option ${flag} for ${command}.${didYouMean(flag, known)} Options: ${known.join(', ')}.`,
      );
    } else {
      positional.push(word);
    }
  }
  return { values, switches: on, positional };
}

function parseListen(words: string[]): ListenCommand {
  const { values, switches, positional } = readFlags('listen', words, LISTEN_VALUE_FLAGS, LISTEN_SWITCHES);
  if (positional.length > 0) {
    throw new CliError(
      `Unexpected "${positional[0]}": listen takes flags only, such as keyway listen --forward-to localhost:3000/webhook.`,
    );
  }
  const command: ListenCommand = {
    kind: 'listen',
    forwardTo: null,
    events: ['*'],
    invalidEvents: [],
    headers: [],
    printSecret: switches.has('print-secret'),
    skipVerify: switches.has('skip-verify'),
  };
  try {
    for (const [flag, value] of values) {
      if (flag === 'forward-to') command.forwardTo = normalizeForwardTo(value);
      else if (flag === 'headers') command.headers.push(...parseForwardHeaders(value));
      else if (flag === 'api-key') command.apiKey = value;
      else if (flag === 'api-base') command.apiBase = value;
      else if (flag === 'events') {
        if (value.length > MAX_EVENTS_TEXT) throw new CliError('--events is too long.');
        const { events, invalid } = readListenEvents(value);
        if (events.length + invalid.length > MAX_LISTEN_EVENTS) {
          throw new CliError(`--events names more than ${MAX_LISTEN_EVENTS} events.`);
        }
        command.events = events;
        command.invalidEvents = invalid;
      }
    }
  } catch (error) {
    if (error instanceof ForwardTargetError) throw new CliError(error.message);
    throw error;
  }
  return command;
}

function parseTrigger(words: string[]): TriggerCommand {
  const { values, positional } = readFlags('trigger', words, TRIGGER_VALUE_FLAGS, []);
  const [event, extra] = positional;
  if (!event) {
    throw new CliError('trigger needs an event, such as keyway trigger customer.created.');
  }
  if (extra !== undefined) throw new CliError(`Unexpected "${extra}": trigger takes one event at a time.`);
  const command: TriggerCommand = { kind: 'trigger', event, flags: { override: [], add: [], remove: [] } };
  for (const [flag, value] of values) {
    if (flag === 'api-key') command.apiKey = value;
    else if (flag === 'api-base') command.apiBase = value;
    else command.flags[flag as 'override' | 'add' | 'remove'].push(value);
  }
  return command;
}
