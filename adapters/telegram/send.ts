import { sendMessageParts, type FilePart } from '../parts.js';
import type { Telegram } from 'telegraf';
import {
  BadRequestError, type ChatError, encodeButtonData,
  type Button, type OutboundMessage, type SendOptions, type SendResult,
} from '../types.js';
import { SETTLED_ACTION } from './settle.js';

/** Remembers the `file_id` Telegram gave bytes this bot uploaded (keyed by SHA-256), so they are never uploaded twice. */
export interface TelegramFileIds {
  get(sha256: string): Promise<string | undefined>;
  put(sha256: string, fileId: string): Promise<void>;
}

/** Telegram's sendPhoto takes photos up to 10 MB; larger images go as documents. */
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/** Telegram's limit on one text message, in characters. */
export const TELEGRAM_MAX_TEXT_LENGTH = 4096;

type InlineKeyboard = { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
type SendMessageExtra = NonNullable<Parameters<Telegram['sendMessage']>[2]>;

/** What {@link sendTelegramMessage} needs from the adapter. */
export interface SendDeps {
  telegram: Pick<Telegram, 'sendMessage' | 'sendPhoto' | 'sendDocument'>;
  /** Maps anything the client throws to a {@link ChatError}. */
  toError: (err: unknown) => ChatError;
  /** Re-used uploads; absent: every file is uploaded. */
  fileIds?: TelegramFileIds;
}

/**
 * Sends a message as one or more plain-text parts of at most {@link TELEGRAM_MAX_TEXT_LENGTH}
 * characters, in order. Only part 0 replies to `message.replyTo`; only the last part carries the
 * buttons. Parts before `options.skipParts` are not sent; when every part was already sent the
 * result is `{messageId: '', messageIds: []}`.
 * @returns the ids of the parts sent by this call; `messageId` is the first of them.
 * @throws {ChatError} only; a failing `onPartSent` is wrapped in a {@link TransientError}.
 */
export async function sendTelegramMessage(
  deps: SendDeps, chatId: string, message: OutboundMessage, options: SendOptions = {},
): Promise<SendResult> {
  // Built before the first part goes out, so an oversized button cannot fail halfway through.
  const keyboard = toInlineKeyboard(message.buttons);
  return sendMessageParts(message, TELEGRAM_MAX_TEXT_LENGTH, options, {
    text: async (part) => {
      const extra = toExtra(part.first ? message.replyTo : undefined, part.last ? keyboard : undefined);
      const sent = await deps.telegram.sendMessage(chatId, part.text, extra).catch((err: unknown) => {
        throw deps.toError(err);
      });
      return String(sent.message_id);
    },
    // Every file replies to the same message as the text, so a letter sits under the question.
    file: (part) => sendFilePart(deps, chatId, part, toExtra(message.replyTo, part.last ? keyboard : undefined)),
  });
}

/**
 * One file: by the `file_id` this bot got for the same bytes before, else uploaded (streamed,
 * multipart). A remembered `file_id` Telegram no longer accepts is forgotten and the file uploaded.
 */
async function sendFilePart(deps: SendDeps, chatId: string, part: FilePart, extra: SendMessageExtra): Promise<string> {
  const { file } = part;
  const asPhoto = file.kind === 'image' && PHOTO_TYPES.includes(file.mimeType) && file.sizeBytes <= PHOTO_MAX_BYTES;
  const known = await deps.fileIds?.get(file.sha256).catch(() => undefined);
  if (known) {
    try {
      return (await sendOne(deps, chatId, asPhoto, known, extra)).messageId;
    } catch (err) {
      if (!(err instanceof BadRequestError && /file identifier|file_id|wrong remote file/i.test(err.message))) throw err;
    }
  }
  const stream = await file.open();
  try {
    const sent = await sendOne(deps, chatId, asPhoto, { source: stream, filename: file.name }, forMultipart(extra));
    if (sent.fileId) await deps.fileIds?.put(file.sha256, sent.fileId).catch(() => undefined);
    return sent.messageId;
  } finally {
    stream.destroy();
  }
}

type InputFile = string | { source: NodeJS.ReadableStream; filename: string };

/**
 * telegraf 4.16 JSON-encodes only some object fields of a multipart request (`reply_markup`, not
 * `reply_parameters`, which it would try to upload as a file): encode it ourselves, as the Bot API
 * accepts JSON-serialised objects in form fields.
 */
function forMultipart(extra: SendMessageExtra): SendMessageExtra {
  if (!extra.reply_parameters) return extra;
  return { ...extra, reply_parameters: JSON.stringify(extra.reply_parameters) as unknown as SendMessageExtra['reply_parameters'] };
}

async function sendOne(deps: SendDeps, chatId: string, asPhoto: boolean, input: InputFile, extra: SendMessageExtra): Promise<{ messageId: string; fileId?: string }> {
  try {
    if (asPhoto) {
      const sent = await deps.telegram.sendPhoto(chatId, input as Parameters<Telegram['sendPhoto']>[1], extra);
      return { messageId: String(sent.message_id), ...(sent.photo.at(-1)?.file_id ? { fileId: sent.photo.at(-1)!.file_id } : {}) };
    }
    const sent = await deps.telegram.sendDocument(chatId, input as Parameters<Telegram['sendDocument']>[1], extra);
    return { messageId: String(sent.message_id), ...(sent.document.file_id ? { fileId: sent.document.file_id } : {}) };
  } catch (err) {
    throw deps.toError(err);
  }
}


function toExtra(replyTo: string | undefined, keyboard: InlineKeyboard | undefined): SendMessageExtra {
  const extra: SendMessageExtra = {};
  if (replyTo !== undefined) {
    extra.reply_parameters = { message_id: Number(replyTo), allow_sending_without_reply: true };
  }
  if (keyboard) extra.reply_markup = keyboard;
  return extra;
}

/** Our button rows as an inline keyboard; `undefined` when there are no buttons. */
export function toInlineKeyboard(buttons: Button[][] | undefined): InlineKeyboard | undefined {
  const rows = (buttons ?? []).filter((row) => row.length > 0);
  if (rows.length === 0) return undefined;
  try {
    return {
      inline_keyboard: rows.map((row) => row.map((button) => ({
        text: button.label,
        callback_data: encodeButtonData(button.action, button.payload),
      }))),
    };
  } catch (err) {
    throw new BadRequestError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}



/** What {@link editTelegramMessage} needs from the adapter. */
export interface EditDeps {
  telegram: Pick<Telegram, 'editMessageText' | 'editMessageReplyMarkup'>;
  toError: (err: unknown) => ChatError;
}

/**
 * Replaces the text (and buttons) of a message the bot sent (editMessageText). The text must fit
 * in one message. Telegram's "message is not modified" (same text again) counts as success.
 * @throws {ChatError} only.
 */
export async function editTelegramMessage(deps: EditDeps, chatId: string, messageId: string, message: OutboundMessage): Promise<void> {
  if (message.text.length > TELEGRAM_MAX_TEXT_LENGTH) throw new BadRequestError(`edit text over ${TELEGRAM_MAX_TEXT_LENGTH} characters`);
  const keyboard = toInlineKeyboard(message.buttons);
  try {
    await deps.telegram.editMessageText(chatId, Number(messageId), undefined, message.text, keyboard ? { reply_markup: keyboard } : {});
  } catch (err) {
    const error = deps.toError(err);
    if (error instanceof BadRequestError && /message is not modified/i.test(error.message)) return;
    throw error;
  }
}

/**
 * Replaces only the keyboard of a message the bot sent (editMessageReplyMarkup); no buttons removes
 * it. "Message is not modified" (the same keyboard again: a retried edit) counts as success.
 * @throws {ChatError} only.
 */
export async function editTelegramButtons(deps: EditDeps, chatId: string, messageId: string, buttons: Button[][]): Promise<void> {
  // Settled by the flow (a decision made elsewhere, e.g. a typed /merge): shown as a press would be
  // (flows/settle-sent.ts): only the chosen button, marked, doing nothing (Telegram cannot grey out
  // the others); none chosen (a preview superseded, a prompt left unanswered): no keyboard at all.
  const all = buttons.flat();
  const chosen = all.find((b) => b.state === 'chosen');
  const spent = all.length > 0 && all.every((b) => b.state === 'disabled');
  const keyboard = chosen ? { inline_keyboard: [[{ text: `✓ ${chosen.label}`, callback_data: encodeButtonData(SETTLED_ACTION, '') }]] } : spent ? undefined : toInlineKeyboard(buttons);
  try {
    await deps.telegram.editMessageReplyMarkup(chatId, Number(messageId), undefined, keyboard ?? { inline_keyboard: [] });
  } catch (err) {
    const error = deps.toError(err);
    if (error instanceof BadRequestError && /message is not modified/i.test(error.message)) return;
    throw error;
  }
}
