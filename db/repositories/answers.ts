import type { Platform } from '../../adapters/types.js';
import type { Db } from '../client.js';
import type { AnswerDraft, IsoInstant, MessageRef, OutboxRow } from '../schema.js';

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

/** Keeps a previewed draft, replacing the chat's earlier draft for the same inquiry; returns its id. */
export async function saveDraft(db: Db, d: { identityId: number; inquiryId: number; text: string; files: readonly number[]; correcting: boolean; nowIso: IsoInstant }): Promise<number> {
  return (await replaceDraft(db, d)).id;
}

/** {@link saveDraft}, also naming the drafts it replaced (whose previews are superseded). */
export async function replaceDraft(db: Db, d: { identityId: number; inquiryId: number; text: string; files: readonly number[]; correcting: boolean; nowIso: IsoInstant }): Promise<{ id: number; replaced: number[] }> {
  const gone = await db.deleteFrom('answer_drafts').where('identity_id', '=', d.identityId).where('inquiry_id', '=', d.inquiryId).returning('id').execute();
  const row = await db.insertInto('answer_drafts').values({
    identity_id: d.identityId, inquiry_id: d.inquiryId, text: d.text, files: d.files.length > 0 ? JSON.stringify(d.files) : null,
    correcting: d.correcting ? 1 : 0, created_at: d.nowIso,
  }).returning('id').executeTakeFirstOrThrow();
  return { id: row.id, replaced: gone.map((g) => Number(g.id)) };
}

/**
 * The newest `limit` messages about an inquiry delivered to chat `identityId` as its staff notice
 * (the notice itself and the answer previews, which are tied to it), newest first: where the
 * preview of a replaced draft is found, to settle its buttons.
 */
export async function sentStaffNotices(db: Db, inquiryId: number, identityId: number, limit: number): Promise<OutboxRow[]> {
  return db.selectFrom('outbox').selectAll()
    .where('inquiry_id', '=', inquiryId).where('identity_id', '=', identityId).where('ref_kind', '=', 'staff_notice')
    .where('edit_of_outbox_id', 'is', null).where('status', '=', 'sent')
    .orderBy('id', 'desc').limit(limit).execute();
}

/** The chat's draft `id`, left in place. */
export async function findDraft(db: Db, id: number, identityId: number): Promise<AnswerDraft | undefined> {
  return db.selectFrom('answer_drafts').selectAll().where('id', '=', id).where('identity_id', '=', identityId).executeTakeFirst();
}

/** Removes and returns the chat's draft `id`: whoever takes it first acts on it, a second press finds nothing. */
export async function takeDraft(db: Db, id: number, identityId: number): Promise<AnswerDraft | undefined> {
  return db.deleteFrom('answer_drafts').where('id', '=', id).where('identity_id', '=', identityId).returningAll().executeTakeFirst();
}

/** The text of an inquiry's answer as it stands: its newest correction, else the answer; who wrote it; which kind of entry. */
export async function currentAnswer(db: Db, inquiryId: number): Promise<{ kind: 'answer' | 'answer_correction'; text: string; authorPersonId: number | null } | undefined> {
  const row = await db.selectFrom('inquiry_entries').select(['kind', 'text', 'author_person_id'])
    .where('inquiry_id', '=', inquiryId).where('kind', 'in', ['answer', 'answer_correction']).orderBy('id', 'desc').executeTakeFirst();
  if (!row) return undefined;
  return { kind: row.kind === 'answer_correction' ? 'answer_correction' : 'answer', text: row.text, authorPersonId: row.author_person_id === null ? null : Number(row.author_person_id) };
}
