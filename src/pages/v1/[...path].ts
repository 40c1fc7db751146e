import type { APIContext } from 'astro';
import { loadConfig } from '../../lib/config.ts';
import { serveSandbox } from '../../sandbox/serve.ts';

const config = loadConfig();

/**
 * The sandbox API under Astro (`astro dev`, and any server without src/server/main.ts).
 * The production server answers `/v1` itself, without Astro's per-request pipeline.
 */
export function ALL(context: APIContext): Promise<Response> {
  return serveSandbox(config, context.request, context.clientAddress);
}
