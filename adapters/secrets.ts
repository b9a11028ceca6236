import { timingSafeEqual } from 'node:crypto';

/**
 * Constant-time comparison of a secret a caller presented (webhook secret, CSRF token) with the
 * expected one; a length mismatch still spends one comparison of the expected length. Shared by
 * the adapters, so there is one implementation to review.
 */
export function secretMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected.length === 0) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}
