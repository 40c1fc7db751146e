// How the production server is run, for `npm start`, the tests and the benches alike: the
// plain-JavaScript bundle `astro build` writes (src/build/server-bundle/).
import { join } from 'node:path';

/** V8 flags the server runs with. */
export const SERVER_NODE_FLAGS = [];

/** The arguments to run the built server with `process.execPath`, from the repository `root`. */
export function serverArguments(root) {
  return [...SERVER_NODE_FLAGS, join(root, 'dist/node-server/main.mjs')];
}
