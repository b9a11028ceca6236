import type { Readable } from 'node:stream';
import type { FileRefusal, HttpResponse, StoredFile } from '../types.js';
import type { TimelineFile } from './store.js';

/**
 * What the web channel needs to take and give files; the composition root implements it over the
 * bot's file service (the adapter never touches the blob store or the database itself).
 */
export interface WebFileStore {
  /**
   * Stores an upload of `ownerId` (streamed; read until the end or the limit): checked by its
   * bytes, scanned, kept once per checksum. Resolves with the file, or why it was refused.
   */
  save(ownerId: string, upload: { name: string; bytes: Readable }): Promise<StoredFile | { refused: FileRefusal }>;
  /**
   * The download of file `id` for `ownerId` (their own upload, or a file of an inquiry they may
   * see), as a complete answer: an attachment, or `inline` for a photo; undefined when the owner
   * may not have it (the route answers 404 either way).
   */
  download(ownerId: string, id: number, inline: boolean): Promise<HttpResponse | undefined>;
  /** Of `ids`, the files `ownerId` uploaded, as their timeline shows them (others left out). */
  describe(ownerId: string, ids: readonly number[]): Promise<TimelineFile[]>;
}
