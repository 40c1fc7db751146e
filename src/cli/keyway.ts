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
import { defaultApiBase } from './site-default.ts';

async function main(argv: string[]): Promise<number> {
  let command;
  try {
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
  if (!apiKey) {
    console.error(
      'No API key: pass --api-key sk_test_… or set KEYWAY_API_KEY. Your keys are on the dashboard.',
    );
    return 2;
  }
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
