import type { Platform } from '../../adapters/types.js';
import type { Db } from '../client.js';
import type { ChoiceMenu } from '../schema.js';

/** Stores the buttons of a message sent as numbered text. */
export async function insertChoiceMenu(db: Db, m: { platform: Platform; chatId: string; messageId: string; buttons: string; at: string }): Promise<void> {
  await db.insertInto('choice_menus').values({
    platform: m.platform, chat_id: m.chatId, message_id: m.messageId, buttons: m.buttons, created_at: m.at,
  }).execute();
}

/**
 * The menu a numbered reply refers to: the quoted message's when the reply quotes one, otherwise
 * the chat's newest menu, if it is not older than `sinceIso`.
 */
export async function findChoiceMenu(db: Db, platform: Platform, chatId: string, quotedMessageId: string | undefined, sinceIso: string): Promise<ChoiceMenu | undefined> {
  const base = db.selectFrom('choice_menus').selectAll().where('platform', '=', platform).where('chat_id', '=', chatId);
  if (quotedMessageId) {
    const quoted = await base.where('message_id', '=', quotedMessageId).orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (quoted) return quoted;
  }
  return base.where('created_at', '>=', sinceIso).orderBy('id', 'desc').limit(1).executeTakeFirst();
}
