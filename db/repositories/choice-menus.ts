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
 * in-flight lookup: its record may have committed between the two. With `fits` (a dialog waits
 * on one kind of menu), a reply that quotes no known menu answers the newest menu `fits` accepts.
 */
export async function findChoiceMenu(db: Db, platform: Platform, chatId: string, quotedMessageId: string | undefined, sinceIso: string, fits?: (buttons: string) => boolean): Promise<ChoiceMenu | undefined> {
  const base = db.selectFrom('choice_menus').selectAll().where('platform', '=', platform).where('chat_id', '=', chatId);
  const newest = () => base.where('created_at', '>=', sinceIso).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const quoted = () => base.where('message_id', '=', quotedMessageId ?? '').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const first = quotedMessageId ? await quoted() : undefined;
  if (first) return first;
  const fitting = fits ? await newestFittingMenu(db, { platform, chatId, quotedMessageId, sinceIso, fits }) : undefined;
  if (fitting || !quotedMessageId) return fitting ?? newest();
  const unrecorded = await newestUnrecordedMenu(db, platform, chatId, sinceIso);
  const recorded = (await quoted()) ?? (await newest());
  if (recorded?.message_id === quotedMessageId || !unrecorded?.buttons || (recorded && recorded.created_at >= unrecorded.created_at)) return recorded;
  return { id: 0, platform, chat_id: chatId, message_id: quotedMessageId, buttons: unrecorded.buttons, created_at: unrecorded.created_at };
}

/** The chat's newest outbox row with buttons whose send is in flight or was interrupted. */
function newestUnrecordedMenu(db: Db, platform: Platform, chatId: string, sinceIso: string) {
  return unrecordedMenus(db, platform, chatId, sinceIso).limit(1).executeTakeFirst();
}

function unrecordedMenus(db: Db, platform: Platform, chatId: string, sinceIso: string) {
  return db.selectFrom('outbox').select(['buttons', 'created_at'])
    .where('queue', '=', 'outbox').where('platform', '=', platform).where('chat_id', '=', chatId)
    .where('buttons', 'is not', null).where('created_at', '>=', sinceIso)
    .where((eb) => eb.or([eb('resent_in_flight', '>', 0), eb.and([eb('status', '=', 'pending'), eb('lease_owner', 'is not', null)])]))
    .orderBy('id', 'desc');
}

/** How many of a chat's newest menus are searched for the one a dialog waits on (menus within a week are few). */
const FIT_LOOKBACK = 10;

/**
 * The newest menu, recorded or still unrecorded, whose buttons `fits` accepts: the one a waiting
 * dialog belongs to, passing over newer menus that arrived meanwhile (an answer's rating while the
 * reporter picks a topic). An unrecorded one is named by the quoted id, or by none.
 */
async function newestFittingMenu(db: Db, q: { platform: Platform; chatId: string; quotedMessageId: string | undefined; sinceIso: string; fits: (buttons: string) => boolean }): Promise<ChoiceMenu | undefined> {
  const menus = await db.selectFrom('choice_menus').selectAll().where('platform', '=', q.platform).where('chat_id', '=', q.chatId)
    .where('created_at', '>=', q.sinceIso).orderBy('id', 'desc').limit(FIT_LOOKBACK).execute();
  const recorded = menus.find((m) => q.fits(m.buttons));
  const rows = await unrecordedMenus(db, q.platform, q.chatId, q.sinceIso).limit(FIT_LOOKBACK).execute();
  const row = rows.find((r) => r.buttons !== null && q.fits(r.buttons));
  if (!row?.buttons || (recorded && recorded.created_at >= row.created_at)) return recorded;
  return { id: 0, platform: q.platform, chat_id: q.chatId, message_id: q.quotedMessageId ?? '', buttons: row.buttons, created_at: row.created_at };
}
