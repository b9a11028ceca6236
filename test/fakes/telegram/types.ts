/** Bot API object shapes the fake produces (the subset it needs), and the driver's records. */

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  first_name?: string;
  last_name?: string;
  username?: string;
}

export interface TgInlineButton {
  text: string;
  callback_data?: string;
}

export interface TgInlineKeyboard {
  inline_keyboard: TgInlineButton[][];
}

export interface TgMessage {
  message_id: number;
  date: number;
  chat: TgChat;
  from?: TgUser;
  text?: string;
  caption?: string;
  photo?: Array<{ file_id: string; file_unique_id: string; file_size: number; width: number; height: number }>;
  document?: { file_id: string; file_unique_id: string; file_size: number; file_name?: string; mime_type?: string };
  media_group_id?: string;
  entities?: Array<{ type: string; offset: number; length: number }>;
  reply_to_message?: TgMessage;
  reply_markup?: TgInlineKeyboard;
  edit_date?: number;
}

export interface TgCallbackQuery {
  id: string;
  from: TgUser;
  message?: TgMessage;
  chat_instance: string;
  data?: string;
}

/** An update as stored by the fake; `raw` may be anything a test injected. */
export type TgUpdate = Record<string, unknown>;

/** A user the test plays: the private chat with the bot has `id === user.id`. */
export interface FakeUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** A refusal as the Bot API sends it. `retry_after` is in seconds. */
export interface FakeApiError {
  error_code: number;
  description: string;
  retry_after?: number;
}

/** One sendMessage the fake accepted. */
export interface SentRecord {
  chatId: number;
  messageId: number;
  /** The text, or a file's caption ('' when none). */
  text: string;
  /** A file the bot sent (sendPhoto, sendDocument…): the bytes the fake holds for it. */
  file?: { method: string; fileId: string; uploaded: boolean; name?: string; mimeType?: string; sizeBytes: number; sha256: string };
  replyToMessageId?: number;
  replyMarkup?: TgInlineKeyboard;
  at: Date;
}

/** One accepted edit of a bot message (editMessageText, editMessageReplyMarkup). */
export interface EditRecord {
  method: 'editMessageText' | 'editMessageReplyMarkup';
  chatId: number;
  messageId: number;
  /** The new text (editMessageText only). */
  text?: string;
  /** The keyboard the message has now (null: none). */
  replyMarkup: TgInlineKeyboard | null;
  at: Date;
}

/** One HTTP request to the Bot API, recorded once answered. */
export interface CallRecord {
  method: string;
  params: Record<string, unknown>;
  /** HTTP status of the answer. */
  status: number;
  at: Date;
}

/** One answerCallbackQuery the fake accepted. */
export interface CallbackAnswerRecord {
  callbackQueryId: string;
  text?: string;
  showAlert?: boolean;
  at: Date;
}

/** One attempt to POST an update to the webhook. `status` is absent when the connection failed. */
export interface WebhookDeliveryRecord {
  updateId: unknown;
  attempt: number;
  status?: number;
  error?: string;
  at: Date;
}

/** A scripted failure: the next `times` matching calls are refused with `error`. */
export interface FailRule {
  /** Method to fail; omitted: any method except getUpdates. */
  method?: string;
  /** Only calls whose `chat_id` is this chat; omitted: any chat (or none). */
  chatId?: number;
  times: number;
  error: FakeApiError;
}
