import { CliError, tokenize } from './parse.ts';
import { didYouMean } from './suggest.ts';
import { TRIGGER_EVENTS } from './trigger-fixtures.ts';

/**
 * `trigger` and `listen` as the docs' shell reads them. They are not one sandbox request (the
 * parser's `Command`): trigger runs a fixture of several, listen follows the reader's events
 * until stopped. The shell cannot reach a reader's own machine, so listen here shows events
 * and leaves forwarding to the terminal CLI.
 */
export type WebhookCommand =
  | { kind: 'trigger'; event: string; overrides: string[]; apiKey?: string }
  | { kind: 'listen'; events: string[] };

/** Event names listen takes at most: every event type fits many times over. */
const MAX_LISTEN_EVENTS = 50;

/** What a terminal can do that the shell cannot, and how to do it there. */
const TERMINAL_ONLY =
  'runs in a terminal, not in this shell: install keyway with the line in the CLI tab of the first request guide, then run keyway listen';

/**
 * Reads a `trigger …` or `listen …` line (after `keyway` or `stripe`, which are optional); null
 * for any other command. Throws CliError for a flag it does not know or a value it cannot use.
 */
export function parseWebhookLine(line: string): WebhookCommand | null {
  const words = tokenize(line.trim());
  if (words[0] === 'keyway' || words[0] === 'stripe') words.shift();
  const [name, ...rest] = words;
  if (name === 'trigger') return parseTrigger(rest);
  if (name === 'listen') return parseListen(rest);
  return null;
}

/** Splits `--flag value` and `--flag=value` into pairs; the other words are positional. */
function readFlags(command: string, words: string[], known: readonly string[]) {
  const flags: Array<[string, string]> = [];
  const positional: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    if (!word.startsWith('-')) {
      positional.push(word);
      continue;
    }
    const equals = word.indexOf('=');
    const flag = equals < 0 ? word : word.slice(0, equals);
    if (!known.includes(flag)) {
      throw new CliError(
        `${command} has no flag ${flag}.${didYouMean(flag, known)} Flags: ${known.join(', ')}.`,
      );
    }
    const value = equals < 0 ? words[++index] : word.slice(equals + 1);
    if (value === undefined || value === '') throw new CliError(`${flag} needs a value.`);
    flags.push([flag, value]);
  }
  return { flags, positional };
}

function parseTrigger(words: string[]): WebhookCommand {
  const { flags, positional } = readFlags('trigger', words, ['--override', '--api-key']);
  const [event, ...extra] = positional;
  if (!event)
    throw new CliError(`Name the event to trigger: trigger <event>. Events: ${TRIGGER_EVENTS.join(', ')}.`);
  if (extra.length > 0) throw new CliError(`trigger takes one event; "${extra.join(' ')}" is left over.`);
  const apiKey = flags.filter(([flag]) => flag === '--api-key').at(-1)?.[1];
  return {
    kind: 'trigger',
    event,
    overrides: flags.filter(([flag]) => flag === '--override').map(([, value]) => value),
    ...(apiKey ? { apiKey } : {}),
  };
}

function parseListen(words: string[]): WebhookCommand {
  for (const word of words) {
    const flag = word.split('=')[0]!;
    if (['--forward-to', '-f', '--print-secret', '--headers', '-H'].includes(flag)) {
      throw new CliError(`listen ${flag} ${TERMINAL_ONLY} ${flag} ….`);
    }
  }
  const { flags, positional } = readFlags('listen', words, ['--events', '-e']);
  if (positional.length > 0)
    throw new CliError(`listen takes only flags; "${positional.join(' ')}" is left over.`);
  const events = flags.flatMap(([, value]) =>
    value
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
  if (events.length > MAX_LISTEN_EVENTS)
    throw new CliError(`listen follows at most ${MAX_LISTEN_EVENTS} event types.`);
  for (const name of events) {
    if (name !== '*' && !TRIGGER_EVENTS.includes(name)) {
      throw new CliError(
        `You're attempting to listen for "${name}", which isn't a valid event.${didYouMean(name, TRIGGER_EVENTS)}`,
      );
    }
  }
  return { kind: 'listen', events: events.includes('*') ? [] : events };
}
