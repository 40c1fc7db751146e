import qs from 'qs';
import type { KeywayConfig } from '../../lib/config/config.ts';
import { serveSandbox } from '../../sandbox/serve.ts';
import type { Caller } from './caller.ts';

/** A call an assistant makes in the caller's sandbox. */
export interface SandboxCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** `/v1/customers`, `/v1/customers/cus_…`. */
  path: string;
  /** Parameters as JSON; nested objects and lists become Stripe's bracket notation. */
  params?: Record<string, unknown>;
  idempotencyKey?: string;
}

/** The sandbox's answer: its status, request id and JSON body. */
export interface SandboxAnswer {
  status: number;
  requestId: string | null;
  body: unknown;
}

/**
 * Makes a sandbox request for an MCP caller, in process, through the very handler `/v1`
 * uses (serveSandbox): the caller's key is checked again, the per-key rate limit counts it,
 * a restricted key's permissions apply, and it is logged with source `mcp` and told to the
 * reader's live walkthrough, exactly like a request from their own code.
 */
export async function callSandbox(
  config: KeywayConfig,
  caller: Caller,
  siteOrigin: string,
  clientAddress: string,
  call: SandboxCall,
): Promise<SandboxAnswer> {
  // Same encoding the sandbox decodes (qs, indices for lists), so every value arrives as sent.
  const encoded = qs.stringify(call.params ?? {}, { arrayFormat: 'indices' });
  const inBody = call.method === 'POST';
  const url = new URL(call.path, siteOrigin);
  if (!inBody && encoded) url.search = encoded;
  const headers: Record<string, string> = {
    authorization: `Bearer ${caller.presented}`,
    'keyway-source': 'mcp',
    'user-agent': 'Keyway MCP',
  };
  if (inBody) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
  const response = await serveSandbox(
    config,
    new Request(url, { method: call.method, headers, body: inBody ? encoded : null }),
    clientAddress,
  );
  return {
    status: response.status,
    requestId: response.headers.get('request-id'),
    body: (await response.json()) as unknown,
  };
}
