/**
 * Every declared operation's sample, in every language this machine can parse, with every
 * parameter the operation takes: the samples are generated from the API declaration, so a
 * new operation or parameter is checked here without anyone writing its sample by hand.
 * Languages we cannot run here are parsed with their own toolchains from Debian: `php -l`
 * (php-cli), `ruby -c` (ruby) and `gofmt -e` (golang-go). Node's and Python's samples
 * are parsed here too, and also run against the sandbox in tests/sandbox/snippets.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Rule } from '../../src/spec/rules.ts';
import { OPERATIONS, type OperationSpec } from '../../src/spec/operations.ts';
import { TOKENS, type ApiCall, type ParamValue, type Params } from '../../src/isomorphic/api-call.ts';
import { SAMPLE_LANGUAGES, type LanguageId } from '../../src/lib/snippets/languages/index.ts';
import { resolveApiCall } from '../../src/isomorphic/resolve-call.ts';

/** A string that needs escaping in every language: quotes, a backslash, interpolation marks. */
const AWKWARD = `O'Brien "Jr" \\ $5 #{x} \${y} {z}`;

/** A value for a parameter of this rule, with every nested field filled. */
function exampleValue(rule: Rule): ParamValue {
  switch (rule.kind) {
    case 'string':
      return rule.oneOf?.[0] ?? (rule.format === 'email' ? 'jenny.rosen@example.com' : AWKWARD);
    case 'integer':
      return rule.min ?? -500;
    case 'metadata':
      return { order_id: '6735', note: AWKWARD };
    case 'list':
      return ['en', 'fr-CA'];
    case 'range':
      return { gte: 1700000000, lt: 1800000000 };
    case 'object':
      return Object.fromEntries(
        Object.entries(rule.fields).map(([name, field]) => [name, exampleValue(field)]),
      );
  }
}

/** The operation called with every parameter it takes, and again with each unsettable one unset. */
function callsOf(operation: OperationSpec): Array<[string, ApiCall]> {
  const path = operation.path.replace('{id}', 'cus_NffrFeUfNV2Hib');
  const every: Params = Object.fromEntries(
    Object.entries(operation.params).map(([name, rule]) => [name, exampleValue(rule)]),
  );
  const unset: Params = Object.fromEntries(
    Object.entries(operation.params)
      .filter(([, rule]) => rule.kind === 'metadata' || ('unsettable' in rule && rule.unsettable))
      .map(([name]) => [name, '']),
  );
  const calls: Array<[string, ApiCall]> = [
    [`${operation.id}, every parameter`, resolveApiCall(operation.method, path, every)],
  ];
  if (Object.keys(unset).length > 0)
    calls.push([`${operation.id}, unsetting`, resolveApiCall(operation.method, path, unset)]);
  return calls;
}

/** The samples as a reader copies them: tokens filled with a key and this site's origin. */
function filled(code: string): string {
  const values: Record<string, string> = {
    [TOKENS.secretKey]: 'sk_test_0123456789abcdefghijklmn',
    [TOKENS.publishableKey]: 'pk_test_0123456789abcdefghijklmn',
    [TOKENS.apiBase]: 'http://localhost:4321',
    [TOKENS.apiHost]: 'localhost',
    [TOKENS.apiPort]: '4321',
    [TOKENS.apiProtocol]: 'http',
    [TOKENS.customerId]: 'cus_NffrFeUfNV2Hib',
    [TOKENS.eventId]: 'evt_1NG8Du2eZvKYlo2CUI79vXWy',
  };
  let out = code;
  for (const [token, value] of Object.entries(values)) out = out.replaceAll(token, value);
  return out;
}

const folder = mkdtempSync(join(tmpdir(), 'keyway-sample-syntax-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/**
 * How each language is parsed: the command and the file name it wants. Java and .NET have
 * no parser here without their SDKs' packages (Maven and NuGet are out of reach), so their
 * samples are checked by the snapshot tests in snippet-languages.test.ts only.
 */
const PARSERS: Partial<
  Record<LanguageId, { file: string; command: (file: string) => [string, string[]]; install: string }>
> = {
  curl: { file: 'sample.sh', command: (file) => ['bash', ['-n', file]], install: 'bash' },
  cli: { file: 'sample.sh', command: (file) => ['bash', ['-n', file]], install: 'bash' },
  node: { file: 'sample.mjs', command: (file) => [process.execPath, ['--check', file]], install: 'node' },
  python: {
    file: 'sample.py',
    command: (file) => ['python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', file]],
    install: 'python3',
  },
  ruby: { file: 'sample.rb', command: (file) => ['ruby', ['-c', file]], install: 'ruby' },
  php: { file: 'sample.php', command: (file) => ['php', ['-l', file]], install: 'php-cli' },
  go: { file: 'sample.go', command: (file) => ['gofmt', ['-e', file]], install: 'golang-go' },
};

const CALLS = (OPERATIONS as readonly OperationSpec[]).flatMap(callsOf);

describe.each(SAMPLE_LANGUAGES.filter((language) => PARSERS[language.id]))(
  '$label samples parse',
  (language) => {
    const parser = PARSERS[language.id]!;
    it.each(CALLS)('%s', (_name, call) => {
      const file = join(folder, `${language.id}-${parser.file}`);
      writeFileSync(file, filled(language.generate(call)));
      const [command, args] = parser.command(file);
      const result = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 });
      expect(result.error, `${command} is missing (apt-get install -y ${parser.install})`).toBeUndefined();
      expect(result.status, `${command} ${args.join(' ')}:\n${result.stdout}${result.stderr}`).toBe(0);
    });
  },
);
