import { sendInParts } from '../parts.js';
import type { Telegram } from 'telegraf';
import {
  BadRequestError, type ChatError, encodeButtonData,
  type Button, type OutboundMessage, type SendOptions, type SendResult,
} from '../types.js';

/** Telegram's limit on one text message, in characters. */
export const TELEGRAM_MAX_TEXT_LENGTH = 4096;

type InlineKeyboard = { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
type SendMessageExtra = NonNullable<Parameters<Telegram['sendMessage']>[2]>;

/** What {@link sendTelegramMessage} needs from the adapter. */
export interface SendDeps {
  telegram: Pick<Telegram, 'sendMessage'>;
  /** Maps anything the client throws to a {@link ChatError}. */
  toError: (err: unknown) => ChatError;
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
  return sendInParts(message.text, TELEGRAM_MAX_TEXT_LENGTH, options, async (part) => {
    const extra = toExtra(part.first ? message.replyTo : undefined, part.last ? keyboard : undefined);
    const sent = await deps.telegram.sendMessage(chatId, part.text, extra).catch((err: unknown) => {
      throw deps.toError(err);
    });
    return String(sent.message_id);
  });
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
  telegram: Pick<Telegram, 'editMessageText'>;
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
