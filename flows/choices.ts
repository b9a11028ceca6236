import type { Button, ButtonEvent, MessageEvent, Platform } from '../adapters/types.js';
import type { Db } from '../db/client.js';
import { findChoiceMenu, insertChoiceMenu } from '../db/repositories/choice-menus.js';
import { A } from './buttons.js';
import type { Copy } from './copy/index.js';
import type { Dialog } from './dialog.js';

/**
 * Buttons on platforms without them (Zalo): the delivery layer writes a message's buttons into its
 * text as numbered choices and remembers them; a reply that is just a number then acts as a press
 * of that button. Flows keep building ordinary buttons and never ask which platform they are on.
 */

/** How long a menu stays answerable by number, in ms (a rating may come days after an answer). */
export const CHOICE_MENU_TTL_MS = 7 * 24 * 3_600_000;

/** The message text followed by its buttons as a numbered list and a hint in the reader's language. */
export function withNumberedChoices(text: string, buttons: Button[][], t: Copy): string {
  const flat = buttons.flat();
  if (flat.length === 0) return text;
  const list = flat.map((b, i) => `${i + 1}. ${b.label}`).join('\n');
  return `${text}\n\n${list}\n${t.channel.choiceHint(flat.length)}`;
}

/** Remembers the buttons of a message sent as numbered text, so that a reply "2" presses the second. */
export async function recordChoiceMenu(db: Db, m: { platform: Platform; chatId: string; messageId: string; buttons: Button[][]; at: string }): Promise<void> {
  if (m.buttons.flat().length === 0) return;
  await insertChoiceMenu(db, { platform: m.platform, chatId: m.chatId, messageId: m.messageId, buttons: JSON.stringify(m.buttons), at: m.at });
}

/** A reply that is a choice number: "2", " 2.", "2)". */
const CHOICE = /^\s*(\d{1,2})\s*[.)]?\s*$/;

/** Dialog steps whose expected text could be a bare number (a press card, a date, an inquiry code). */
const NUMBER_MEANS_TEXT = new Set<Dialog['step']>(['reg_name', 'reg_card', 'ask_text', 'answer', 'answer_correct', 'clarify', 'decline_reason', 'reject_reason', 'merge_code', 'ext_reason', 'ext_due']);

/**
 * Dialog steps that wait on one menu, by an action its buttons carry: while the bot waits for a
 * topic, a "5" picks topic 5 even if an answer with rating choices arrived since.
 */
const MENU_OF_STEP: Partial<Record<Dialog['step'], string>> = {
  reg_outlet: A.regOutlet, ask_topic: A.topic, ask_confirm: A.askSend, answer_confirm: A.answerSend,
};

/** What a numbered reply means: a press, a number out of range, or not a choice at all. */
export type ChoiceReading =
  | { kind: 'press'; event: ButtonEvent }
  | { kind: 'out_of_range'; count: number }
  | { kind: 'none' };

/**
 * Reads a message as a numbered choice when it is one: only a bare number, only when the chat has
 * a menu (sent as numbered text, so never on platforms with buttons), and never while a dialog
 * waits for free text. A dialog that waits on a menu is answered from that menu unless the reply
 * quotes another.
 */
export async function readChoice(db: Db, e: MessageEvent, dialog: Dialog | undefined, now: Date): Promise<ChoiceReading> {
  const m = CHOICE.exec(e.text);
  if (!m || (dialog && NUMBER_MEANS_TEXT.has(dialog.step))) return { kind: 'none' };
  const since = new Date(now.getTime() - CHOICE_MENU_TTL_MS).toISOString();
  const wanted = dialog ? MENU_OF_STEP[dialog.step] : undefined;
  const fits = wanted ? (json: string) => (JSON.parse(json) as Button[][]).flat().some((b) => b.action === wanted) : undefined;
  const menu = await findChoiceMenu(db, e.platform, e.chatId, e.replyTo, since, fits);
  if (!menu) return { kind: 'none' };
  const flat = (JSON.parse(menu.buttons) as Button[][]).flat();
  const chosen = flat[Number(m[1]) - 1];
  if (!chosen) return { kind: 'out_of_range', count: flat.length };
  const event: ButtonEvent = {
    kind: 'button', platform: e.platform, eventId: e.eventId, from: e.from, chatId: e.chatId, at: e.at, raw: e.raw,
    messageId: menu.message_id, action: chosen.action, payload: chosen.payload,
  };
  return { kind: 'press', event };
}
