import { EVENT_TYPES } from '../../spec/event-types.ts';
import { invalidEventWarning } from '../webhooks/listen-events.ts';
import { CliError, tokenize } from './parse.ts';
import { didYouMean } from './suggest.ts';
import { parseWebhookCommand, type ListenCommand, type TriggerCommand } from './webhook-commands.ts';

/**
 * `trigger` and `listen` as the docs' shell reads them: the terminal CLI's own reading
 * (`parseWebhookCommand`), with what only a terminal can do refused. The shell cannot reach a
 * reader's own machine, so its listen shows events and leaves forwarding to the terminal CLI.
 */
export type WebhookCommand = TriggerCommand | ListenCommand;

/** What a terminal can do that the shell cannot, and how to do it there. */
const TERMINAL_ONLY =
  'runs in a terminal, not in this shell: install keyway with the line in the CLI tab of the first request guide, then run keyway listen';

/**
 * Reads a `trigger …` or `listen …` line (after `keyway` or `stripe`, which are optional); null
 * for any other command. Throws CliError for a flag it does not know or a value it cannot use.
 */
export function parseWebhookLine(line: string): WebhookCommand | null {
  const words = tokenize(line.trim());
  const command = parseWebhookCommand(words);
  if (command?.kind !== 'listen') return command;
  const terminalOnly = words.find((word) =>
    ['--forward-to', '-f', '--print-secret', '--headers', '-H', '--skip-verify'].includes(
      word.split('=')[0]!,
    ),
  );
  if (terminalOnly) throw new CliError(`listen ${terminalOnly.split('=')[0]} ${TERMINAL_ONLY} ….`);
  // The terminal warns and listens on; here a typo would only ever show nothing, so it stops.
  if (command.invalidEvents.length > 0) {
    const name = command.invalidEvents[0]!;
    throw new CliError(`${invalidEventWarning(name)}.${didYouMean(name, EVENT_TYPES)}`);
  }
  return command;
}
