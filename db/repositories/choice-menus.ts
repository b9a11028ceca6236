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
 * the chat's newest menu, if it is not older than `sinceIso`. A quoted message we have no menu for
 * may be a menu the platform delivered while the process stopped before recording it (`kill -9`):
 * when the chat's newest interrupted send with buttons (still claimed, or sent again since) is newer
 * than its newest recorded menu, its buttons are the menu (under the quoted id). Otherwise a "1"
 * would press an older menu's first button.
 */
export async function findChoiceMenu(db: Db, platform: Platform, chatId: string, quotedMessageId: string | undefined, sinceIso: string): Promise<ChoiceMenu | undefined> {
  const base = db.selectFrom('choice_menus').selectAll().where('platform', '=', platform).where('chat_id', '=', chatId);
  if (quotedMessageId) {
    const quoted = await base.where('message_id', '=', quotedMessageId).orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (quoted) return quoted;
  }
  const newest = await base.where('created_at', '>=', sinceIso).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!quotedMessageId) return newest;
  const interrupted = await db.selectFrom('outbox').select(['buttons', 'created_at'])
    .where('queue', '=', 'outbox').where('platform', '=', platform).where('chat_id', '=', chatId)
    .where('buttons', 'is not', null).where('created_at', '>=', sinceIso)
    .where((eb) => eb.or([eb('resent_in_flight', '>', 0), eb.and([eb('status', '=', 'pending'), eb('lease_owner', 'is not', null)])]))
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!interrupted?.buttons || (newest && newest.created_at >= interrupted.created_at)) return newest;
  return { id: 0, platform, chat_id: chatId, message_id: quotedMessageId, buttons: interrupted.buttons, created_at: interrupted.created_at };
}
