import { randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#$%*+-=?@^_';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

/**
 * Generates a 16-character temporary password with at least one upper-case letter,
 * lower-case letter, digit and symbol, as the user pool's password policy requires.
 * Look-alike characters (I, l, O, 0, 1) are left out because people type it from an email.
 */
export function generateTemporaryPassword(length = 16): string {
  const characters = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
  while (characters.length < length) characters.push(pick(ALL));
  for (let i = characters.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [characters[i], characters[j]] = [characters[j] as string, characters[i] as string];
  }
  return characters.join('');
}

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)] as string;
}
