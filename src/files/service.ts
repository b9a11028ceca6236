import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileRefusal, OutboundFile, StoredFile } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { findAttachmentBySource, insertAttachment } from '../../db/repositories/attachments.js';
import type { Attachment } from '../../db/schema.js';
import type { Logger } from '../logger.js';
import type { BlobStore } from './blob-store.js';
import { detectAllowedType, sanitiseFileName } from './checks.js';
import type { Scanner } from './clamd.js';

/** Size limits, in bytes and files. */
export interface FileLimits {
  /** Largest single file accepted. */
  maxFileBytes: number;
  /** Largest total of one message's files. */
  maxMessageBytes: number;
  /** Most files in one message. */
  maxFilesPerMessage: number;
}

/** One file to store: its bytes (a stream, read once) and where it came from. */
export interface FileInput {
  bytes: Readable;
  /** The name the sender gave (sanitised here), if any. */
  name?: string;
  /** Unique per received file (`telegram:<event>:<n>`): storing the same source again stores nothing. */
  sourceKey: string;
  /** A short base for a nameless file (`anh`, `tep`). */
  fallbackName: string;
  senderIdentityId?: number | null;
  /** Stop reading past this many bytes (default the per-file limit). */
  maxBytes?: number;
}

/** Stored, or refused (the sender is told why). */
export type StoreOutcome = StoredFile | { refused: FileRefusal };

/** Stores, checks and serves files. */
export interface FileService {
  readonly limits: FileLimits;
  readonly store: BlobStore;
  /**
   * Streams `input.bytes` into a private temporary file while hashing and counting (stopping past
   * the limit), checks the type by the bytes, scans it when a scanner is configured, and keeps it
   * in the blob store once per checksum. Throws only when the bytes could not be read or the
   * scanner could not be asked (the caller retries or tells the sender).
   */
  save(input: FileInput): Promise<StoreOutcome>;
  /** Streams a stored file's bytes. */
  open(attachment: Pick<Attachment, 'blob_key'>): Promise<Readable>;
  /** A stored file as an adapter sends it. */
  toOutbound(attachment: Attachment): OutboundFile;
  /** Deletes temporary files a stopped process left behind. */
  sweepTemporary(): Promise<number>;
}

/** Options of {@link createFileService}. */
export interface FileServiceOptions {
  db: Db;
  store: BlobStore;
  /** A private folder for files being received (700; inside `DATA_DIR`). */
  tmpDir: string;
  limits: FileLimits;
  scanner?: Scanner;
  logger: Logger;
  now: () => Date;
}

class TooLargeError extends Error {}

/** The stored-file view of a row. */
export function toStoredFile(a: Attachment): StoredFile {
  return { attachmentId: a.id, name: a.name, mimeType: a.mime_type, sizeBytes: a.size_bytes, kind: a.kind };
}

/** Creates the file service over a blob store. */
export function createFileService(o: FileServiceOptions): FileService {
  const save = async (input: FileInput): Promise<StoreOutcome> => {
    const earlier = await findAttachmentBySource(o.db, input.sourceKey);
    if (earlier) {
      input.bytes.destroy();
      return earlier.status === 'stored' ? toStoredFile(earlier) : { refused: 'infected' };
    }
    await mkdir(o.tmpDir, { recursive: true, mode: 0o700 });
    const tmp = join(o.tmpDir, randomUUID());
    try {
      return await receive(o, input, tmp);
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  };
  return {
    limits: o.limits,
    store: o.store,
    save,
    open: (a) => o.store.open(a.blob_key),
    toOutbound: (a) => ({ ...toStoredFile(a), sha256: a.sha256, open: () => o.store.open(a.blob_key) }),
    sweepTemporary: async () => {
      const names = await readdir(o.tmpDir).catch(() => [] as string[]);
      for (const name of names) await unlink(join(o.tmpDir, name)).catch(() => undefined);
      return names.length;
    },
  };
}

async function receive(o: FileServiceOptions, input: FileInput, tmp: string): Promise<StoreOutcome> {
  const hash = createHash('sha256');
  let size = 0;
  const limit = Math.min(input.maxBytes ?? o.limits.maxFileBytes, o.limits.maxFileBytes);
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > limit) return done(new TooLargeError());
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(input.bytes, counter, createWriteStream(tmp, { mode: 0o600 }));
  } catch (err) {
    if (err instanceof TooLargeError) return { refused: 'too_large' };
    throw err;
  }
  const type = await detectAllowedType(tmp);
  if (!type) {
    o.logger.info({ sourceKey: input.sourceKey, sizeBytes: size }, 'files: refused a file whose bytes are not an allowed type');
    return { refused: 'type_not_allowed' };
  }
  const sha256 = hash.digest('hex');
  const verdict = o.scanner ? await o.scanner(createReadStream(tmp)) : { clean: true as const };
  const blobKey = `${verdict.clean ? 'sha256' : 'quarantine'}/${sha256}`;
  if (await o.store.has(blobKey)) await unlink(tmp);
  else await o.store.putFile(blobKey, tmp, size);
  const row = await insertAttachment(o.db, {
    sha256, sizeBytes: size, mimeType: type.mimeType, kind: type.kind, name: sanitiseFileName(input.name, type.ext, input.fallbackName),
    blobKey, status: verdict.clean ? 'stored' : 'quarantined', sourceKey: input.sourceKey, senderIdentityId: input.senderIdentityId ?? null,
    createdAt: o.now().toISOString(),
  });
  if (!verdict.clean) {
    o.logger.warn({ attachmentId: row.id, signature: verdict.signature, sourceKey: input.sourceKey }, 'files: the virus scanner flagged a file; quarantined');
    return { refused: 'infected' };
  }
  return toStoredFile(row);
}
