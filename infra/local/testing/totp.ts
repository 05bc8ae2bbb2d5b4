import { createHmac } from 'node:crypto';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes RFC 4648 base32, the encoding of authenticator secrets. Spaces and padding are ignored. */
export function decodeBase32(text: string): Buffer {
  const bytes: number[] = [];
  let buffer = 0;
  let bitCount = 0;
  for (const character of text.toUpperCase().replace(/[\s=]/g, '')) {
    const value = BASE32_ALPHABET.indexOf(character);
    if (value < 0) throw new Error(`Invalid base32 character "${character}"`);
    buffer = (buffer << 5) | value;
    bitCount += 5;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes.push((buffer >> bitCount) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/**
 * Returns the code that an authenticator app shows for `secret` (base32) at `timeMs`: TOTP
 * as RFC 6238 defines it, with HMAC-SHA1, 30-second steps and `digits` digits, as Cognito
 * uses it. Tests sign in with it as a user's app would.
 */
export function totpCode(secret: string, timeMs = Date.now(), digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(timeMs / 30_000)));
  const hmac = createHmac('sha1', decodeBase32(secret)).update(counter).digest();
  const offset = (hmac.at(-1) ?? 0) & 0x0f;
  const binary = hmac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}
