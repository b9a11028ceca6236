import { decodeButtonData, encodeButtonData } from '../types.js';

/** The action of a button that is shown as done: pressing it again does nothing. */
export const SETTLED_ACTION = 'done';

type Key = { text: string; callback_data: string };
type JsonRecord = Record<string, unknown>;
const isRecord = (v: unknown): v is JsonRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The keyboard edit that shows a press: which message, and its new keyboard. */
export interface SettledKeyboard {
  chatId: number;
  messageId: number;
  keyboard: { inline_keyboard: Key[][] };
}

/**
 * For a press on a button whose action `settles` its message (a choice made once: a topic, Send,
 * Cancel, a rating), the keyboard that shows what happened: only the chosen button is left, marked
 * "✓", and it does nothing when pressed again (Telegram cannot grey out the others, so they go).
 * Undefined for any other update, for presses of other actions and for keyboards already settled.
 */
export function settledKeyboard(update: unknown, settles: (action: string) => boolean): SettledKeyboard | undefined {
  if (!isRecord(update) || !isRecord(update.callback_query)) return undefined;
  const query = update.callback_query;
  const message = isRecord(query.message) ? query.message : undefined;
  const data = typeof query.data === 'string' ? query.data : undefined;
  const pressed = data === undefined ? undefined : decodeButtonData(data);
  if (!message || !pressed || !settles(pressed.action)) return undefined;
  const chatId = isRecord(message.chat) ? message.chat.id : undefined;
  const markup = isRecord(message.reply_markup) ? message.reply_markup.inline_keyboard : undefined;
  if (typeof chatId !== 'number' || typeof message.message_id !== 'number' || !Array.isArray(markup)) return undefined;
  const chosen = markup.flat().find((k): k is Key => isRecord(k) && k.callback_data === data && typeof k.text === 'string');
  if (!chosen) return undefined;
  return {
    chatId, messageId: message.message_id,
    keyboard: { inline_keyboard: [[{ text: `✓ ${chosen.text}`, callback_data: encodeButtonData(SETTLED_ACTION, '') }]] },
  };
}
