// `npm run bench:profile-top -- <dir or .cpuprofile> [--phase <name>] [--count <n>]`: the
// functions that spent the most self time in a V8 CPU profile, with file:line, to read a
// profile on a machine with no browser. Profiles come from a bench run with the server under
// --cpu-prof:
//
//   BENCH_CPU_PROF=/tmp/prof BENCH_SECONDS=5 npm run bench:api
//   npm run bench:profile-top -- /tmp/prof --phase create
//   BENCH_CPU_PROF=/tmp/prof BENCH_SECONDS=5 npm run bench:pages
//   npm run bench:profile-top -- /tmp/prof --phase "page gzip"
//
// A directory means its newest .cpuprofile. --phase keeps the samples taken during the loads
// whose name (in phases.<pid>.json, written by bench-server.mjs) contains the text, so the
// sign-ups and the other loads of the run do not blur one load's frames; without it, the
// whole run counts and the phases are listed. Self time is each node's sample count times the
// mean sample interval, summed over every node of the same function (name, file, line), so
// a function reached by many call paths is counted once.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { phase: { type: 'string' }, count: { type: 'string', default: '15' } },
});
const target = positionals[0] ?? '.';
const count = Number(values.count);

let file = target;
if (statSync(target).isDirectory()) {
  const profiles = readdirSync(target)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(target, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (profiles.length === 0) throw new Error(`No .cpuprofile in ${target}`);
  file = profiles[0];
}

const profile = JSON.parse(readFileSync(file, 'utf8'));
const pid = file.match(/CPU\.\d+\.\d+\.(\d+)\./)?.[1];
const phasesFile = join(dirname(file), `phases.${pid}.json`);
const phases = existsSync(phasesFile) ? JSON.parse(readFileSync(phasesFile, 'utf8')) : [];
const windows = values.phase ? phases.filter((p) => p.name.includes(values.phase)) : undefined;
if (windows?.length === 0)
  throw new Error(
    `No phase named like "${values.phase}" in ${phasesFile}: ${phases.map((p) => p.name).join(', ')}`,
  );
if (!values.phase && phases.length) console.log(`Phases: ${phases.map((p) => p.name).join(', ')}`);

// Each sample's time is the profile's start plus the deltas so far (microseconds).
const hits = new Map();
let at = profile.startTime;
let samples = 0;
let totalUs = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i];
  at += delta;
  if (windows && !windows.some((w) => at >= w.from && at <= w.to)) continue;
  samples++;
  totalUs += delta;
  hits.set(profile.samples[i], (hits.get(profile.samples[i]) ?? 0) + 1);
}
const totalMs = totalUs / 1000;
const perSampleMs = totalMs / samples;

const byFunction = new Map();
for (const node of profile.nodes) {
  const selfSamples = hits.get(node.id) ?? 0;
  if (selfSamples === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${shorten(url)}:${lineNumber + 1}` : '(native or V8)';
  const key = `${functionName || '(anonymous)'}\t${where}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + selfSamples);
}

const idle = [...byFunction].filter(([key]) => /^\((idle|program|garbage collector)\)/.test(key));
const busySamples = samples - idle.reduce((sum, [, n]) => sum + n, 0);
console.log(
  `${file}${values.phase ? ` (phases: ${windows.map((w) => w.name).join(', ')})` : ''}: ` +
    `${(totalMs / 1000).toFixed(1)} s profiled, ${samples} samples, ` +
    `${((busySamples / samples) * 100).toFixed(0)}% not idle`,
);
console.log(`Top ${count} by self time (share of all samples):`);
for (const [key, n] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, count)) {
  const [name, where] = key.split('\t');
  console.log(
    `  ${((n / samples) * 100).toFixed(1).padStart(5)}%  ${(n * perSampleMs).toFixed(0).padStart(6)} ms  ${name}  ${where}`,
  );
}

function shorten(url) {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith(root) ? relative(root, path) : path;
}
