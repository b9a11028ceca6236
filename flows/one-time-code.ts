import { createHash, randomBytes } from 'node:crypto';
import type { LinkCodePurpose } from '../db/schema.js';

/**
 * One-time codes a person types in another chat or on the web page (`/link`, `/web`): 8 characters,
 * valid {@link ONE_TIME_CODE_TTL_MS}, used once, stored only as a hash.
 */

/** How long a code is valid, in ms (10 minutes). */
export const ONE_TIME_CODE_TTL_MS = 10 * 60_000;

/** No 0/O or 1/I, so a code read aloud or off a phone is typed right. 32 letters: 5 bits each. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

/** A fresh code, `ABCD-EFGH` (40 random bits; codes expire in minutes and work once). */
export function newOneTimeCode(): string {
  return formatOneTimeCode([...randomBytes(CODE_LENGTH)].map((b) => ALPHABET[b & 31]).join(''));
}

/** A canonical code as the bot writes it in messages: `ABCDEFGH` → `ABCD-EFGH`. */
export function formatOneTimeCode(canonical: string): string {
  return `${canonical.slice(0, 4)}-${canonical.slice(4)}`;
}

/** The canonical form of a typed code (case, dashes and spaces ignored), or undefined when it cannot be one. */
export function normaliseOneTimeCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

/** Codes are stored only as this hash: the table never holds a usable code. */
export function hashOneTimeCode(purpose: LinkCodePurpose, canonical: string): string {
  return createHash('sha256').update(`${purpose}\u0000${canonical}`).digest('hex');
}
