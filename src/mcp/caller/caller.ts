import type { Kysely } from 'kysely';
import type { Database } from '../../lib/db/schema.ts';
import type { AuthenticatedKey } from '../../lib/keys/api-keys.ts';
import { allows, type Resource } from '../../lib/keys/permissions.ts';
import { authenticate } from '../../sandbox/auth.ts';
import { SandboxError } from '../../sandbox/errors.ts';
import type { GuestGate } from '../../sandbox/sample-key-auth.ts';

/** Who is calling the MCP server: the sandbox key they presented, as the sandbox authenticated it. */
export interface Caller {
  key: AuthenticatedKey;
  /** The key as sent: the in-process sandbox calls present it again, so they are checked as any call. */
  presented: string;
}

/** A key the MCP server will not serve, with the sandbox's status and message. */
export interface CallerRefusal {
  status: number;
  message: string;
}

/**
 * The caller of an MCP request. No `Authorization` header: null, an anonymous caller, who
 * gets the docs tools only. A header with a key the sandbox refuses (unknown, expired,
 * publishable, live) is a refusal, with the sandbox's own status and message: a caller who
 * meant to connect with a key and silently got a docs-only session would see their sandbox
 * tools missing and not know why.
 */
export async function identifyCaller(
  db: Kysely<Database>,
  request: Request,
  origin: string,
  guests: GuestGate,
): Promise<Caller | null | CallerRefusal> {
  if (!request.headers.get('authorization')) return null;
  try {
    const { key, presented } = await authenticate(db, request, origin, Date.now(), guests);
    return { key, presented };
  } catch (error) {
    if (error instanceof SandboxError) return { status: error.status, message: error.message };
    throw error;
  }
}

/** Whether a caller's key may read (or write) a resource: secret keys may do anything. */
export function callerMay(caller: Caller | null, resource: Resource, needed: 'read' | 'write'): boolean {
  if (!caller) return false;
  if (caller.key.kind !== 'restricted') return true;
  return allows(caller.key.permissions?.[resource] ?? 'none', needed);
}
