import { parse as tokenizeShell } from 'shell-quote';
import type { HttpMethod, Operation, ResourceName } from '../api-call.ts';
import { SAMPLE_OPERATIONS } from '../resolve-call.ts';
import { ID_PREFIXES, RESOURCES as DECLARED_RESOURCES } from '../../spec/resources.ts';
import { didYouMean } from './suggest.ts';

/**
 * Keyway's command line, as the in-browser shell, `npx keyway` and the docs' CLI tab write
 * it: `keyway customers create --email=jenny.rosen@example.com --name="Jenny Rosen" -d
 * "metadata[order]=6735"`. `stripe` is accepted for `keyway`, so commands from Stripe's
 * own guides work. Runs in the browser and in Node: no Node-only imports.
 */

/** A request the command asks for, ready to send. */
export interface CliRequest {
  method: HttpMethod;
  /** `/v1/customers/cus_123`. */
  path: string;
  /** Form pairs in the order given: the body of a POST, the query of a GET. */
  pairs: Array<[string, string]>;
  /** `--api-key`, when the command names a key. */
  apiKey?: string;
  /** `--api-base`, when the command names another server. */
  apiBase?: string;
}

export type Command =
  | { kind: 'request'; request: CliRequest }
  | { kind: 'help'; topic: string[] }
  | { kind: 'clear' }
  | { kind: 'empty' };

/** Why a command line was not understood; the message says what would work. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

const PROGRAM_NAMES = ['keyway', 'stripe'];
const GENERIC_VERBS: Record<string, HttpMethod> = { get: 'GET', post: 'POST', delete: 'DELETE' };
export const RESOURCES: readonly ResourceName[] = DECLARED_RESOURCES;

/** Operations of a resource, by action name. */
export function actionsOf(resource: ResourceName): Operation[] {
  return SAMPLE_OPERATIONS.filter((operation) => operation.resource === resource);
}

/** Splits a line into words as a POSIX shell would (quotes, backslashes), refusing shell syntax. */
export function tokenize(line: string): string[] {
  const joined = line.replace(/\\\r?\n/g, ' ');
  if (hasUnclosedQuote(joined))
    throw new CliError('This command has an unclosed quote. Close it and try again.');
  // Variables stay as written: the shell has no environment to expand them from.
  const entries = tokenizeShell(joined, (name) => `$${name}`);
  const words: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') words.push(entry);
    else if ('comment' in entry) break;
    else if (entry.op === 'glob') words.push(entry.pattern);
    else {
      throw new CliError(
        `The shell runs one command at a time: "${entry.op}" is not supported. Quote it if it is part of a value.`,
      );
    }
  }
  return words;
}

/** Whether a line ends inside quotes (shell-quote would silently close them). */
function hasUnclosedQuote(line: string): boolean {
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote === "'") {
      if (char === "'") quote = null;
    } else if (char === '\\') {
      i++;
    } else if (quote === '"') {
      if (char === '"') quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
    }
  }
  return quote !== null;
}

/** Parses one command line. Throws CliError with a helpful message when it cannot. */
export function parseCommand(line: string): Command {
  return parseWords(tokenize(line.trim()));
}

/** Parses words already split by a shell (the terminal CLI's argv). */
export function parseWords(input: readonly string[]): Command {
  const words = [...input];
  if (words.length === 0) return { kind: 'empty' };
  if (PROGRAM_NAMES.includes(words[0]!)) words.shift();
  const [first, ...rest] = words;
  if (first === undefined) return { kind: 'help', topic: [] };
  if (first === 'help' || first === '--help' || first === '-h') return { kind: 'help', topic: rest };
  if (first === 'clear') return { kind: 'clear' };
  if (first in GENERIC_VERBS) return { kind: 'request', request: parseGeneric(GENERIC_VERBS[first]!, rest) };
  if ((RESOURCES as string[]).includes(first))
    return { kind: 'request', request: parseResource(first as ResourceName, rest) };
  throw new CliError(
    `Unknown command "${first}".${didYouMean(first, [...RESOURCES, 'get', 'post', 'delete', 'help', 'clear'])} Type help to see the commands.`,
  );
}

interface Options {
  positional: string[];
  flags: Array<[string, string]>;
  data: Array<[string, string]>;
  apiKey?: string;
  apiBase?: string;
}

/** Reads `--name=value`, `--name value`, `-d key=value` and positional words. */
function readOptions(words: string[]): Options {
  const options: Options = { positional: [], flags: [], data: [] };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const takeValue = (name: string): string => {
      const value = words[++i];
      if (value === undefined) throw new CliError(`${name} needs a value, e.g. ${name}=value.`);
      return value;
    };
    if (word === '-d' || word === '--data') {
      options.data.push(splitPair(takeValue('-d')));
    } else if (word.startsWith('--')) {
      const [name, inline] = splitFlag(word);
      const value = inline ?? takeValue(`--${name}`);
      if (name === 'api-key') options.apiKey = value;
      else if (name === 'api-base') options.apiBase = value;
      else if (name === 'data') options.data.push(splitPair(value));
      else options.flags.push([name, value]);
    } else if (word.startsWith('-') && word.length > 1 && !/^-\d/.test(word)) {
      throw new CliError(`Unknown option ${word}. Use --name=value for parameters, or -d "name=value".`);
    } else {
      options.positional.push(word);
    }
  }
  return options;
}

