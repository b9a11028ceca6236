import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encryption of stored credentials (Zalo OA tokens, the VAPID private key, the personal Zalo
 * session file) with AES-256-GCM under the deployment's key
 * (`SECRETS_KEY`, or the key file `src/secrets-key.ts` makes). A sealed value reads
 * `v1.<iv>.<tag>.<ciphertext>` (base64url): a fresh 96-bit IV each time, so equal tokens never
 * look equal at rest; the tag makes a changed value or a wrong key fail instead of decrypting to
 * garbage. Anything else is a value stored before encryption (opened as is, sealed at start).
 */

/** A value could not be decrypted: another key (SECRETS_KEY or the key file changed) or a damaged value. */
export class SecretsKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsKeyError';
  }
}

/** Seals and opens stored secrets with one key. */
export interface SecretBox {
  /** The sealed form of `plain` (`v1.…`). */
  seal(plain: string): string;
  /** The clear text of a sealed value; a value stored before encryption is returned as is. @throws {SecretsKeyError} */
  open(stored: string): string;
}

/** Length of the key, in bytes (AES-256). */
export const SECRET_KEY_BYTES = 32;
const PREFIX = 'v1.';

/** True when `stored` is sealed (not a value from before encryption). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** A lookup hash of a secret (SHA-256, hex): compare-and-swap by value without storing it in clear. */
export function secretLookupHash(secret: string): string {
  return createHash('sha256').update(`secret\u0000${secret}`).digest('hex');
}

/** The box for a {@link SECRET_KEY_BYTES}-byte key. */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== SECRET_KEY_BYTES) throw new SecretsKeyError(`the secrets key must be ${SECRET_KEY_BYTES} bytes, not ${key.length}`);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${PREFIX}${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${data.toString('base64url')}`;
    },
    open(stored) {
      if (!isSealed(stored)) return stored;
      const [iv, tag, data] = stored.slice(PREFIX.length).split('.');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv ?? '', 'base64url'));
        decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(data ?? '', 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretsKeyError('a stored secret cannot be decrypted with this key (SECRETS_KEY or the key file changed, or the value is damaged)');
      }
    },
  };
}
