import type { FakeUser, TgChat, TgInlineKeyboard, TgMessage, TgUser } from './types.js';

interface ChatRecord {
  chat: TgChat;
  nextMessageId: number;
  messages: Map<number, TgMessage>;
}

/** Fields of a new message; `replyTo` must be a message of the same chat. */
export interface NewMessage {
  from: TgUser;
  /** The text; with `media`, the caption ('' for none). */
  text: string;
  media?: Pick<TgMessage, 'photo' | 'document' | 'media_group_id'>;
  replyTo?: TgMessage;
  replyMarkup?: TgInlineKeyboard;
}

/** Chats the bot knows and their messages. Message ids increase per chat, shared by both sides. */
export class ChatStore {
  private readonly chats = new Map<number, ChatRecord>();

  constructor(private readonly now: () => Date) {}

  /** The private chat with `user` (chat id = user id), created on first contact. */
  openPrivateChat(user: FakeUser): TgChat {
    const existing = this.chats.get(user.id);
    if (existing) return existing.chat;
    const chat: TgChat = { id: user.id, type: 'private', first_name: user.first_name };
    if (user.last_name !== undefined) chat.last_name = user.last_name;
    if (user.username !== undefined) chat.username = user.username;
    this.chats.set(user.id, { chat, nextMessageId: 1, messages: new Map() });
    return chat;
  }

  has(chatId: number): boolean {
    return this.chats.has(chatId);
  }

  get(chatId: number, messageId: number): TgMessage | undefined {
    return this.chats.get(chatId)?.messages.get(messageId);
  }

  /** Stores a new message in an open chat and returns it as Telegram would. */
  add(chatId: number, fields: NewMessage): TgMessage {
    const record = this.chats.get(chatId);
    if (!record) throw new Error(`fake telegram: chat ${chatId} is not open`);
    const message: TgMessage = {
      message_id: record.nextMessageId,
      from: fields.from,
      chat: record.chat,
      date: Math.floor(this.now().getTime() / 1000),
      ...(fields.media ? { ...fields.media, ...(fields.text ? { caption: fields.text } : {}) } : { text: fields.text }),
    };
    record.nextMessageId += 1;
    const command = fields.media ? null : /^\/\S+/.exec(fields.text);
    if (command) message.entities = [{ type: 'bot_command', offset: 0, length: command[0].length }];
    // Telegram nests the replied-to message one level deep only.
    if (fields.replyTo) {
      const { reply_to_message: _nested, ...replied } = fields.replyTo;
      message.reply_to_message = replied;
    }
    if (fields.replyMarkup) message.reply_markup = fields.replyMarkup;
    record.messages.set(message.message_id, message);
    return message;
  }

  /** Applies an edit in place; `undefined` when there is no such message. */
  edit(chatId: number, messageId: number, change: { text?: string; replyMarkup?: TgInlineKeyboard | null }): TgMessage | undefined {
    const message = this.get(chatId, messageId);
    if (!message) return undefined;
    if (change.text !== undefined) message.text = change.text;
    if (change.replyMarkup === null) delete message.reply_markup;
    else if (change.replyMarkup !== undefined) message.reply_markup = change.replyMarkup;
    message.edit_date = Math.floor(this.now().getTime() / 1000);
    return message;
  }
}
