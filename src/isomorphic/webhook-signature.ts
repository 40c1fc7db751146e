/**
 * Webhook signatures in Stripe's scheme, for the server's deliveries and for `keyway listen`
 * (terminal and browser), so both sign the same way: `Stripe-Signature: t=<unix seconds>,v1=<hex>`,
 * where v1 is HMAC-SHA256 over `<t>.<raw body>` keyed with the whole secret string, `whsec_`
 * included. Web Crypto, so it runs in Node and in the browser alike.
 */

const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The lowercase hex HMAC-SHA256 of `${timestamp}.${payload}` under `secret`. */
export async function webhookSignature(payload: string, secret: string, timestamp: number): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return hex(await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${payload}`)));
}

/** The `Stripe-Signature` header value for `payload` signed now (or at `timestamp`, Unix seconds). */
export async function webhookSignatureHeader(
  payload: string,
  secret: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): Promise<string> {
  return `t=${timestamp},v1=${await webhookSignature(payload, secret, timestamp)}`;
}
