import { chmodSync, closeSync, existsSync, fchmodSync, lstatSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Everything the bot writes is readable by its own user only: the SQLite file and its WAL/SHM, the
 * private Redis's append-only files, the personal Zalo session, exports. They hold phone numbers,
 * tokens and message texts (issue #10, High).
 */

/** Files are created 600 and folders 700 from now on, in this process and the children it spawns (redis-server). */
export const PRIVATE_UMASK = 0o077;

/**
 * Sets the process umask to {@link PRIVATE_UMASK}, creates `dataDir` (700), and takes away group
 * and other access from what an earlier version left readable: `dataDir` and everything under it
 * (folders 700, files 600), and the given extra files when they exist (a SQLite file kept outside
 * `dataDir`, with its `-wal` and `-shm`). Symbolic links are left alone.
 */
export function makeDataPrivate(dataDir: string, extraFiles: readonly string[] = []): void {
  process.umask(PRIVATE_UMASK);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  restrictTree(dataDir);
  for (const file of extraFiles.flatMap((f) => [f, `${f}-wal`, `${f}-shm`, `${f}-journal`])) {
    if (existsSync(file) && lstatSync(file).isFile()) chmodSync(file, 0o600);
  }
}

function restrictTree(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    if ((stat.mode & 0o077) !== 0) chmodSync(path, 0o700);
    for (const name of readdirSync(path)) restrictTree(join(path, name));
    return;
  }
  if (stat.isFile() && (stat.mode & 0o077) !== 0) chmodSync(path, 0o600);
}

/**
 * Writes `data` to `path` readable by its owner only (600), also when the file already existed with
 * wider permissions: the mode is changed before the new contents are written, so they are never
 * readable by others, not even for a moment.
 */
export function writePrivateFile(path: string, data: string | Buffer): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset);
  } finally {
    closeSync(fd);
  }
}
