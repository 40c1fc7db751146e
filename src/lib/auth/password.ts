import { hash, verify } from '@node-rs/argon2';
import pLimit from 'p-limit';
import { COMMON_PASSWORDS } from './common-passwords.ts';

export const MIN_PASSWORD_LENGTH = 8;
/** Long enough for any passphrase, short enough that hashing cannot be made expensive. */
export const MAX_PASSWORD_LENGTH = 256;

/** argon2id with OWASP's recommended minimum cost (19 MiB, 2 passes, 1 lane). */
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/**
 * Hashes and checks running at once. Each takes 19 MiB on a thread of its own, and memory a
 * thread has used is not all given back: a burst of sign-ups on every thread of the pool left
 * the server holding about 60 MB more for good. Two at once keeps that to 38 MiB, and a sign-up
 * or sign-in waits at most for the ones ahead of it (each some tens of milliseconds).
 */
const hashing = pLimit(2);

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email = ''): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  }
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered) || (email && lowered === email.toLowerCase())) {
    return 'This password is too easy to guess. Choose a less common one.';
  }
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hashing(() => hash(password, ARGON2_OPTIONS));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  try {
    return await hashing(() => verify(passwordHash, password));
  } catch {
    return false;
  }
}

/**
 * A real hash of a random password, verified against when an email has no account, so
 * that a sign-in takes as long for an unknown email as for a known one.
 */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashing(() => hash(crypto.randomUUID(), ARGON2_OPTIONS));
  return decoyHash;
}
