import { describe, expect, it } from 'vitest';
import { decodeBase32, totpCode } from './totp';

/** The SHA-1 seed of RFC 6238's test vectors, "12345678901234567890", in base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('totp code', () => {
  it.each([
    [59_000, '94287082'],
    [1_111_111_109_000, '07081804'],
    [1_234_567_890_000, '89005924'],
    [20_000_000_000_000, '65353130'],
  ])('matches the RFC 6238 vector at %i ms', (timeMs, expected) => {
    expect(totpCode(RFC_SECRET, timeMs, 8)).toBe(expected);
  });

  it('keeps leading zeros of six digits', () => {
    expect(totpCode(RFC_SECRET, 1_111_111_109_000)).toBe('081804');
  });

  it('decodes grouped lower-case base32', () => {
    expect(decodeBase32('gezd gnbv').toString()).toBe('12345');
  });

  it('rejects characters outside base32', () => {
    expect(() => decodeBase32('GEZD1')).toThrow('Invalid base32 character "1"');
  });
});
