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
 * may be a menu whose send is in flight (the platform delivered it and the reply came before the
 * sender recorded it) or was interrupted (`kill -9` between the send and its record): when the
 * chat's newest such send with buttons (still claimed, or sent again since) is newer than its
 * newest recorded menu, its buttons are the menu (under the quoted id). Otherwise a "1" would press
 * an older menu's first button. As in `findMessageRef`, the quoted menu is read again after the
 * in-flight lookup: its record may have committed between the two.
 */
export async function findChoiceMenu(db: Db, platform: Platform, chatId: string, quotedMessageId: string | undefined, sinceIso: string): Promise<ChoiceMenu | undefined> {
  const base = db.selectFrom('choice_menus').selectAll().where('platform', '=', platform).where('chat_id', '=', chatId);
  const newest = () => base.where('created_at', '>=', sinceIso).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!quotedMessageId) return newest();
  const quoted = () => base.where('message_id', '=', quotedMessageId).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const first = await quoted();
  if (first) return first;
  const unrecorded = await newestUnrecordedMenu(db, platform, chatId, sinceIso);
  const recorded = (await quoted()) ?? (await newest());
  if (recorded?.message_id === quotedMessageId || !unrecorded?.buttons || (recorded && recorded.created_at >= unrecorded.created_at)) return recorded;
  return { id: 0, platform, chat_id: chatId, message_id: quotedMessageId, buttons: unrecorded.buttons, created_at: unrecorded.created_at };
}

/** The chat's newest outbox row with buttons whose send is in flight or was interrupted. */
function newestUnrecordedMenu(db: Db, platform: Platform, chatId: string, sinceIso: string) {
  return db.selectFrom('outbox').select(['buttons', 'created_at'])
    .where('queue', '=', 'outbox').where('platform', '=', platform).where('chat_id', '=', chatId)
    .where('buttons', 'is not', null).where('created_at', '>=', sinceIso)
    .where((eb) => eb.or([eb('resent_in_flight', '>', 0), eb.and([eb('status', '=', 'pending'), eb('lease_owner', 'is not', null)])]))
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
}
