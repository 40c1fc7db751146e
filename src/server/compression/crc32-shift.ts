/**
 * Arithmetic on CRC-32 values as polynomials over GF(2), in zlib's reflected bit order
 * (the highest power of x is the lowest bit), as zlib's crc32_combine does it; Node does
 * not expose that. Appending n zero bytes to a message multiplies the linear part of its
 * CRC by x^(8n) modulo the CRC polynomial, which lets a CRC be updated for a change in the
 * middle of a message without reading the message again (see gzip-template.ts).
 */

/** The CRC-32 polynomial, reflected. */
const POLYNOMIAL = 0xedb88320;

/** a * b modulo the CRC-32 polynomial. */
export function multiplyCrc32(a: number, b: number): number {
  let product = 0;
  for (let bit = 0x80000000; a !== 0; bit >>>= 1) {
    if ((a & bit) !== 0) {
      product ^= b;
      a = (a ^ bit) >>> 0;
    }
    b = b & 1 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) modulo the polynomial for k = 0..31 (x^1 is 0x40000000 in reflected order). */
const POWERS_OF_X: number[] = [0x40000000];
for (let k = 1; k < 32; k++) POWERS_OF_X.push(multiplyCrc32(POWERS_OF_X[k - 1]!, POWERS_OF_X[k - 1]!));

/** x^(8 * byteLength) modulo the polynomial: what appending that many bytes multiplies by. */
export function crc32Shift(byteLength: number): number {
  let factor = 0x80000000; // x^0
  // x^(8n) is the product of x^(2^k) over the set bits k of 8n; x^(2^32) is x again.
  for (let n = byteLength, k = 3; n > 0; n = Math.floor(n / 2), k++) {
    if (n % 2 === 1) factor = multiplyCrc32(POWERS_OF_X[k % 32]!, factor);
  }
  return factor;
}
