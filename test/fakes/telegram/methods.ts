import type { ChatStore } from './chat-store.js';
import { BOT_UPLOAD_LIMIT, type FakeFile, type FileStore, type UploadedPart } from './files.js';
import { badRequest, toChatId, toInteger } from './http.js';
import type { UpdateQueue } from './update-queue.js';
import type { WebhookPusher } from './webhook-pusher.js';
import type { CallbackAnswerRecord, EditRecord, SentRecord, TgInlineKeyboard, TgMessage, TgUser } from './types.js';

/** The fake's state as the method handlers see it. */
export interface FakeState {
  bot: TgUser;
  chats: ChatStore;
  queue: UpdateQueue;
  pusher: WebhookPusher;
  /** Callback query id → answered yet. */
  callbackQueries: Map<string, boolean>;
  sent: SentRecord[];
  /** Every accepted edit of a bot message, in order. */
  edits: EditRecord[];
  callbackAnswers: CallbackAnswerRecord[];
  files: FileStore;
  now(): Date;
}

type Params = Record<string, unknown>;
type MethodHandler = (params: Params, state: FakeState) => unknown;

const MAX_TEXT_LENGTH = 4096;
const MAX_CALLBACK_DATA_BYTES = 64;

/** Bot API methods the fake implements, except getUpdates (a long poll, served by the server). */
export const METHODS: Readonly<Record<string, MethodHandler>> = {
  getMe: (_params, state) => ({ ...state.bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }),
  setWebhook: setWebhook,
  deleteWebhook: (params, state) => {
    const moved = state.pusher.drain();
    state.pusher.target = undefined;
    if (!isTrue(params.drop_pending_updates)) for (const update of moved) state.queue.enqueue(update);
    else state.queue.drain();
    return true;
  },
  getWebhookInfo: (_params, state) => ({
    url: state.pusher.target?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: state.pusher.target ? state.pusher.pendingCount : state.queue.pendingCount,
    ...(state.pusher.lastError
      ? { last_error_date: Math.floor(state.pusher.lastError.at.getTime() / 1000), last_error_message: state.pusher.lastError.message }
      : {}),
  }),
  sendMessage: sendMessage,
  sendPhoto: (params, state) => sendFile('sendPhoto', 'photo', params, state),
  sendDocument: (params, state) => sendFile('sendDocument', 'document', params, state),
  sendVideo: (params, state) => sendFile('sendVideo', 'video', params, state),
  sendAudio: (params, state) => sendFile('sendAudio', 'audio', params, state),
  sendVoice: (params, state) => sendFile('sendVoice', 'voice', params, state),
  getFile: (params, state) => state.files.getFile(params.file_id),
  answerCallbackQuery: (params, state) => {
    const id = typeof params.callback_query_id === 'string' ? params.callback_query_id : '';
    if (state.callbackQueries.get(id) !== false) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    state.callbackQueries.set(id, true);
    const record: CallbackAnswerRecord = { callbackQueryId: id, at: state.now() };
    if (typeof params.text === 'string') record.text = params.text;
    if (params.show_alert !== undefined) record.showAlert = isTrue(params.show_alert);
    state.callbackAnswers.push(record);
    return true;
  },
  editMessageText: (params, state) => {
    if (typeof params.text !== 'string' || params.text.length === 0) throw badRequest('message text is empty');
    return editBotMessage('editMessageText', params, state, { text: params.text, replyMarkup: toKeyboard(params.reply_markup) ?? null });
  },
  editMessageReplyMarkup: (params, state) =>
    editBotMessage('editMessageReplyMarkup', params, state, { replyMarkup: toKeyboard(params.reply_markup) ?? null }),
};