function splitFlag(word: string): [string, string | undefined] {
  const body = word.slice(2);
  const index = body.indexOf('=');
  return index < 0 ? [body, undefined] : [body.slice(0, index), body.slice(index + 1)];
}

function splitPair(value: string): [string, string] {
  const index = value.indexOf('=');
  if (index <= 0)
    throw new CliError(`-d takes name=value, such as -d "metadata[order_id]=6735"; got "${value}".`);
  return [value.slice(0, index), value.slice(index + 1)];
}

/** `customers create …`, `customers retrieve cus_…`. */
function parseResource(resource: ResourceName, words: string[]): CliRequest {
  const operations = actionsOf(resource);
  const actions = operations.map((operation) => operation.action);
  const [action, ...rest] = words;
  if (!action || action.startsWith('-')) {
    throw new CliError(
      `${resource} needs an action: ${actions.join(', ')}. For example: keyway ${resource} ${actions[0]}.`,
    );
  }
  const operation = operations.find((candidate) => candidate.action === action);
  if (!operation) {
    throw new CliError(
      `Unknown action "${action}" for ${resource}.${didYouMean(action, actions)} Actions: ${actions.join(', ')}.`,
    );
  }
  const options = readOptions(rest);
  const needsId = operation.pathTemplate.includes('{id}');
  const example = `${ID_PREFIXES[resource]}_…`;
  if (needsId && options.positional.length === 0) {
    throw new CliError(
      `${resource} ${action} needs the id of the object: keyway ${resource} ${action} ${example}`,
    );
  }
  if (options.positional.length > (needsId ? 1 : 0)) {
    const extra = options.positional[needsId ? 1 : 0]!;
    throw new CliError(
      `Unexpected "${extra}". Parameters are written --name=value; quote values with spaces.`,
    );
  }
  const pairs: Array<[string, string]> = [];
  for (const [flag, value] of options.flags) {
    const name = flag.replaceAll('-', '_');
    checkParam(operation, name, `--${flag}`, (known) => `--${known.replaceAll('_', '-')}`);
    pairs.push([name, value]);
  }
  for (const [name, value] of options.data) {
    checkParam(operation, name.split('[')[0]!, name, (known) => known);
    pairs.push([name, value]);
  }
  const path = operation.pathTemplate.replace('{id}', encodeURIComponent(options.positional[0] ?? ''));
  insideApi(path, options.positional[0] ?? path);
  return withConnection({ method: operation.method, path, pairs }, options);
}

function checkParam(
  operation: Operation,
  name: string,
  shown: string,
  format: (known: string) => string,
): void {
  if (name in operation.params) return;
  const known = Object.keys(operation.params);
  throw new CliError(
    `Unknown parameter ${shown} for ${operation.resource} ${operation.action}.${didYouMean(name, known, format)}` +
      (known.length ? ` Parameters: ${known.map(format).join(', ')}.` : ' It takes no parameters.'),
  );
}

/** `get /v1/customers -d limit=3`: any path, parameters only through -d. */
function parseGeneric(method: HttpMethod, words: string[]): CliRequest {
  const options = readOptions(words);
  const [target, ...extra] = options.positional;
  if (!target)
    throw new CliError(`${method.toLowerCase()} needs a path, e.g. ${method.toLowerCase()} /v1/customers`);
  if (extra.length) throw new CliError(`Unexpected "${extra[0]}". Pass parameters with -d "name=value".`);
  if (options.flags.length) {
    const [flag] = options.flags[0]!;
    throw new CliError(`${method.toLowerCase()} takes parameters as -d "name=value", not --${flag}.`);
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:|^\/\//.test(target)) {
    throw new CliError(
      `Give the path alone, such as /v1/customers, not "${target}": --api-base chooses the server.`,
    );
  }
  if (target.includes('\\'))
    throw new CliError(`"${target}" has a backslash: paths are written with /, such as /v1/customers.`);
  const path = target.startsWith('/v1/') || target === '/v1' ? target : `/v1/${target.replace(/^\//, '')}`;
  insideApi(path, target);
  if (!/^\/v1(?:\/[A-Za-z0-9_.-]+)*$/.test(path))
    throw new CliError(`"${target}" is not a sandbox path such as /v1/customers.`);
  return withConnection({ method, path, pairs: options.data }, options);
}

/** A `.` or `..` segment, plain or percent-encoded: URL parsers resolve `%2e%2e` as `..` too. */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/** Refuses a path a URL parser would move elsewhere, out of /v1 even, before it is sent. */
function insideApi(path: string, shown: string): void {
  if (DOT_SEGMENT.test(path)) {
    throw new CliError(
      `"${shown}" leads outside the sandbox API (/v1): "." and ".." segments are not allowed.`,
    );
  }
}

function withConnection(request: CliRequest, options: Options): CliRequest {
  if (options.apiKey !== undefined) request.apiKey = options.apiKey;
  if (options.apiBase !== undefined) request.apiBase = options.apiBase;
  return request;
}
