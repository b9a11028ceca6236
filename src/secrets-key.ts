import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createSecretBox, SECRET_KEY_BYTES, SecretsKeyError, type SecretBox } from '../db/secret-box.js';

/** Where the key of stored secrets comes from (`SECRETS_KEY`, else `SECRETS_KEY_FILE`). */
export interface SecretsKeySource {
  /** `SECRETS_KEY`: 32 bytes as 64 hex digits or base64. Secret. */
  key?: string;
  /** `SECRETS_KEY_FILE` (default `DATA_DIR/secret.key`): used when `key` is unset; made (600) when missing. */
  keyFile: string;
}

/** 32 bytes from 64 hex digits or base64(url), or undefined when it is neither. */
export function parseSecretsKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  const b = Buffer.from(t, /[-_]/.test(t) ? 'base64url' : 'base64');
  return b.length === SECRET_KEY_BYTES ? b : undefined;
}

/**
 * The box for stored secrets. With no `SECRETS_KEY`, the key file is read, or created with a
 * fresh random key (mode 600, its folder 700) at the first start; every process of a deployment
 * must see the same key (several hosts: set `SECRETS_KEY`). Losing it loses the stored Zalo OA
 * tokens (`liaison zalo-oa tokens` installs them again), the personal Zalo session (`liaison zalo
 * login`) and the VAPID private key (`liaison push reset-keys --yes`; staff subscribe again).
 * @throws {SecretsKeyError} when the key or the key file's content is not 32 bytes.
 */
export function loadSecretBox(source: SecretsKeySource): SecretBox {
  if (source.key !== undefined) {
    const key = parseSecretsKey(source.key);
    if (!key) throw new SecretsKeyError('SECRETS_KEY must be 32 bytes: 64 hex digits or base64');
    return createSecretBox(key);
  }
  let text: string;
  try {
    text = readFileSync(source.keyFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dirname(source.keyFile), { recursive: true, mode: 0o700 });
    // Written whole under another name, then linked: link() is atomic and refuses an existing name,
    // so two processes starting at once agree on one key and neither reads a half-written file.
    const draft = `${source.keyFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(draft, `${randomBytes(SECRET_KEY_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(draft, source.keyFile);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(draft);
    }
    text = readFileSync(source.keyFile, 'utf8');
  }
  chmodSync(source.keyFile, 0o600);
  const key = parseSecretsKey(text);
  if (!key) throw new SecretsKeyError(`${source.keyFile} must hold 32 bytes as 64 hex digits`);
  return createSecretBox(key);
}
