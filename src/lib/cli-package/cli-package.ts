import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLI_SITE_FILE, type CliSite } from '../../isomorphic/command-line/cli-site.ts';
import { contentEtag, originFile } from '../public-files/origin-file-cache.ts';
import { tarGzip } from './tarball.ts';

/** Where `astro build` writes the bundled CLI and its package.json: beside the server build, not served as files. */
export const CLI_BUILD_DIR = fileURLToPath(new URL('../../../dist/cli/', import.meta.url));

/** The bundled script's name inside the package (its package.json's `bin`). */
export const CLI_SCRIPT = 'keyway.mjs';

/** One origin's tarball, and its ETag. */
export interface CliTarball {
  body: Buffer;
  etag: string;
}

/** The built files, as `astro build` wrote them. */
export interface CliBuild {
  script: Buffer;
  manifest: Buffer;
}

/** Reads the built CLI from `dir` (by default dist/cli/). */
export function readCliBuild(dir = CLI_BUILD_DIR): CliBuild {
  return {
    script: readFileSync(`${dir}${CLI_SCRIPT}`),
    manifest: readFileSync(`${dir}package.json`),
  };
}

/**
 * The npm package for readers of `origin`: the built script and package.json, plus the site
 * file naming `origin`, so the installed `keyway` calls the site it came from. The origin is
 * written as JSON data, never into the script, so no Host header can add code.
 */
export function cliTarball(built: CliBuild, origin: URL): CliTarball {
  const body = cliPackageBody(built, origin);
  return { body, etag: contentEtag(body) };
}

/** The package's bytes alone (cliTarball without its ETag). */
function cliPackageBody(built: CliBuild, origin: URL): Buffer {
  const site: CliSite = { apiBase: origin.origin };
  return tarGzip([
    { path: 'package/package.json', content: built.manifest, mode: 0o644 },
    { path: `package/${CLI_SCRIPT}`, content: built.script, mode: 0o755 },
    { path: `package/${CLI_SITE_FILE}`, content: Buffer.from(`${JSON.stringify(site)}\n`), mode: 0o644 },
  ]);
}

let build: CliBuild | undefined;

/**
 * The tarball for one origin, made once rather than per request (kept while
 * ORIGIN_FILE_CACHE_BYTES allows), from the build read once per process.
 */
export function cliTarballFor(origin: URL): CliTarball {
  build ??= readCliBuild();
  return originFile('cli/keyway.tgz', origin.origin, () => cliPackageBody(build!, origin));
}
