import type { APIContext } from 'astro';
import { loadConfig } from '../../lib/config/config.ts';
import { clientAddress } from '../../lib/http/client-address.ts';
import { serveSandbox } from '../../sandbox/serve.ts';

const config = loadConfig();

/**
 * The sandbox API under Astro (`astro dev`, and any server without src/server/main.ts).
 * The production server answers `/v1` itself, without Astro's per-request pipeline.
 */
export function ALL(context: APIContext): Promise<Response> {
  // The middleware passes /v1 by, so the client's address is worked out here, the same way.
  const client = clientAddress(
    context.clientAddress,
    context.request.headers.get('x-forwarded-for'),
    config.trustedProxies,
  );
  return serveSandbox(config, context.request, client);
}
