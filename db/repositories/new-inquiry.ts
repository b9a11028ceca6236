import { PostgresAdapter, sql } from 'kysely';
import type { Platform } from '../../adapters/types.js';
import type { Db } from '../client.js';
import type { Inquiry } from '../schema.js';
import { auditRow, type AuditInput } from './audit.js';
import { createInquiry, inquiryValues, NEXT_INQUIRY_ID, type NewInquiry } from './inquiries.js';
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
  const ref = (inquiryId: unknown) => ({ platform: r.ref.platform, chat_id: r.ref.chatId, message_id: r.ref.messageId, inquiry_id: inquiryId as number, kind: 'question' as const, person_id: r.ref.personId, created_at: n.receivedAt });
  const entry = (inquiryId: unknown) => ({ inquiry_id: inquiryId as number, kind: 'question' as const, author_person_id: r.ref.personId, text: n.question, created_at: n.receivedAt });
  const endDialog = (via: Db) => via.updateTable('identities').set({ dialog: null, updated_at: n.receivedAt }).where('id', '=', r.identityId);
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    const inquiry = await createInquiry(db, n);
    await db.insertInto('message_refs').values(ref(inquiry.id)).execute();
    const entryId = (await db.insertInto('inquiry_entries').values(entry(inquiry.id)).returning('id').executeTakeFirstOrThrow()).id;
    await endDialog(db).execute();
    await db.insertInto('audit_events').values(auditRow({ ...r.audit, entityId: inquiry.id })).execute();
    return { inquiry, entryId };
  }
  const id = sql<number>`(select id from next_inquiry)`;
  const row = await db
    .with('next_inquiry', (qb) => qb.selectNoFrom(NEXT_INQUIRY_ID.as('id')))
    .with('created', (qb) => qb.insertInto('inquiries').values(inquiryValues(n, id)).returningAll())
    .with('question_ref', (qb) => qb.insertInto('message_refs').values(ref(id)).returning('id'))
    .with('question_entry', (qb) => qb.insertInto('inquiry_entries').values(entry(id)).returning('id'))
    .with('dialog_ended', () => endDialog(db).returning('id'))
    .with('audited', (qb) => qb.insertInto('audit_events').values({ ...auditRow({ ...r.audit, entityId: 0 }), entity_id: sql<string>`(select id::text from next_inquiry)` }).returning('id'))
    .selectFrom('created').selectAll('created').select(sql<number>`(select id from question_entry)`.as('entry_id'))
    .modifyEnd(PREPARED).executeTakeFirstOrThrow();
  const { entry_id: entryId, ...inquiry } = row;
  return { inquiry, entryId };
}
