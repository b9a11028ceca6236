import type { Platform } from '../../adapters/types.js';
import type { Db } from '../client.js';
import { compiledRowOnce } from '../compiled.js';
import { PostgresAdapter, sql, type RawBuilder } from 'kysely';
import { findInterruptedSendRef } from './interrupted-refs.js';
import { searchText } from './search-text.js';
import type {
  EntryKind, Inquiry, InquiryStatus, InquiryUpdate, MessageRef, MessageRefKind,
} from '../schema.js';
import { OPEN_INQUIRY_STATUSES } from '../schema.js';

/** Fields a new inquiry needs; the rest start empty. */
export interface NewInquiry {
  reporterPersonId: number;
  reporterIdentityId: number;
  originChatId: string;
  originMessageId: string;
  /** Null for a question with no topic (a press conference's question, routed to the agency it was put to). */
  topicId: number | null;
  orgId: number | null;
  suggestedOrgId: number;
  status: InquiryStatus;
  question: string;
  receivedAt: string;
  /** Its legal deadline, written by the insert itself (absent: none yet, `deadline_seq` 0). */
  deadline?: InquiryDeadline;
  /** The reporter asked for the urgent deadline. */
  urgentRequested?: boolean;
}

/** A new inquiry's deadline columns (its first deadline: `deadline_seq` 1). */
export type InquiryDeadline = Required<Pick<InquiryUpdate, 'deadline_class' | 'rule_id' | 'legal_basis' | 'deadline_counting' | 'due_at' | 'original_due_at' | 'clock_from_at'>>;

/** Inserts an inquiry and gives it its public code `Q-<id>`. */
export async function createInquiry(db: Db, n: NewInquiry): Promise<Inquiry> {
  const { rows: [inquiry] } = await createInquiryStatement(db, inquiryValues(n));
  return inquiry!;
}

const createInquiryStatement = compiledRowOnce((db: Db, values: InquiryValues) => {
  // The public code is `Q-<id>`, written by the insert itself: the id is taken first in the same
  // statement (PostgreSQL: the sequence, read once in a CTE; SQLite: the next AUTOINCREMENT value,
  // which a write statement reads and takes without another writer in between).
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const nextId = postgres
    ? sql<number>`(select id from next_inquiry)`
    : sql<number>`(select max(n) + 1 from (select coalesce(max(id), 0) as n from inquiries union all select seq from sqlite_sequence where name = 'inquiries'))`;
  const into = postgres
    ? db.with('next_inquiry', (qb) => qb.selectNoFrom(NEXT_INQUIRY_ID.as('id'))).insertInto('inquiries')
    : db.insertInto('inquiries');
  return into.values(withInquiryId(values, nextId)).returningAll();
});

/** The `inquiries` row of a new inquiry but its id and code (plain values). */
export type InquiryValues = ReturnType<typeof inquiryValues>;

/** The values of a new inquiry's `inquiries` row but its id and code (see {@link withInquiryId}). */
export function inquiryValues(n: NewInquiry) {
  return {
    reporter_person_id: n.reporterPersonId, reporter_identity_id: n.reporterIdentityId,
    origin_chat_id: n.originChatId, origin_message_id: n.originMessageId, topic_id: n.topicId,
    org_id: n.orgId, suggested_org_id: n.suggestedOrgId, status: n.status, question: n.question,
    received_at: n.receivedAt, deadline_class: null, rule_id: null, legal_basis: null, due_at: null,
    ...(n.deadline ? { ...n.deadline, deadline_seq: 1 } : {}),
    urgent_requested: n.urgentRequested ? 1 : 0, merged_into_id: null, decline_ground: null, decline_reason: null, reject_reason: null,
    handler_person_id: null, acknowledged_at: null, first_response_at: null, answered_at: null, closed_at: null,
    resume_status: null, rating: null, rated_at: null, search_text: searchText(n.question), created_at: n.receivedAt, updated_at: n.receivedAt,
  };
}

/** {@link inquiryValues} with the id `id` (an expression of the statement that inserts it) and the code `Q-<id>`. */
export function withInquiryId(values: InquiryValues, id: RawBuilder<number>) {
  return { ...values, id, code: sql<string>`'Q-' || ${id}` };
}

/** The PostgreSQL CTE that takes a new inquiry's id from its sequence (`select id from next_inquiry`). */
export const NEXT_INQUIRY_ID = sql<number>`nextval(pg_get_serial_sequence('inquiries', 'id'))`;

