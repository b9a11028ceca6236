import type { Platform } from '../../adapters/types.js';
import type { Db } from '../client.js';
import type { IsoInstant, MessageRef, OutboxRow } from '../schema.js';

/**
 * The reporter's newest follow-up message on an inquiry written since `afterIso` (the previous
 * answer) in the chat `chat`: the answer to it is threaded under it. Undefined when there is none.
 */
export async function findFollowupSince(db: Db, inquiryId: number, chat: { platform: Platform; chatId: string }, afterIso: IsoInstant): Promise<MessageRef | undefined> {
  return db.selectFrom('message_refs').selectAll()
    .where('inquiry_id', '=', inquiryId).where('kind', '=', 'followup').where('created_at', '>=', afterIso)
    .where('platform', '=', chat.platform).where('chat_id', '=', chat.chatId)
    .orderBy('id', 'desc').executeTakeFirst();
}

/** When the inquiry's newest entry of `kind` was written; undefined when it has none. */
export async function latestEntryAt(db: Db, inquiryId: number, kind: 'answer' | 'answer_correction'): Promise<IsoInstant | undefined> {
  const row = await db.selectFrom('inquiry_entries').select('created_at')
    .where('inquiry_id', '=', inquiryId).where('kind', '=', kind).orderBy('id', 'desc').executeTakeFirst();
  return row?.created_at;
}

/**
 * The outbox row that carried the inquiry's newest answer to its reporter (not a correction of
 * it): what a correction edits. Undefined when the answer was never queued (merged reporters
 * without a chat).
 */
export async function findAnswerRow(db: Db, inquiryId: number, identityId: number): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll()
    .where('inquiry_id', '=', inquiryId).where('identity_id', '=', identityId).where('ref_kind', '=', 'answer')
    .where('edit_of_outbox_id', 'is', null)
    .orderBy('id', 'desc').executeTakeFirst();
}
