/**
 * Generates ULIDs: 48 bits of millisecond time and 80 random bits, in Crockford base 32.
 * Kept here so `shared/` has no runtime dependency; it uses the Web Crypto API that both
 * Node.js and browsers provide.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function ulid(time: number = Date.now()): string {
  let timePart = '';
  let remaining = time;
  for (let i = 0; i < 10; i++) {
    timePart = ALPHABET[remaining % 32] + timePart;
    remaining = Math.floor(remaining / 32);
  }
  const random = new Uint8Array(16);
  crypto.getRandomValues(random);
  let randomPart = '';
  for (const byte of random) randomPart += ALPHABET[byte % 32];
  return timePart + randomPart;
}
