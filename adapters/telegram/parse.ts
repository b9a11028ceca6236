import {
  decodeButtonData, type ButtonEvent, type CommandEvent, type InboundEvent, type InboundFile, type InboundSender,
  type MessageEvent,
} from '../types.js';

type JsonRecord = Record<string, unknown>;

/** The fields every event of one update shares. */
type EventBase = Pick<MessageEvent, 'platform' | 'eventId' | 'from' | 'chatId' | 'at' | 'raw'>;

const isRecord = (value: unknown): value is JsonRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const toInt = (value: unknown): number | undefined =>
  (typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined);

const toStr = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Normalises one Telegram update (as received, untrusted) into an {@link InboundEvent}.
 * Supported: private-chat `message` (text → message or command; other kinds → message with the
 * caption as text) and `callback_query` carrying our button data. Everything else, and anything
 * malformed, gives `undefined`; this function never throws.
 * @param now the instant used as `at` for callback queries, which carry no date of their own.
 */
export function parseUpdate(update: unknown, now: Date): InboundEvent | undefined {
  if (!isRecord(update)) return undefined;
  const updateId = toInt(update.update_id);
  if (updateId === undefined) return undefined;
  if (update.message !== undefined) return parseMessage(update.message, String(updateId), update);
  if (update.callback_query !== undefined) {
    return parseCallbackQuery(update.callback_query, String(updateId), update, now);
  }
  return undefined;
}

/** A short, content-free label of an update's kind for logs (`edited_message`, `malformed`). */
export function describeUpdate(update: unknown): string {
  if (!isRecord(update)) return 'malformed: not an object';
  if (toInt(update.update_id) === undefined) return 'malformed: no integer update_id';
  const kinds = Object.keys(update).filter((key) => key !== 'update_id');
  return kinds.length > 0 ? kinds.join(',') : 'empty';
}

/** The id to pass to `answerCallbackQuery`, for any update that is a callback query, ours or not. */
export function toCallbackQueryId(update: unknown): string | undefined {
  if (!isRecord(update) || !isRecord(update.callback_query)) return undefined;
  return toStr(update.callback_query.id);
}

function parseMessage(value: unknown, eventId: string, raw: JsonRecord): MessageEvent | CommandEvent | undefined {
  if (!isRecord(value)) return undefined;
  const chatId = toPrivateChatId(value.chat);
  const from = toSender(value.from);
  const messageId = toInt(value.message_id);
  const date = toInt(value.date);
  if (chatId === undefined || !from || messageId === undefined || date === undefined) return undefined;
  const text = value.text === undefined ? (toStr(value.caption) ?? '') : toStr(value.text);
  if (text === undefined) return undefined;
  const replyTo = isRecord(value.reply_to_message) ? toInt(value.reply_to_message.message_id) : undefined;
  const base: EventBase = { platform: 'telegram', eventId, from, chatId, at: new Date(date * 1000), raw };
  const common = { ...base, messageId: String(messageId), ...(replyTo === undefined ? {} : { replyTo: String(replyTo) }) };
  const command = value.text === undefined ? undefined : toCommand(text);
  if (command) return { ...common, kind: 'command', ...command };
  const file = value.text === undefined ? toFile(value) : undefined;
  const groupId = toStr(value.media_group_id);
  return { ...common, kind: 'message', text, ...(file ? { files: [file] } : {}), ...(file && groupId ? { groupId } : {}) };
}

/**
 * The file a message carries: the largest size of a photo, or a document, video, audio file or
 * voice note. Names and types are Telegram's (the sender's claims); the bot checks the bytes.
 */
function toFile(message: JsonRecord): InboundFile | undefined {
  if (Array.isArray(message.photo)) {
    const sizes = message.photo.filter(isRecord);
    const largest = sizes.reduce<JsonRecord | undefined>((best, p) => ((toInt(p.file_size) ?? 0) >= (toInt(best?.file_size) ?? -1) ? p : best), undefined);
    const ref = toStr(largest?.file_id);
    return ref ? withSize({ ref, kind: 'image', mimeType: 'image/jpeg' }, largest?.file_size) : undefined;
  }
  for (const [field, kind] of [['document', 'document'], ['video', 'video'], ['audio', 'audio'], ['voice', 'audio'], ['video_note', 'video']] as const) {
    const item = message[field];
    if (!isRecord(item)) continue;
    const ref = toStr(item.file_id);
    if (!ref) return undefined;
    const name = toStr(item.file_name);
    const mimeType = toStr(item.mime_type);
    return withSize({ ref, kind: field === 'document' && mimeType?.startsWith('image/') ? 'image' : kind, ...(name ? { name } : {}), ...(mimeType ? { mimeType } : {}) }, item.file_size);
  }
  return undefined;
}

function withSize(file: InboundFile, size: unknown): InboundFile {
  const sizeBytes = toInt(size);
  return sizeBytes === undefined ? file : { ...file, sizeBytes };
}

function parseCallbackQuery(value: unknown, eventId: string, raw: JsonRecord, now: Date): ButtonEvent | undefined {
  if (!isRecord(value) || !isRecord(value.message)) return undefined;
  const from = toSender(value.from);
  const chatId = toPrivateChatId(value.message.chat);
  const messageId = toInt(value.message.message_id);
  const data = toStr(value.data);
  const button = data === undefined ? undefined : decodeButtonData(data);
  if (!from || chatId === undefined || messageId === undefined || !button) return undefined;
  return {
    platform: 'telegram', kind: 'button', eventId, from, chatId, at: now, raw,
    messageId: String(messageId), action: button.action, payload: button.payload,
  };
}

/** `/Ask@MyBot  rest` → `{command: 'ask', args: 'rest'}`; a bare `/` or `/@bot` is not a command. */
function toCommand(text: string): { command: string; args: string } | undefined {
  const match = /^\/(\S+)([\s\S]*)$/.exec(text);
  if (!match) return undefined;
  const command = (match[1] ?? '').split('@')[0]!.toLowerCase();
  if (command.length === 0) return undefined;
  return { command, args: (match[2] ?? '').trim() };
}

function toPrivateChatId(chat: unknown): string | undefined {
  if (!isRecord(chat) || chat.type !== 'private') return undefined;
  const id = toInt(chat.id);
  return id === undefined ? undefined : String(id);
}

function toSender(from: unknown): InboundSender | undefined {
  if (!isRecord(from)) return undefined;
  const id = toInt(from.id);
  if (id === undefined) return undefined;
  const name = [toStr(from.first_name), toStr(from.last_name)].filter((s) => s).join(' ');
  const username = toStr(from.username);
  const languageCode = toStr(from.language_code);
  return {
    id: String(id),
    name,
    ...(username === undefined ? {} : { username }),
    ...(languageCode === undefined ? {} : { languageCode }),
  };
}
