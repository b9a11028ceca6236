import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ZaloCredentials } from './zca.js';

/** Thrown when the credentials file is missing or unreadable: a QR login is needed. */
export class CredentialsMissingError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`zalo personal: no usable credentials at ${path} (${reason}); run \`liaison zalo login\``);
    this.name = 'CredentialsMissingError';
  }
}

/**
 * Seals and opens the file's content (the deployment's `db/secret-box.ts` box, typed here so the
 * adapter imports nothing of db/). `open` returns a value from before encryption as is, and
 * throws when the value was sealed under another key.
 */
export interface CredentialsBox {
  seal(plain: string): string;
  open(stored: string): string;
}

/** The saved session, and whether the file still held it in clear (written by an earlier version). */
export interface SavedCredentials {
  credentials: ZaloCredentials;
  clear: boolean;
}

/** Reads the saved `{cookie, imei, userAgent}`; throws {@link CredentialsMissingError}. */
export async function readCredentials(path: string, box: CredentialsBox): Promise<ZaloCredentials> {
  return (await readSavedCredentials(path, box)).credentials;
}

/**
 * Reads the credentials file: sealed (`v1.…`, this version) or a clear JSON file an earlier version
 * wrote. Throws {@link CredentialsMissingError}, also when it was sealed under another key.
 */
export async function readSavedCredentials(path: string, box: CredentialsBox): Promise<SavedCredentials> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (err) {
    throw new CredentialsMissingError(path, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'unreadable');
  }
  const clear = text.startsWith('{');
  let plain: string;
  try {
    plain = clear ? text : box.open(text);
  } catch {
    throw new CredentialsMissingError(path, 'encrypted under another key: SECRETS_KEY or the key file changed');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain);
  } catch {
    throw new CredentialsMissingError(path, 'not JSON');
  }
  if (!isCredentials(parsed)) throw new CredentialsMissingError(path, 'missing cookie, imei or userAgent');
  return { credentials: parsed, clear };
}

function isCredentials(value: unknown): value is ZaloCredentials {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.cookie) && typeof v.imei === 'string' && v.imei.length > 0
    && typeof v.userAgent === 'string' && v.userAgent.length > 0;
}

/**
 * Writes the credentials sealed by `box`, mode 600 (owner read/write only): they are the
 * account's session. Written to a temporary file then renamed, so a crash never leaves half a
 * file; the folder is created (mode 700) when missing.
 */
export async function writeCredentials(path: string, credentials: ZaloCredentials, box: CredentialsBox): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${box.seal(JSON.stringify(credentials))}\n`, { mode: 0o600 });
  // writeFile's mode applies only when it creates the file; a leftover tmp keeps its old mode.
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

/**
 * The cookie fields that make the session: what Zalo sets. tough-cookie's bookkeeping
 * (`lastAccessed` changes on every request, `creation`, `creationIndex`) is left out, or the file
 * would be rewritten after every send.
 */
const SESSION_FIELDS = ['key', 'value', 'domain', 'path', 'expires', 'maxAge', 'secure', 'httpOnly', 'hostOnly', 'sameSite'] as const;

/** A stable text of a cookie jar's session fields, to tell whether Zalo changed the session since the last save. */
export function cookieFingerprint(cookies: unknown[]): string {
  const rows = cookies.map((cookie) => {
    const c = typeof cookie === 'object' && cookie !== null ? (cookie as Record<string, unknown>) : {};
    return JSON.stringify(SESSION_FIELDS.map((f) => c[f] ?? null));
  });
  return JSON.stringify(rows.sort());
}
