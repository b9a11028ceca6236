import { sql, type SqlBool } from 'kysely';
import type { Db } from '../client.js';
import { recordRead } from './inbox-changes.js';
import type { EntryKind, InquiryStatus } from '../schema.js';

/** One row of a person's inbox: an inquiry with its agency's name and the entries they have not read. */
export interface InboxRow {
  id: number;
  code: string;
  question: string;
  status: InquiryStatus;
  /** The routed agency, else the suggested one (0: none). */
  orgId: number;
  agency: string | null;
  agencyEn: string | null;
  topicId: number | null;
  /** ISO-8601 UTC instants. */
  receivedAt: string;
  dueAt: string | null;
  /** Entries written by others after the newest one this person opened. */
  unread: number;
}

/**
 * Which inquiries a list holds. Every field narrows it (all of them must hold); the caller builds
 * it from the reader's roles, so the scope is decided once, in `src/inbox/scope.ts`.
 */
export interface InboxFilter {
  /** Only this reporter's inquiries. */
  reporterPersonId?: number;
  /** Only the inquiries this person follows (another reporter's questions). */
  followerPersonId?: number;
  /** Only inquiries whose agency (routed, else suggested) is one of these; with `caseIds`, either. */
  agencyIds?: readonly number[];
  /** Inquiries a person is authorised for, in addition to `agencyIds`. */
  caseIds?: readonly number[];
  statuses?: readonly InquiryStatus[];
  /** Only those due before this ISO instant (overdue lists). */
  dueBefore?: string;
  /** Words (already in `searchText()` form) the question must all contain. */
  words?: readonly string[];
  topicId?: number;
  /** Only these inquiries. */
  ids?: readonly number[];
  /** Leave this inquiry out (the one being screened, when looking for duplicates). */
  exceptId?: number;
  /** Count only these kinds of entries as unread (a follower sees the public ones only); default every kind. */
  unreadKinds?: readonly EntryKind[];
}

/** `due`: earliest due first, those with no due time last (so overdue comes first); `recent`: newest first. */
export type InboxOrder = 'due' | 'recent';

const AGENCY = sql<number>`coalesce(i.org_id, i.suggested_org_id, 0)`;

/** The inquiries `filter` selects, with `personId`'s unread counts; at most `limit` (≤ 200). */
export async function listInbox(db: Db, personId: number, filter: InboxFilter, order: InboxOrder, limit: number): Promise<InboxRow[]> {
  if ((filter.agencyIds?.length ?? 1) === 0 && (filter.caseIds?.length ?? 0) === 0) return [];
  const readUpTo = sql<number>`coalesce((select r.last_entry_id from inbox_reads r where r.person_id = ${personId} and r.inquiry_id = i.id), 0)`;
  const kinds = filter.unreadKinds === undefined ? sql`` : sql` and e.kind in (${sql.join(filter.unreadKinds.length > 0 ? [...filter.unreadKinds] : ['-'])})`;
  let q = db.selectFrom('inquiries as i')
    .leftJoin('orgs as o', (j) => j.on(sql<SqlBool>`o.id = coalesce(i.org_id, i.suggested_org_id)`))
    .select([
      'i.id', 'i.code', 'i.question', 'i.status', 'i.topic_id', 'i.received_at', 'i.due_at', AGENCY.as('org_id'), 'o.name as agency', 'o.name_en as agency_en',
      sql<number>`(select count(*) from inquiry_entries e where e.inquiry_id = i.id and e.id > ${readUpTo} and (e.author_person_id is null or e.author_person_id <> ${personId})${kinds})`.as('unread'),
    ]);
  if (filter.reporterPersonId !== undefined) q = q.where('i.reporter_person_id', '=', filter.reporterPersonId);
  if (filter.followerPersonId !== undefined) {
    const follower = filter.followerPersonId;
    q = q.where(({ exists, selectFrom }) => exists(selectFrom('inquiry_followers as f').select('f.person_id').whereRef('f.inquiry_id', '=', 'i.id').where('f.person_id', '=', follower)));
  }
  if (filter.agencyIds !== undefined) {
    const agencies = filter.agencyIds;
    const cases = filter.caseIds ?? [];
    q = q.where((eb) => eb.or([
      ...(agencies.length > 0 ? [eb(AGENCY, 'in', [...agencies])] : []),
      ...(cases.length > 0 ? [eb('i.id', 'in', [...cases])] : []),
    ]));
  }
  if (filter.statuses) q = q.where('i.status', 'in', [...filter.statuses]);
  if (filter.dueBefore !== undefined) q = q.where('i.due_at', '<', filter.dueBefore);
  if (filter.topicId !== undefined) q = q.where('i.topic_id', '=', filter.topicId);
  if (filter.ids !== undefined) q = q.where('i.id', 'in', filter.ids.length > 0 ? [...filter.ids] : [-1]);
  if (filter.exceptId !== undefined) q = q.where('i.id', '<>', filter.exceptId);
  for (const word of filter.words ?? []) {
    // The words are letters and digits only (searchText), so no LIKE wildcard can come from a search.
    q = q.where(sql<string>`coalesce(i.search_text, lower(i.question))`, 'like', `%${word}%`);
  }
  q = order === 'due'
    ? q.orderBy(sql`case when i.due_at is null then 1 else 0 end`).orderBy('i.due_at').orderBy('i.id')
    : q.orderBy('i.received_at', 'desc').orderBy('i.id', 'desc');
  const rows = await q.limit(Math.min(Math.max(limit, 1), 200)).execute();
  return rows.map((r) => ({
    id: Number(r.id), code: r.code ?? `Q-${r.id}`, question: r.question, status: r.status, orgId: Number(r.org_id), agency: r.agency ?? null,
    agencyEn: r.agency_en ?? null, topicId: r.topic_id === null ? null : Number(r.topic_id), receivedAt: r.received_at, dueAt: r.due_at, unread: Number(r.unread),
  }));
}

