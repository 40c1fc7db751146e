#!/usr/bin/env -S node --experimental-strip-types --disable-warning=ExperimentalWarning
/**
 * `npx keyway …` from a clone, or `keyway …` installed from a site's /cli/keyway.tgz: the
 * same commands as the docs' shell, run from a terminal against a Keyway sandbox. The key
 * comes from --api-key or KEYWAY_API_KEY; the server from --api-base or KEYWAY_API_BASE,
 * else the site the package came from (a clone: http://localhost:4321).
 */
import { helpText } from '../isomorphic/command-line/help.ts';
import { CliError, parseWords } from '../isomorphic/command-line/parse.ts';
import { sendCliRequest } from '../isomorphic/command-line/send.ts';
import { parseWebhookCommand } from '../isomorphic/command-line/webhook-commands.ts';
import { runListen, type Output } from './listen.ts';
import { defaultApiBase } from './site-default.ts';
import { runTrigger } from './trigger.ts';

const output: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

function noKey(): number {
  console.error(
    'No API key: pass --api-key sk_test_… or set KEYWAY_API_KEY. Your keys are on the dashboard.',
  );
  return 2;
}

/** `keyway listen` and `keyway trigger`; null when the words are another command. */
async function webhookCommand(argv: string[]): Promise<number | null> {
  const command = parseWebhookCommand(argv);
  if (!command) return null;
  const apiKey = command.apiKey ?? process.env.KEYWAY_API_KEY;
  if (!apiKey) return noKey();
  const connection = {
    apiKey,
    // An empty KEYWAY_API_BASE counts as unset, as a shell's `KEYWAY_API_BASE=` means.
    apiBase: command.apiBase ?? (process.env.KEYWAY_API_BASE || defaultApiBase()),
  };
  if (!URL.canParse(connection.apiBase) || !/^https?:$/.test(new URL(connection.apiBase).protocol)) {
    console.error('--api-base must be an http:// or https:// URL, such as http://localhost:4321.');
    return 2;
  }
  if (command.kind === 'trigger') return runTrigger(command, connection, output);
  // ^C stops listening: the stream is closed and the process ends with 0, as Stripe's CLI does.
  const stop = new AbortController();
  const quit = () => stop.abort();
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
  return runListen(command, connection, output, stop.signal);
}

async function main(argv: string[]): Promise<number> {
  let command;
  try {
    const webhook = await webhookCommand(argv);
    if (webhook !== null) return webhook;
    command = parseWords(argv);
  } catch (error) {
    if (error instanceof CliError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  if (command.kind === 'empty' || command.kind === 'help') {
    console.log(helpText(command.kind === 'help' ? command.topic : []));
    return 0;
  }
  if (command.kind === 'clear') return 0;
  const { request } = command;
  const apiKey = request.apiKey ?? process.env.KEYWAY_API_KEY;
  if (!apiKey) return noKey();
  // An empty KEYWAY_API_BASE counts as unset, as a shell's `KEYWAY_API_BASE=` means.
  const apiBase = request.apiBase ?? (process.env.KEYWAY_API_BASE || defaultApiBase());
  try {
    const response = await sendCliRequest(request, { apiKey, apiBase, source: 'api' });
    if (response.requestId)
      console.error(`${request.method} ${request.path} ${response.status} (${response.requestId})`);
    console.log(typeof response.body === 'string' ? response.body : JSON.stringify(response.body, null, 2));
    return response.status < 400 ? 0 : 1;
  } catch (error) {
    console.error(
      `Could not reach ${apiBase}: ${(error as Error).message}. Is the Keyway server running (npm start)?`,
    );
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
