import { createHash } from 'node:crypto';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

const encoder = new TextEncoder();

/** 120 random bits as 24 lower-case base32 characters, from the platform's CSPRNG. */
export function randomToken(): string {
  const bytes = new Uint8Array(15);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/**
 * SHA-256 of a string (as UTF-8), as lower-case hex. Node's own hash, not a JavaScript one:
 * a signed-in page view and every sandbox request hash a secret, and this is several times
 * cheaper for such short input.
 */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Compares two hex digests without an early exit that would leak where they differ. */
export function digestsEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  return left.length === right.length && constantTimeEqual(left, right);
}
