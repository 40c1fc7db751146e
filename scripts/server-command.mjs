// How the production server is run, for `npm start`, the tests and the benches alike: the
// plain-JavaScript bundle `astro build` writes (src/build/server-bundle/), under V8 flags
// chosen for memory.
import { join } from 'node:path';

/**
 * `--optimize-for-size` makes V8 grow its heap in smaller steps and collect sooner. On the
 * page and API benches it took the server's peak RSS from about 235 to 180 MB with no loss of
 * requests per second that a run could tell from noise (four alternated 4 s loads of a
 * personalized page against each setting, in one run); `--max-semi-space-size=4` saved less
 * (about 200 MB) and lost about a seventh of the rate.
 */
export const SERVER_NODE_FLAGS = ['--optimize-for-size'];

/** The arguments to run the built server with `process.execPath`, from the repository `root`. */
export function serverArguments(root) {
  return [...SERVER_NODE_FLAGS, join(root, 'dist/node-server/main.mjs')];
}
