import { createHash } from 'node:crypto';
import { secretMatches } from '../secrets.js';

/** Header carrying Zalo's event signature, `mac=<hex>` (the prefix is sometimes absent). */
export const SIGNATURE_HEADER = 'x-zevent-signature';
/** Header that may carry the event time (ms) when the body has none. */
export const TIMESTAMP_HEADER = 'x-zevent-timestamp';

/**
 * Zalo's event signature: lower-case hex of sha256(appId + rawBody + timestamp + OA secret key),
 * over the body exactly as received. The OA secret key is not the app secret.
 */
export function computeZaloSignature(appId: string, rawBody: Buffer | string, timestamp: string, oaSecretKey: string): string {
  return createHash('sha256')
    .update(appId, 'utf8')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .update(timestamp, 'utf8')
    .update(oaSecretKey, 'utf8')
    .digest('hex');
}

/** True when `header` (with or without `mac=`) is the signature of this body; constant time. */
export function signatureMatches(
  header: string | undefined, expected: { appId: string; rawBody: Buffer; timestamp: string; oaSecretKey: string },
): boolean {
  if (header === undefined) return false;
  const given = header.trim().replace(/^mac=/i, '').toLowerCase();
  return secretMatches(given, computeZaloSignature(expected.appId, expected.rawBody, expected.timestamp, expected.oaSecretKey));
}
