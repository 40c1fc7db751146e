import type { TracedKey } from '../lib/keys/api-keys.ts';
import { SandboxError, type ErrorType } from './errors.ts';

/**
 * Whom a refused request can be traced to: a key of an account (an expired rolled key, a
 * publishable or live key), whose log and live walkthrough hear of it; or the secret sample
 * key of a guest sandbox that does not exist, named by its SHA-256 as api_keys stores it,
 * whose reader's walkthrough alone hears of it (there is no account to log it to).
 */
export type RefusalTrace = { key: TracedKey; maskedKey: string } | { guestKeyHash: string };

/**
 * A refusal of a key this site issued to someone: the reader who holds it is told on their
 * walkthrough, as a refusal of a key that belongs to no one is told to no one.
 */
export class TracedRefusal extends SandboxError {
  readonly trace: RefusalTrace;

  constructor(
    trace: RefusalTrace,
    status: number,
    message: string,
    options: { type?: ErrorType; code?: string; headers?: Record<string, string> } = {},
  ) {
    super(status, message, options);
    this.trace = trace;
  }
}
