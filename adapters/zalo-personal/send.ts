import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { sendMessageParts } from '../parts.js';
import {
  BadRequestError, ChatError, TransientError, type FileCapabilities, type OutboundFile, type OutboundMessage, type SendOptions, type SendResult,
} from '../types.js';
import { imageSize } from './image-size.js';
import type { ZcaSendQuote, ZcaSession } from './zca.js';

const MB = 1024 * 1024;

/**
 * What the personal account sends as files: photos (JPEG, PNG, WebP: zca-js's photo path), MP4
 * videos and any document, up to 25 MB each. zca-js holds a whole file in memory while it uploads
 * (it reads file paths with `readFile` too), so the bound is ours, far under Zalo's own
 * (`max_size_share_file_v3`, a server setting); larger files, GIFs (zca-js needs extra metadata
 * for them) and voice notes go as links. Inbound files have no platform limit known: the bot's
 * `FILES_MAX_MB` applies.
 */
export const ZALO_PERSONAL_FILE_CAPABILITIES: FileCapabilities = Object.freeze({
  maxUploadBytes: 25 * MB,
  maxDownloadBytes: 2048 * MB,
  kinds: Object.freeze(['image', 'document', 'video'] as const),
  mimeTypes: Object.freeze({ image: Object.freeze(['image/jpeg', 'image/png', 'image/webp']), video: Object.freeze(['video/mp4']) }),
});

/** A file send that has not answered after this long is given up as transient (a document's upload completes through the socket), in ms. */
export const FILE_SEND_TIMEOUT_MS = 120_000;

/** What {@link sendPersonalMessage} needs from the adapter. */
export interface PersonalSendDeps {
  session: ZcaSession;
  logger: Logger;
  /** Runs one send in the account's pace. */
  pace<T>(send: () => Promise<T>): Promise<T>;
  /** Maps what zca-js threw to our error (and notices an expired session). */
  toError(err: unknown): ChatError;
  /** The id recorded when Zalo accepts a message without returning one (zca-js #312). */
  standInId(): string;
  /** Default {@link FILE_SEND_TIMEOUT_MS}. */
  fileTimeoutMs?: number;
}

/**
 * Sends a message's text parts (the first quoting `quote`), then each file as its own message.
 * Files are not quoted: zca-js sends a quote only with text.
 */
export function sendPersonalMessage(
  deps: PersonalSendDeps, chatId: string, message: OutboundMessage, maxLength: number, quote: ZcaSendQuote | undefined, options: SendOptions,
): Promise<SendResult> {
  return sendMessageParts(message, maxLength, options, {
    text: (part) => accepted(deps, part.index, () => deps.session.sendText(chatId, part.text, part.first ? quote : undefined)),
    file: async (part) => {
      const data = await readBounded(part.file, ZALO_PERSONAL_FILE_CAPABILITIES.maxUploadBytes);
      const size = part.file.kind === 'image' ? imageSize(data) : undefined;
      const file = { data, fileName: part.file.name, ...(size ?? {}) };
      return accepted(deps, part.index, () => withTimeout(deps.session.sendFile(chatId, file), deps.fileTimeoutMs ?? FILE_SEND_TIMEOUT_MS, part.file));
    },
  });
}

async function accepted(deps: PersonalSendDeps, index: number, send: () => Promise<{ msgId: string | undefined }>): Promise<string> {
  const sent = await deps.pace(send).catch((err: unknown) => { throw deps.toError(err); });
  if (sent.msgId) return sent.msgId;
  // zca-js #312: Zalo can accept (and deliver) a message without returning its id. A retry would
  // deliver it twice, so it counts as sent; the stand-in id records that none came back (a reply
  // quoting it cannot be threaded).
  const standIn = deps.standInId();
  deps.logger.warn({ part: index, messageId: standIn }, 'zalo personal: Zalo accepted a message without returning its id (zca-js #312); counted as sent');
  return standIn;
}

/** The whole file in memory (zca-js needs a Buffer), refused past `max` bytes; a failing read is transient. */
async function readBounded(file: OutboundFile, max: number): Promise<Buffer> {
  let stream: Readable | undefined;
  try {
    stream = await file.open();
    return await collect(stream, max);
  } catch (err) {
    if (err instanceof ChatError) throw err;
    throw new TransientError(`zalo personal: reading file ${file.attachmentId} failed: ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
  } finally {
    stream?.destroy();
  }
}

async function collect(stream: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  {
    for await (const chunk of stream) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      size += b.length;
      if (size > max) throw new BadRequestError(`zalo personal: a file over ${max} bytes cannot be sent`);
      chunks.push(b);
    }
  }
  return Buffer.concat(chunks);
}

function withTimeout<T>(work: Promise<T>, ms: number, file: Pick<OutboundFile, 'attachmentId'>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TransientError(`zalo personal: sending file ${file.attachmentId} did not finish in ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
