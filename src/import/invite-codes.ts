import { randomInt } from 'node:crypto';

/** Lower-case letters and digits without look-alikes (0/o, 1/l/i), easy to type after `/start`. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
/** 31^10 ≈ 8·10^14 codes: guessing one is out of reach, typing one is easy. */
const GENERATED_LENGTH = 10;

/** A random invite code from the cryptographic RNG, unambiguous and URL-safe. */
export function createInviteCode(): string {
  let code = '';
  for (let i = 0; i < GENERATED_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}
