import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatAdapter, InboundEvent, InboundFile, MessageEvent, Platform } from '../../adapters/types.js';
import { findAttachment } from '../../db/repositories/attachments.js';
import type { Db } from '../../db/client.js';
import type { Logger } from '../logger.js';
import { toStoredFile, type FileService } from './service.js';

/** Options of {@link createFilePreparer}. */
export interface FilePreparerOptions {
  db: Db;
  files: FileService;
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  logger: Logger;
  /** Attempts at fetching one file from its platform before the sender is told to send it again. Default 3. */
  attempts?: number;
  /** First wait between attempts, in ms (doubling). Default 1000. */
  retryMs?: number;
}

/** Where a web upload's id points: `upload:<attachment id>`. */
export const WEB_UPLOAD_REF = /^upload:([1-9][0-9]{0,14})$/;

/**
 * Fetches and stores the files of an inbound message before any flow sees it (outside the flow's
 * transaction: a 20 MB download must not hold the database). Each file ends up `stored` or
 * refused with a reason the flows tell the sender. Idempotent: a file is stored once per event
 * and position, so an event processed again after a crash stores nothing new.
 */
export function createFilePreparer(o: FilePreparerOptions): (event: InboundEvent) => Promise<InboundEvent> {
  return async (event) => {
    if (event.kind !== 'message' || !event.files?.length) return event;
    return { ...event, files: await prepareFiles(o, event) };
  };
}

async function prepareFiles(o: FilePreparerOptions, event: MessageEvent): Promise<InboundFile[]> {
  const { limits } = o.files;
  const out: InboundFile[] = [];
  let total = 0;
  for (const [index, file] of (event.files ?? []).entries()) {
    if (index >= limits.maxFilesPerMessage || total + (file.sizeBytes ?? 0) > limits.maxMessageBytes) {
      out.push({ ...file, stored: { refused: 'message_too_large' } });
      continue;
    }
    const stored = await prepareOne(o, event, file, index);
    if ('attachmentId' in stored) {
      total += stored.sizeBytes;
      if (total > limits.maxMessageBytes) {
        out.push({ ...file, stored: { refused: 'message_too_large' } });
        continue;
      }
    }
    out.push({ ...file, stored });
  }
  return out;
}

async function prepareOne(o: FilePreparerOptions, event: MessageEvent, file: InboundFile, index: number): Promise<NonNullable<InboundFile['stored']>> {
  const upload = event.platform === 'web' ? WEB_UPLOAD_REF.exec(file.ref) : null;
  if (event.platform === 'web') return upload ? webUpload(o, event, Number(upload[1])) : { refused: 'not_yours' };
  const adapter = o.adapters.get(event.platform);
  const caps = adapter?.capabilities.files;
  if (!adapter?.fetchFile || !caps) return { refused: 'fetch_failed' };
  const limit = Math.min(caps.maxDownloadBytes, o.files.limits.maxFileBytes);
  if (file.sizeBytes !== undefined && file.sizeBytes > limit) return { refused: 'too_large' };
  const attempts = o.attempts ?? 3;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const bytes = await adapter.fetchFile(file);
      return await o.files.save({
        bytes, sourceKey: `${event.platform}:${event.eventId}:${index}`, maxBytes: limit,
        ...(file.name ? { name: file.name } : {}), fallbackName: fallbackName(file, event, index),
      });
    } catch (err) {
      o.logger.warn({ platform: event.platform, eventId: event.eventId, index, attempt, err: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }, 'files: fetching a received file failed');
      if (attempt >= attempts) return { refused: 'fetch_failed' };
      await sleep((o.retryMs ?? 1000) * 2 ** (attempt - 1));
    }
  }
}

/** A file uploaded through the web page: only its own uploader may send it. */
async function webUpload(o: FilePreparerOptions, event: MessageEvent, id: number): Promise<NonNullable<InboundFile['stored']>> {
  const row = await findAttachment(o.db, id);
  if (!row || !row.source_key.startsWith(`web:${event.from.id}:`)) return { refused: 'not_yours' };
  return row.status === 'stored' ? toStoredFile(row) : { refused: 'infected' };
}

/** `anh-20261205-1`: a name for a photo that came without one (Telegram photos have none). */
function fallbackName(file: InboundFile, event: MessageEvent, index: number): string {
  const day = event.at.toISOString().slice(0, 10).replace(/-/g, '');
  return `${file.kind === 'image' ? 'anh' : 'tep'}-${day}-${index + 1}`;
}