/** A reporter registration waiting for a coordinator. */
export interface PendingRegistration { personId: number; name: string; outlet: string | null; since: string }

/** Reporters waiting for verification, oldest first (every coordinator verifies: see `allCoordinators`). */
export async function pendingRegistrations(db: Db, limit: number): Promise<PendingRegistration[]> {
  const rows = await db.selectFrom('role_assignments as r').innerJoin('persons as p', 'p.id', 'r.person_id')
    .leftJoin('outlets as o', 'o.id', 'p.outlet_id')
    .select(['p.id', 'p.full_name', sql<string | null>`coalesce(o.name, p.outlet_name)`.as('outlet'), 'r.created_at'])
    .where('r.role', '=', 'reporter').where('r.status', '=', 'pending')
    .orderBy('r.created_at').orderBy('r.id').limit(limit).execute();
  return rows.map((r) => ({ personId: Number(r.id), name: r.full_name, outlet: r.outlet ?? null, since: r.created_at }));
}

/**
 * Marks inquiry `inquiryId`'s thread read by `personId` up to its newest entry now. When the
 * marker moved, an inbox change for this reader is recorded too (after the marker, so a page told
 * of it reads the new counts): their other pages' unread counts follow. A marker that did not move
 * records nothing, so two tabs showing one thread do not wake each other for ever.
 */
export async function markRead(db: Db, personId: number, inquiryId: number, nowIso: string): Promise<void> {
  const newest = await db.selectFrom('inquiry_entries').select(sql<number | null>`max(id)`.as('id')).where('inquiry_id', '=', inquiryId).executeTakeFirst();
  const last = Number(newest?.id ?? 0);
  const before = await lastReadEntry(db, personId, inquiryId);
  await db.insertInto('inbox_reads').values({ person_id: personId, inquiry_id: inquiryId, last_entry_id: last, read_at: nowIso })
    .onConflict((oc) => oc.columns(['person_id', 'inquiry_id']).doUpdateSet({ last_entry_id: last, read_at: nowIso }))
    .execute();
  if (last > before) await recordRead(db, personId, inquiryId);
}

/** The newest entry id of the inquiry this person has read (0: none). */
export async function lastReadEntry(db: Db, personId: number, inquiryId: number): Promise<number> {
  const r = await db.selectFrom('inbox_reads').select('last_entry_id').where('person_id', '=', personId).where('inquiry_id', '=', inquiryId).executeTakeFirst();
  return Number(r?.last_entry_id ?? 0);
}

/** An inquiry a new question may repeat: what the similarity score and the offer need, nothing more. */
export interface SimilarCandidate {
  id: number;
  code: string;
  question: string;
  status: InquiryStatus;
  /** The routed agency, else the suggested one (null: none): whose coordinators may be shown it. */
  orgId: number | null;
  /** Asked by the person looking (their own question). */
  mine: boolean;
  /** The person looking follows it already. */
  following: boolean;
}

/**
 * In one statement, the newest `limit` (≤ 200) inquiries in `statuses` that a question may repeat,
 * in topic `topicId` when given (else every topic), leaving out `exceptId`; each marked as
 * `personId`'s own or followed by them. The caller scores them (`flows/inquiry/similar.ts`).
 */
export async function similarCandidates(
  db: Db, personId: number, filter: { statuses: readonly InquiryStatus[]; topicId?: number; exceptId?: number }, limit: number,
): Promise<SimilarCandidate[]> {
  let q = db.selectFrom('inquiries as i').select([
    'i.id', 'i.code', 'i.question', 'i.status', sql<number | null>`coalesce(i.org_id, i.suggested_org_id)`.as('org_id'),
    sql<number>`case when i.reporter_person_id = ${personId} then 1 else 0 end`.as('mine'),
    sql<number>`case when exists (select 1 from inquiry_followers f where f.inquiry_id = i.id and f.person_id = ${personId}) then 1 else 0 end`.as('following'),
  ]).where('i.status', 'in', [...filter.statuses]);
  if (filter.topicId !== undefined) q = q.where('i.topic_id', '=', filter.topicId);
  if (filter.exceptId !== undefined) q = q.where('i.id', '<>', filter.exceptId);
  const rows = await q.orderBy('i.received_at', 'desc').orderBy('i.id', 'desc').limit(Math.min(Math.max(limit, 1), 200)).execute();
  return rows.map((r) => ({
    id: Number(r.id), code: r.code ?? `Q-${r.id}`, question: r.question, status: r.status, orgId: r.org_id === null ? null : Number(r.org_id), mine: Number(r.mine) === 1, following: Number(r.following) === 1,
  }));
}
