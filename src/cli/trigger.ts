import type { TriggerCommand } from '../isomorphic/command-line/webhook-commands.ts';
import { sendCliRequest } from '../isomorphic/command-line/send.ts';
import {
  planTrigger,
  runFixture,
  TRIGGER_SUCCEEDED,
  TriggerError,
} from '../isomorphic/webhooks/trigger-fixtures.ts';
import type { Connection, Output } from './listen.ts';

/**
 * `keyway trigger <event>`: runs the event's fixture, one sandbox request after another, each
 * sent as every other CLI request is (sendCliRequest). The sandbox records the events, and a
 * running `keyway listen` hears of them. Resolves to the exit code.
 */
export async function runTrigger(
  command: TriggerCommand,
  connection: Connection,
  output: Output,
): Promise<number> {
  let steps;
  try {
    steps = planTrigger(command.event, command.flags);
  } catch (error) {
    if (!(error instanceof TriggerError)) throw error;
    output.err(error.message);
    return 1;
  }
  try {
    const refused = await runFixture(
      steps,
      (request) => sendCliRequest(request, { ...connection, source: 'api' }),
      output.out,
    );
    if (refused) {
      const { response } = refused;
      const message =
        (response.body as { error?: { message?: string } } | null)?.error?.message ??
        `The sandbox answered ${response.status}.`;
      output.err(`Trigger failed: ${message}`);
      return 1;
    }
  } catch (error) {
    output.err(
      error instanceof TriggerError
        ? `Trigger failed: ${error.message}`
        : `Trigger failed: could not reach ${connection.apiBase} (${(error as Error).message}).`,
    );
    return 1;
  }
  output.out(TRIGGER_SUCCEEDED);
  return 0;
}
