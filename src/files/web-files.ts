import { randomUUID } from 'node:crypto';
import type { HttpResponse } from '../../adapters/types.js';
import { toTimelineFile, type WebFileStore } from '../../adapters/web/index.js';
import type { Db } from '../../db/client.js';
import { findAttachment, findUploadsBySourcePrefix, personOfIdentity } from '../../db/repositories/attachments.js';
import type { Attachment } from '../../db/schema.js';
import { localDate } from '../../flows/copy/format.js';
import { mayFetchFile } from '../../flows/files-access.js';
import type { Logger } from '../logger.js';
import { downloadHeaders } from './download-route.js';
import { toStoredFile, type FileService } from './service.js';

/** Types a page may show inline (`<img>`); everything else downloads as an attachment. */
const INLINE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

/** The source key of a web upload: `web:<owner id>:<uuid>` (the prepare hook checks the owner). */
export const uploadPrefix = (ownerId: string): string => `web:${ownerId}:`;

/** Options of {@link createWebFileStore}. */
export interface WebFileStoreOptions {
  db: Db;
  files: FileService;
  logger: Logger;
  now: () => Date;
}

/**
 * The web channel's files over the bot's file service: uploads are stored like any received file
 * (checked by their bytes, scanned, kept once per checksum) under the uploader's source key;
 * downloads are allowed to the uploader and to whoever may see the file's inquiry (checked on every
 * request, as for signed links).
 */
export function createWebFileStore(o: WebFileStoreOptions): WebFileStore {
  return {
    save: (ownerId, upload) => o.files.save({ bytes: upload.bytes, name: upload.name, sourceKey: `${uploadPrefix(ownerId)}${randomUUID()}`, fallbackName: 'tep' }),
    async download(ownerId, id, inline) {
      const file = await findAttachment(o.db, id);
      if (!file || !(await mayDownload(o, ownerId, file))) {
        if (file) o.logger.info({ attachmentId: id }, 'files: web download refused (not this person\'s file)');
        return undefined;
      }
      return { status: 200, headers: headersFor(file, inline), body: await o.files.open(file) } satisfies HttpResponse;
    },
    describe: async (ownerId, ids) => (await findUploadsBySourcePrefix(o.db, uploadPrefix(ownerId), ids)).map((a) => toTimelineFile(toStoredFile(a))),
  };
}

async function mayDownload(o: WebFileStoreOptions, ownerId: string, file: Attachment): Promise<boolean> {
  if (file.status !== 'stored') return false;
  if (file.source_key.startsWith(uploadPrefix(ownerId))) return true;
  const personId = await personOfIdentity(o.db, 'web', ownerId);
  return personId !== null && mayFetchFile(o.db, personId, file, localDate(o.now()));
}

/** The download headers; a photo asked `inline` is shown in the page (still `nosniff`, sandboxed), kept a few minutes. */
function headersFor(file: Attachment, inline: boolean): Record<string, string> {
  const headers = downloadHeaders(file);
  if (!inline || !INLINE_TYPES.has(file.mime_type)) return headers;
  return { ...headers, 'content-disposition': headers['content-disposition']!.replace(/^attachment/, 'inline'), 'cache-control': 'private, max-age=300' };
}
