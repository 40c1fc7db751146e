import qs from 'qs';
import { messages } from './messages.ts';
import { SandboxError } from './errors.ts';

/** Parameters as decoded from Stripe's bracket notation: strings, lists and hashes. */
export type Decoded = { [key: string]: DecodedValue };
export type DecodedValue = string | DecodedValue[] | { [key: string]: DecodedValue };

/** Bodies above this are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * A body the sandbox leaves unread (a 413, or any error answered before the body was
 * needed) is still read and dropped, up to this size, before the answer goes out: a
 * connection left with unread body bytes stalls the client's next request on it. Past
 * this, the answer closes the connection instead.
 */
const MAX_DRAINED_BYTES = 8 * MAX_BODY_BYTES;

/**
 * qs, with its limits set: five levels of brackets at most (deeper is an error, not a
 * silent cut), 1,000 parameters, lists of up to 100 items; prototype keys stay plain keys.
 * It accepts both `expand[]=a` and `expand[0]=a`, and brackets bare or percent-encoded.
 */
const QS_OPTIONS: qs.IParseOptions = {
  depth: 5,
  strictDepth: true,
  parameterLimit: 1000,
  arrayLimit: 100,
  throwOnLimitExceeded: true,
  allowPrototypes: false,
  plainObjects: true,
  allowDots: false,
  charset: 'utf-8',
};

/** Decodes a query string or form body, turning qs's limits into Stripe-shaped errors. */
export function decodeForm(text: string): Decoded {
  try {
    return qs.parse(text, QS_OPTIONS) as Decoded;
  } catch (error) {
    if (error instanceof RangeError && /depth/i.test(error.message)) {
      throw new SandboxError(400, messages.nestedTooDeep, { code: 'body_invalid' });
    }
    throw new SandboxError(400, messages.malformedBody, { code: 'body_invalid' });
  }
}

/**
 * Reads a request's body parameters. Only form encoding is accepted (what Stripe's SDKs
 * send); an empty body needs no content type. Bodies over 1 MB get a 413, counted as they
 * stream in, whatever Content-Length claims.
 */
export async function readBodyParams(request: Request): Promise<Decoded> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES)
    throw new SandboxError(413, messages.bodyTooLarge, { code: 'body_too_large' });
  const text = await readLimited(request);
  if (text.trim() === '') return {};
  const contentType = request.headers.get('content-type') ?? '';
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/x-www-form-urlencoded') {
    throw new SandboxError(400, messages.unsupportedContentType(contentType || '(none)'), {
      code: 'body_invalid',
    });
  }
  return decodeForm(text);
}

async function readLimited(request: Request): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      // Left for discardUnreadBody, which reads the rest before the 413 is sent.
      reader.releaseLock();
      throw new SandboxError(413, messages.bodyTooLarge, { code: 'body_too_large' });
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

/**
 * Reads and drops whatever the sandbox left unread of a request's body, so the connection
 * can carry the client's next request. False when too much is left (or declared) to be
 * worth reading: the response should then close the connection.
 */
export async function discardUnreadBody(request: Request): Promise<boolean> {
  if (!request.body || request.body.locked) return true;
  if (Number(request.headers.get('content-length') ?? '0') > MAX_DRAINED_BYTES) return false;
  const reader = request.body.getReader();
  let size = 0;
  while (size <= MAX_DRAINED_BYTES) {
    const { done, value } = await reader.read();
    if (done) return true;
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  return false;
}
