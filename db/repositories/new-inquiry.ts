import { PostgresAdapter, sql } from 'kysely';
import type { Platform } from '../../adapters/types.js';
import type { Db } from '../client.js';
import type { Insertable } from 'kysely';
import type { Inquiry, InquiryEntriesTable, IsoInstant, MessageRefsTable } from '../schema.js';
import { compiledOnce, compiledRowOnce } from '../compiled.js';
import { auditRow, insertAudit, type AuditInput, type AuditRow } from './audit.js';
import { createInquiry, inquiryValues, NEXT_INQUIRY_ID, withInquiryId, type InquiryValues, type NewInquiry } from './inquiries.js';
import { PREPARED } from '../pg-prepared.js';

/** What a reporter's new question leaves beside the inquiry itself (see {@link createInquiryWithQuestion}). */
export interface QuestionRecords {
  /** The reporter's message, so a reply to it routes to the inquiry. */
  ref: { platform: Platform; chatId: string; messageId: string; personId: number };
  /** The reporter's chat, whose dialog (the question being asked) ends. */
  identityId: number;
  /** The inquiry's creation, about the new inquiry (its id is the entity's). */
  audit: Omit<AuditInput, 'entityId'>;
}

/**
 * Creates an inquiry (as `createInquiry`) with what its question leaves beside it: the reporter's
 * message ref, the `question` entry, the end of the reporter's dialog and the audit event; returns
 * the inquiry and the entry's id. PostgreSQL: ONE statement (data-modifying WITHs, each writing
 * with the id the sequence gave); SQLite: the five statements in turn (in-process calls).
 */
export async function createInquiryWithQuestion(db: Db, n: NewInquiry, r: QuestionRecords): Promise<{ inquiry: Inquiry; entryId: number }> {
  const ref = { platform: r.ref.platform, chat_id: r.ref.chatId, message_id: r.ref.messageId, kind: 'question' as const, person_id: r.ref.personId, created_at: n.receivedAt };
  const entry = { kind: 'question' as const, author_person_id: r.ref.personId, text: n.question, created_at: n.receivedAt };
  const dialog = { id: r.identityId, updated_at: n.receivedAt };
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    const inquiry = await createInquiry(db, n);
    await insertRefStatement(db, { ...ref, inquiry_id: inquiry.id });
    const { rows: [created] } = await insertEntryStatement(db, { ...entry, inquiry_id: inquiry.id });
    await endDialogStatement(db, dialog.id, dialog.updated_at);
    await insertAudit(db, { ...r.audit, entityId: inquiry.id });
    return { inquiry, entryId: created!.id };
  }
  const { entity_id: _entityId, ...audit } = auditRow({ ...r.audit, entityId: 0 });
  const { rows: [row] } = await createWithQuestionStatement(db, { inquiry: inquiryValues(n), ref, entry, dialog, audit });
  const { entry_id: entryId, ...inquiry } = row!;
  return { inquiry, entryId };
}

type QuestionRows = {
  inquiry: InquiryValues;
  ref: Omit<Insertable<MessageRefsTable>, 'inquiry_id'>;
  entry: Omit<Insertable<InquiryEntriesTable>, 'inquiry_id'>;
  dialog: { id: number; updated_at: IsoInstant };
  audit: Omit<AuditRow, 'entity_id'>;
};

const insertRefStatement = compiledRowOnce((db: Db, row: Insertable<MessageRefsTable>) => db.insertInto('message_refs').values(row));
const insertEntryStatement = compiledRowOnce((db: Db, row: Insertable<InquiryEntriesTable>) => db.insertInto('inquiry_entries').values(row).returning('id'));
const endDialogStatement = compiledOnce((db: Db, identityId: number, nowIso: IsoInstant) => db.updateTable('identities')
  .set({ dialog: null, updated_at: nowIso }).where('id', '=', identityId));

/** PostgreSQL: the inquiry and its question's records in ONE statement, each written with the id the sequence gave. */
const createWithQuestionStatement = compiledRowOnce((db: Db, r: QuestionRows) => {
  const id = sql<number>`(select id from next_inquiry)`;
  return db
    .with('next_inquiry', (qb) => qb.selectNoFrom(NEXT_INQUIRY_ID.as('id')))
    .with('created', (qb) => qb.insertInto('inquiries').values(withInquiryId(r.inquiry, id)).returningAll())
    .with('question_ref', (qb) => qb.insertInto('message_refs').values({ ...r.ref, inquiry_id: id }).returning('id'))
    .with('question_entry', (qb) => qb.insertInto('inquiry_entries').values({ ...r.entry, inquiry_id: id }).returning('id'))
    .with('dialog_ended', (qb) => qb.updateTable('identities').set({ dialog: null, updated_at: r.dialog.updated_at }).where('id', '=', r.dialog.id).returning('id'))
    .with('audited', (qb) => qb.insertInto('audit_events').values({ ...r.audit, entity_id: sql<string>`(select id::text from next_inquiry)` }).returning('id'))
    .selectFrom('created').selectAll('created').select(sql<number>`(select id from question_entry)`.as('entry_id'))
    .modifyEnd(PREPARED);
});
