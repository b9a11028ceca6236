import { createReadStream } from 'node:fs';
import { chmod, mkdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where file bytes live, each once under a key (`sha256/<hex>`, `quarantine/<hex>`). Bytes go in
 * from a finished temporary file (already hashed and checked) and come out as a stream: nothing
 * here holds a whole file in memory.
 */
export interface BlobStore {
  /** `folder` or `s3`, for logs and health. */
  readonly kind: string;
  /** Moves (or copies) the finished file at `path`, `sizeBytes` long, under `key`; `path` is gone afterwards. */
  putFile(key: string, path: string, sizeBytes: number): Promise<void>;
  /** True when `key` holds bytes. */
  has(key: string): Promise<boolean>;
  /** Streams the bytes under `key`; throws {@link BlobMissingError} when there are none. */
  open(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
}

/** No bytes under this key. */
export class BlobMissingError extends Error {
  constructor(readonly key: string) {
    super(`blob store: nothing under ${key}`);
    this.name = 'BlobMissingError';
  }
}

const KEY = /^[a-z][a-z0-9]*\/[0-9a-f]{64}$/;

/** Keys are ours, never a person's input; anything else is a bug (and must not reach the file system). */
export function assertKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`blob store: bad key ${JSON.stringify(key).slice(0, 80)}`);
}

/**
 * A private folder (700, files 600): `<dir>/<prefix>/<ab>/<hex>`. A rename when the temporary
 * file is on the same file system (it is: the temporary folder is inside `dir`).
 */
export function createFolderBlobStore(dir: string): BlobStore {
  const pathOf = (key: string) => {
    assertKey(key);
    const [prefix, hex] = key.split('/') as [string, string];
    return join(dir, prefix, hex.slice(0, 2), hex);
  };
  return {
    kind: 'folder',
    async putFile(key, path) {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      await chmod(path, 0o600);
      await rename(path, target);
    },
    async has(key) {
      return stat(pathOf(key)).then((s) => s.isFile(), () => false);
    },
    async open(key) {
      const path = pathOf(key);
      if (!(await stat(path).then((s) => s.isFile(), () => false))) throw new BlobMissingError(key);
      return createReadStream(path);
    },
    async delete(key) {
      await unlink(pathOf(key)).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'ENOENT') throw err; });
    },
  };
}
