import type http from 'node:http';
import type { KeywayConfig } from '../lib/config/config.ts';
import { cliTarballFor } from '../lib/cli-package/cli-package.ts';
import { apiOrigin } from '../lib/http/api-origin.ts';
import { encrypted, sendPublicFile } from './public-file.ts';

/** Where readers get the terminal CLI: `npm install -g <origin>/cli/keyway.tgz`. */
export const CLI_PACKAGE_PATH = '/cli/keyway.tgz';

/**
 * The CLI as an npm package whose default --api-base is this site's origin (as the samples
 * name it: PUBLIC_ORIGIN, else a plain Host header, else localhost:4321). It holds no key, so
 * shared caches may keep it, revalidating by ETag; the origin is in the URL they key on.
 */
export function serveCliPackage(
  config: KeywayConfig,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): void {
  const { body, etag } = cliTarballFor(apiOrigin(config.publicOrigin, req.headers.host, encrypted(req)));
  sendPublicFile(config, req, res, {
    body,
    etag,
    headers: {
      'content-type': 'application/gzip',
      'content-disposition': 'attachment; filename="keyway.tgz"',
    },
  });
}
