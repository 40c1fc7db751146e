// What the benchmarks and the Lighthouse run need first: a built site, and the production
// server on a free loopback port with a fresh SQLite file, ready to answer. Stopped (and
// its file removed) by stop() or when the process exits.
//
// BENCH_CPU_PROF=<dir> runs the server under `--cpu-prof`: its profile is written to <dir>
// when it stops, beside `phases.<pid>.json`, the time window of each load the bench marked
// with phase(), so that one load's frames can be read apart from sign-ups and the other
// loads (`npm run bench:profile-top -- <dir> --phase create`; see top-frames.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { serverArguments } from '../../scripts/server-command.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export async function startBenchServer(env = {}) {
  if (!existsSync(`${root}dist/node-server/main.mjs`) || process.env.BENCH_BUILD === '1') {
    console.log('Building the site…');
    const build = spawnSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    if (build.status !== 0) process.exit(1);
  }
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(`${tmpdir()}/keyway-bench-`);
  const profileDir = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const server = spawn(
    process.execPath,
    [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...serverArguments(root)],
    {
      cwd: root,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: `file:${dataDir}/keyway.sqlite`,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => server.once('exit', resolve));
  let stopped = false;
  const kill = () => {
    if (stopped) return;
    stopped = true;
    server.kill('SIGTERM');
  };
  // Waits for the server to finish (it writes its CPU profile, if asked, as it exits).
  // V8 stamps profile samples in microseconds of the monotonic clock hrtime reads too.
  const phases = [];
  const now = () => Number(process.hrtime.bigint() / 1000n);
  const phase = async (name, run) => {
    const from = now();
    try {
      return await run();
    } finally {
      phases.push({ name, from, to: now() });
    }
  };
  const stop = async () => {
    if (profileDir && !stopped)
      writeFileSync(`${profileDir}/phases.${server.pid}.json`, JSON.stringify(phases, null, 2));
    kill();
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('exit', () => {
    kill();
    rmSync(dataDir, { recursive: true, force: true });
  });
  // Ready when it says it listens: no request has been made yet, so the memory read just
  // after is the server's own at start.
  await new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('The server did not start.')), 60_000);
    server.once('exit', (code) => reject(new Error(`The server exited (${code}) before it listened.`)));
    server.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk;
      if (output.includes('Keyway is serving')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { base, stop, phase, pid: server.pid, memory: () => memoryOf(server.pid) };
}

/**
 * The server's memory from the kernel, in MB: resident now (VmRSS) and the most it has been
 * resident since it started (VmHWM), which catches a peak between two reads.
 */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1]) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

/** The memory lines both benches print, against the goals. */
export function memoryLines(atStart, afterLoads) {
  return [
    `  server RSS right after start, before any request: ${atStart.rss.toFixed(0)} MB (goal < 150 MB)`,
    `  server peak RSS after the loads (VmHWM): ${afterLoads.peak.toFixed(0)} MB (goal < 200 MB; RSS now ${afterLoads.rss.toFixed(0)} MB)`,
  ];
}

/** Signs a new reader up through the form, as a browser would; returns their session cookie. */
export async function signUp(base, email) {
  const response = await fetch(`${base}/signup`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: 'correct horse battery' }),
  });
  const session = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .find((pair) => pair.startsWith('kw_session='));
  if (!session) throw new Error(`Sign-up failed: ${response.status}`);
  return session;
}

/** Prints the figures this bench measures, each with its goal, met or not. */
export function printSummary(rows) {
  console.log('\nSummary (issue step 8)');
  const width = Math.max(...rows.map((row) => row[0].length));
  const valueWidth = Math.max(...rows.map((row) => row[1].length));
  for (const [measure, value, goal, met] of rows)
    console.log(
      `  ${measure.padEnd(width)}  ${value.padEnd(valueWidth)}  goal ${goal.padEnd(9)} ${met ? 'met' : 'NOT MET'}`,
    );
}

/** The summary rows for the server's memory goals: RSS at start (< 150 MB), peak after the loads (< 200 MB). */
export function memoryRows(atStart, after) {
  return [
    ['server RSS right after start', `${atStart.rss.toFixed(0)} MB`, '< 150 MB', atStart.rss < 150],
    ['server peak RSS after the loads', `${after.peak.toFixed(0)} MB`, '< 200 MB', after.peak < 200],
  ];
}