function setWebhook(params: Params, state: FakeState): true {
  const url = typeof params.url === 'string' ? params.url : '';
  if (url === '') return METHODS.deleteWebhook!({}, state) as true;
  if (!/^https?:\/\//.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
  const allowedUpdates = Array.isArray(params.allowed_updates)
    ? params.allowed_updates.filter((k): k is string => typeof k === 'string')
    : state.pusher.target?.allowedUpdates ?? [];
  state.pusher.target = { url, allowedUpdates, ...(typeof params.secret_token === 'string' ? { secretToken: params.secret_token } : {}) };
  const pending = state.queue.drain();
  if (!isTrue(params.drop_pending_updates)) for (const update of pending) state.pusher.push(update);
  return true;
}

function sendMessage(params: Params, state: FakeState): TgMessage {
  const chatId = requireChat(params, state);
  const text = params.text;
  if (typeof text !== 'string' || text.trim().length === 0) throw badRequest('message text is empty');
  if (text.length > MAX_TEXT_LENGTH) throw badRequest('message is too long');
  const replyTo = findReplyTarget(params, chatId, state);
  const replyMarkup = toKeyboard(params.reply_markup);
  const message = state.chats.add(chatId, { from: state.bot, text, replyTo, replyMarkup });
  const record: SentRecord = { chatId, messageId: message.message_id, text, at: state.now() };
  if (replyTo) record.replyToMessageId = replyTo.message_id;
  if (replyMarkup) record.replyMarkup = replyMarkup;
  state.sent.push(record);
  return message;
}

/** Photos over 10 MB must be sent as documents (Telegram's sendPhoto limit). */
const PHOTO_LIMIT = 10 * 1024 * 1024;

/**
 * sendPhoto/sendDocument/…: the file is an upload (multipart) or a `file_id` the bot got before
 * (reused without uploading, as Telegram allows for the same bot). A photo answers with sizes, a
 * document with its name and type.
 */
function sendFile(method: string, field: string, params: Params, state: FakeState): TgMessage {
  const chatId = requireChat(params, state);
  const given = params[field];
  const upload = isRecord(given) && isRecord(given.upload) ? (given.upload as unknown as UploadedPart) : undefined;
  let file: FakeFile | undefined;
  if (upload) {
    if (upload.bytes.length === 0) throw badRequest('file must be non-empty');
    if (upload.bytes.length > (method === 'sendPhoto' ? PHOTO_LIMIT : BOT_UPLOAD_LIMIT)) throw badRequest(method === 'sendPhoto' ? 'PHOTO_INVALID_DIMENSIONS' : 'file is too big');
    file = state.files.add(upload.bytes, { name: upload.fileName, mimeType: typeByName(upload.fileName, upload.mimeType), folder: method === 'sendPhoto' ? 'photos' : 'documents', ext: upload.fileName.split('.').at(-1) ?? 'dat' });
  } else if (typeof given === 'string') {
    file = state.files.get(given);
    if (!file) throw badRequest('wrong file identifier/HTTP URL specified');
  } else {
    throw badRequest(`there is no ${field} in the request`);
  }
  const caption = typeof params.caption === 'string' ? params.caption : '';
  if (caption.length > 1024) throw badRequest('message caption is too long');
  const replyTo = findReplyTarget(params, chatId, state);
  const replyMarkup = toKeyboard(params.reply_markup);
  const media = method === 'sendPhoto'
    ? { photo: [{ file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.bytes.length, width: 1, height: 1 }] }
    : { document: { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.bytes.length, ...(file.name ? { file_name: file.name } : {}), ...(file.mimeType ? { mime_type: file.mimeType } : {}) } };
  const message = state.chats.add(chatId, { from: state.bot, text: caption, media, replyTo, replyMarkup });
  const record: SentRecord = {
    chatId, messageId: message.message_id, text: caption, at: state.now(),
    file: { method, fileId: file.fileId, uploaded: Boolean(upload), sizeBytes: file.bytes.length, sha256: file.sha256, ...(file.name ? { name: file.name } : {}), ...(file.mimeType ? { mimeType: file.mimeType } : {}) },
  };
  if (replyTo) record.replyToMessageId = replyTo.message_id;
  if (replyMarkup) record.replyMarkup = replyMarkup;
  state.sent.push(record);
  return message;
}

/** Telegram types a document by its name when the upload says nothing useful (as the Bot API does). */
function typeByName(name: string, given: string): string {
  if (given && !['text/plain', 'application/octet-stream'].includes(given)) return given;
  const ext = name.split('.').at(-1)?.toLowerCase() ?? '';
  const known: Record<string, string> = { pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  return known[ext] ?? 'application/octet-stream';
}

function requireChat(params: Params, state: FakeState): number {
  const chatId = toChatId(params.chat_id);
  if (chatId === undefined) throw badRequest('chat_id is empty');
  if (!state.chats.has(chatId)) throw badRequest('chat not found');
  return chatId;
}

/** reply_parameters (Bot API 7) or the legacy reply_to_message_id / allow_sending_without_reply. */
function findReplyTarget(params: Params, chatId: number, state: FakeState): TgMessage | undefined {
  const reply = isRecord(params.reply_parameters) ? params.reply_parameters : undefined;
  const messageId = toInteger(reply ? reply.message_id : params.reply_to_message_id);
  if (messageId === undefined) return undefined;
  const target = state.chats.get(chatId, messageId);
  const allowMissing = isTrue(reply ? reply.allow_sending_without_reply : params.allow_sending_without_reply);
  if (!target && !allowMissing) throw badRequest('message to be replied not found');
  return target;
}

function toKeyboard(value: unknown): TgInlineKeyboard | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || !Array.isArray(value.inline_keyboard)) throw badRequest('fake supports inline keyboards only');
  for (const row of value.inline_keyboard as unknown[]) {
    if (!Array.isArray(row)) throw badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array of Arrays");
    for (const button of row as unknown[]) assertButton(button);
  }
  return value as unknown as TgInlineKeyboard;
}

function assertButton(button: unknown): void {
  if (!isRecord(button) || typeof button.text !== 'string' || button.text.length === 0) throw badRequest('button text is empty');
  const data = button.callback_data;
  if (typeof data !== 'string') throw badRequest('fake supports callback_data buttons only');
  const bytes = Buffer.byteLength(data, 'utf8');
  if (bytes === 0 || bytes > MAX_CALLBACK_DATA_BYTES) throw badRequest('BUTTON_DATA_INVALID');
}

function editBotMessage(
  method: EditRecord['method'], params: Params, state: FakeState, change: { text?: string; replyMarkup: TgInlineKeyboard | null },
): TgMessage {
  const chatId = requireChat(params, state);
  const messageId = toInteger(params.message_id);
  const message = messageId === undefined ? undefined : state.chats.get(chatId, messageId);
  if (!message || messageId === undefined) throw badRequest('message to edit not found');
  if (message.from?.id !== state.bot.id) throw badRequest("message can't be edited");
  const sameText = change.text === undefined || change.text === message.text;
  if (sameText && JSON.stringify(change.replyMarkup ?? undefined) === JSON.stringify(message.reply_markup)) {
    throw badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
  }
  const edited = state.chats.edit(chatId, messageId, change)!;
  state.edits.push({ method, chatId, messageId, ...(change.text === undefined ? {} : { text: change.text }), replyMarkup: change.replyMarkup, at: state.now() });
  return edited;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