export async function findInquiry(db: Db, id: number): Promise<Inquiry | undefined> {
  return db.selectFrom('inquiries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds by public code, case-insensitive, with or without the `Q-` prefix. */
export async function findInquiryByCode(db: Db, code: string): Promise<Inquiry | undefined> {
  const m = /^\s*(?:q-?)?(\d{1,12})\s*$/i.exec(code);
  return m ? findInquiry(db, Number(m[1])) : undefined;
}

/**
 * Applies `changes` only if the inquiry is still in one of `expected` statuses, so two people
 * pressing buttons at once cannot both win. Returns the updated inquiry, or undefined when stale.
 */
export async function updateInquiryIf(db: Db, id: number, expected: readonly InquiryStatus[], changes: InquiryUpdate): Promise<Inquiry | undefined> {
  return updateInquiryGuarded(db, id, { from: expected, set: changes });
}

/** One guarded change of an inquiry: plain column values and the counters moved in SQL. */
export interface GuardedUpdate {
  /** The statuses the inquiry must still be in. */
  from: readonly InquiryStatus[];
  /** Also require that it has no rating yet (one rating per inquiry). */
  onlyUnrated?: boolean;
  set: InquiryUpdate;
  /** `deadline_seq + 1`: the deadline moved, its old jobs are stale. */
  bumpSeq?: boolean;
  /** `period_seq = deadline_seq + 1`: a new period begins with this sequence (needs `bumpSeq`). */
  newPeriod?: boolean;
  /** Added to `paused_ms`, in ms. */
  addPausedMs?: number;
  /** Stamped on `first_response_at` only when it is still empty. */
  firstResponseAt?: string;
}

/**
 * Applies a guarded change in one statement (`UPDATE … WHERE status IN (…) RETURNING *`), so two
 * people acting at once cannot both win, without a second read. Counters are moved in SQL, never
 * from a value read earlier. Returns the updated inquiry, or undefined when someone else acted first.
 */
export async function updateInquiryGuarded(db: Db, id: number, u: GuardedUpdate): Promise<Inquiry | undefined> {
  let q = db.updateTable('inquiries').set((eb) => ({
    ...u.set,
    ...(u.bumpSeq ? { deadline_seq: eb('deadline_seq', '+', 1) } : {}),
    ...(u.bumpSeq && u.newPeriod ? { period_seq: eb('deadline_seq', '+', 1) } : {}),
    ...(u.addPausedMs ? { paused_ms: eb('paused_ms', '+', u.addPausedMs) } : {}),
    ...(u.firstResponseAt ? { first_response_at: eb.fn.coalesce('first_response_at', eb.val(u.firstResponseAt)) } : {}),
  })).where('id', '=', id).where('status', 'in', [...u.from]);
  if (u.onlyUnrated) q = q.where('rating', 'is', null);
  return q.returningAll().executeTakeFirst();
}

/** Adds an entry to the inquiry's history; returns its id. */
export async function addEntry(db: Db, inquiryId: number, kind: EntryKind, authorPersonId: number | null, text: string, nowIso: string): Promise<number> {
  const row = await db.insertInto('inquiry_entries').values({ inquiry_id: inquiryId, kind, author_person_id: authorPersonId, text, created_at: nowIso })
    .returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The reporter's inquiries, newest first. */
export async function listReporterInquiries(db: Db, personId: number, limit = 20): Promise<Inquiry[]> {
  return db.selectFrom('inquiries').selectAll().where('reporter_person_id', '=', personId)
    .orderBy('id', 'desc').limit(limit).execute();
}

/** Open inquiries assigned to any of `orgIds` (or to one of `caseIds`), oldest first. */
export async function listOpenInquiries(db: Db, orgIds: readonly number[], caseIds: readonly number[] = [], limit = 30): Promise<Inquiry[]> {
  if (orgIds.length === 0 && caseIds.length === 0) return [];
  return db.selectFrom('inquiries').selectAll()
    .where('status', 'in', OPEN_INQUIRY_STATUSES.filter((s) => s !== 'screening'))
    .where((eb) => eb.or([
      ...(orgIds.length > 0 ? [eb('org_id', 'in', [...orgIds])] : []),
      ...(caseIds.length > 0 ? [eb('id', 'in', [...caseIds])] : []),
    ]))
    .orderBy('received_at').limit(limit).execute();
}

/** Inquiries merged into `id`, whose reporters receive its answer too. */
export async function listMergedInto(db: Db, id: number): Promise<Inquiry[]> {
  return db.selectFrom('inquiries').selectAll().where('merged_into_id', '=', id).where('status', '=', 'merged').execute();
}

/** Records that a platform message belongs to an inquiry (inbound questions; outbound refs come from the outbox). */
export async function addMessageRef(db: Db, ref: { platform: Platform; chatId: string; messageId: string; inquiryId: number; kind: MessageRefKind; personId: number | null; nowIso: string }): Promise<void> {
  await db.insertInto('message_refs').values({
    platform: ref.platform, chat_id: ref.chatId, message_id: ref.messageId, inquiry_id: ref.inquiryId,
    kind: ref.kind, person_id: ref.personId, created_at: ref.nowIso,
  }).execute();
}

/**
 * What a replied-to platform message was, if it is one of ours: its `message_refs` row, else (a
 * message delivered by a send whose id a crash kept us from recording) the interrupted send's.
 */
export async function findMessageRef(db: Db, platform: Platform, chatId: string, messageId: string): Promise<MessageRef | undefined> {
  if (messageId === '') return undefined;
  const recorded = () => db.selectFrom('message_refs').selectAll()
    .where('platform', '=', platform).where('chat_id', '=', chatId).where('message_id', '=', messageId)
    .orderBy('id', 'desc').executeTakeFirst();
  // A reply can overtake the record of its message (PostgreSQL, a loaded machine): when the record
  // commits between the two reads below, the send is no longer in flight either; read the refs again.
  return (await recorded()) ?? (await findInterruptedSendRef(db, platform, chatId, messageId)) ?? recorded();
}
