import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { ConferenceStatus, CorrectionOutcome } from '../schema-stats.js';

/** The organisations a record may belong to (null: every one). */
type OrgIds = readonly number[] | null;

const inOrgs = (ids: OrgIds) => (ids === null ? undefined : ids.length > 0 ? ids : [-1]);

/** A press conference as lists and reports show it. */
export interface ConferenceRow {
  id: number;
  code: string | null;
  title: string;
  starts_at: string;
  place: string;
  topics: string;
  host_org_id: number;
  host: string;
  status: ConferenceStatus;
  held_at: string | null;
  notice_id: number | null;
}

function conferenceQuery(db: Db) {
  return db.selectFrom('press_conferences as c').innerJoin('orgs', 'orgs.id', 'c.host_org_id')
    .select(['c.id', 'c.code', 'c.title', 'c.starts_at', 'c.place', 'c.topics', 'c.host_org_id', 'orgs.name as host', 'c.status', 'c.held_at', 'c.notice_id']);
}

/** Conferences starting in [fromIso, toIso) hosted in `orgIds`, by start; `status` narrows. */
export async function listConferences(db: Db, fromIso: string, toIso: string, orgIds: OrgIds, status?: ConferenceStatus): Promise<ConferenceRow[]> {
  const ids = inOrgs(orgIds);
  let q = conferenceQuery(db).where('c.starts_at', '>=', fromIso).where('c.starts_at', '<', toIso);
  if (ids) q = q.where('c.host_org_id', 'in', ids);
  if (status) q = q.where('c.status', '=', status);
  return (await q.orderBy('c.starts_at').orderBy('c.id').execute()).map((r) => ({ ...r, id: Number(r.id), host_org_id: Number(r.host_org_id) }));
}

/** One conference by id or code (`HB-12`, `12`). */
export async function findConference(db: Db, idOrCode: number | string): Promise<ConferenceRow | undefined> {
  const m = typeof idOrCode === 'number' ? [String(idOrCode), String(idOrCode)] : /^\s*(?:hb-?)?(\d{1,12})\s*$/i.exec(idOrCode);
  if (!m) return undefined;
  const r = await conferenceQuery(db).where('c.id', '=', Number(m[1])).executeTakeFirst();
  return r ? { ...r, id: Number(r.id), host_org_id: Number(r.host_org_id) } : undefined;
}

/** The newest held conference's start per host organisation. */
export async function lastHeldByHost(db: Db): Promise<Map<number, string>> {
  const rows = await db.selectFrom('press_conferences').select(['host_org_id', sql<string>`max(starts_at)`.as('last')])
    .where('status', '=', 'held').groupBy('host_org_id').execute();
  return new Map(rows.map((r) => [Number(r.host_org_id), r.last]));
}

/** A new conference. */
export interface NewConference {
  title: string;
  startsAt: string;
  place: string;
  topics: string;
  hostOrgId: number;
  agencyIds: readonly number[];
  createdBy: number | null;
  nowIso: string;
}

/** Inserts a scheduled conference with its presenting agencies; gives it its code `HB-<id>`. */
export async function insertConference(db: Db, c: NewConference): Promise<ConferenceRow> {
  const { id } = await db.insertInto('press_conferences').values({
    code: null, title: c.title, starts_at: c.startsAt, place: c.place, topics: c.topics, host_org_id: c.hostOrgId, status: 'scheduled',
    notice_id: null, created_by_person_id: c.createdBy, held_at: null, held_by_person_id: null, created_at: c.nowIso, updated_at: c.nowIso,
  }).returning('id').executeTakeFirstOrThrow();
  await db.updateTable('press_conferences').set({ code: `HB-${id}` }).where('id', '=', id).execute();
  for (const orgId of new Set(c.agencyIds)) await db.insertInto('press_conference_agencies').values({ conference_id: id, org_id: orgId }).execute();
  return (await findConference(db, Number(id)))!;
}

/** Links the announcement notice. */
export async function setConferenceNotice(db: Db, id: number, noticeId: number, nowIso: string): Promise<void> {
  await db.updateTable('press_conferences').set({ notice_id: noticeId, updated_at: nowIso }).where('id', '=', id).execute();
}

/** Marks a scheduled conference held; false when it was not scheduled any more (someone else did). */
export async function markConferenceHeld(db: Db, id: number, by: number | null, nowIso: string): Promise<boolean> {
  const r = await db.updateTable('press_conferences').set({ status: 'held', held_at: nowIso, held_by_person_id: by, updated_at: nowIso })
    .where('id', '=', id).where('status', '=', 'scheduled').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The presenting agencies' ids. */
export async function conferenceAgencies(db: Db, id: number): Promise<number[]> {
  const rows = await db.selectFrom('press_conference_agencies').select('org_id').where('conference_id', '=', id).execute();
  return rows.map((r) => Number(r.org_id));
}

/** Registers a reporter; false when already registered. */
export async function registerForConference(db: Db, id: number, personId: number, nowIso: string): Promise<boolean> {
  const existing = await db.selectFrom('press_conference_registrations').select('person_id').where('conference_id', '=', id).where('person_id', '=', personId).executeTakeFirst();
  if (existing) return false;
  await db.insertInto('press_conference_registrations').values({ conference_id: id, person_id: personId, created_at: nowIso }).execute();
  return true;
}

/** How many reporters registered. */
export async function countRegistrations(db: Db, id: number): Promise<number> {
  const r = await db.selectFrom('press_conference_registrations').select((eb) => eb.fn.countAll<number>().as('n')).where('conference_id', '=', id).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Stores a question sent in advance. */
export async function insertConferenceQuestion(db: Db, q: { conferenceId: number; personId: number; identityId: number; orgId: number; question: string; messageId: string; nowIso: string }): Promise<number> {
  const r = await db.insertInto('press_conference_questions').values({
    conference_id: q.conferenceId, person_id: q.personId, identity_id: q.identityId, org_id: q.orgId, question: q.question, message_id: q.messageId, status: 'pending',
    inquiry_id: null, created_at: q.nowIso, updated_at: q.nowIso,
  }).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

/** A conference's questions, oldest first. */
export async function listConferenceQuestions(db: Db, id: number) {
  return db.selectFrom('press_conference_questions').selectAll().where('conference_id', '=', id).orderBy('id').execute();
}

/** Settles a pending question: answered on the day, or converted into inquiry `inquiryId`. */
export async function settleConferenceQuestion(db: Db, questionId: number, status: 'answered' | 'converted', inquiryId: number | null, nowIso: string): Promise<boolean> {
  const r = await db.updateTable('press_conference_questions').set({ status, inquiry_id: inquiryId, updated_at: nowIso })
    .where('id', '=', questionId).where('status', '=', 'pending').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A correction request as lists and reports show it. */
export interface CorrectionRow {
  id: number;
  code: string | null;
  org_id: number;
  agency: string;
  outlet_name: string;
  article: string;
  published_on: string;
  requested_on: string;
  grounds: string;
  outcome: CorrectionOutcome;
  outcome_note: string | null;
  /** The official letter: `attachment:<id>` (a file in the blob store), or null. */
  document_ref: string | null;
  /** The letter's file name, when it is a stored file. */
  document_name: string | null;
}

/** The attachment id of `r.document_ref` when it names a stored file (`attachment:<digits>`), else null. */
const letterAttachmentId = sql<number>`case when r.document_ref like 'attachment:%' then cast(substr(r.document_ref, 12) as integer) end`;

/** Correction requests made on local dates [from, to] by agencies in `orgIds`. */
export async function listCorrections(db: Db, from: string, to: string, orgIds: OrgIds): Promise<CorrectionRow[]> {
  const ids = inOrgs(orgIds);
  let q = db.selectFrom('correction_requests as r').innerJoin('orgs', 'orgs.id', 'r.org_id')
    // By the attachment's key (`attachment:<id>` → id), so each letter is one key lookup, not a scan of every file.
    .leftJoin('attachments as a', (j) => j.on('a.id', '=', letterAttachmentId).on('a.status', '=', 'stored'))
    .select(['r.id', 'r.code', 'r.org_id', 'orgs.name as agency', 'r.outlet_name', 'r.article', 'r.published_on', 'r.requested_on', 'r.grounds', 'r.outcome', 'r.outcome_note', 'r.document_ref', 'a.name as document_name'])
    .where('r.requested_on', '>=', from).where('r.requested_on', '<=', to);
  if (ids) q = q.where('r.org_id', 'in', ids);
  return (await q.orderBy('r.requested_on').orderBy('r.id').execute()).map((r) => ({ ...r, id: Number(r.id), org_id: Number(r.org_id) }));
}

/** A new correction request. */
export interface NewCorrection {
  orgId: number;
  recordedBy: number | null;
  outletId: number | null;
  outletName: string;
  article: string;
  publishedOn: string;
  requestedOn: string;
  grounds: string;
  documentRef: string | null;
  nowIso: string;
}

/** Inserts a correction request (outcome pending) and gives it its code `CC-<id>`. */
export async function insertCorrection(db: Db, c: NewCorrection): Promise<string> {
  const { id } = await db.insertInto('correction_requests').values({
    code: null, org_id: c.orgId, recorded_by_person_id: c.recordedBy, outlet_id: c.outletId, outlet_name: c.outletName, article: c.article,
    published_on: c.publishedOn, requested_on: c.requestedOn, grounds: c.grounds, outcome: 'pending', outcome_note: null, outcome_on: null,
    document_ref: c.documentRef, created_at: c.nowIso, updated_at: c.nowIso,
  }).returning('id').executeTakeFirstOrThrow();
  const code = `CC-${id}`;
  await db.updateTable('correction_requests').set({ code }).where('id', '=', id).execute();
  return code;
}

/** The agency of the correction request whose official letter is `documentRef` (`attachment:<id>`), if any. */
export async function correctionOfLetter(db: Db, documentRef: string): Promise<{ org_id: number } | undefined> {
  const r = await db.selectFrom('correction_requests').select('org_id').where('document_ref', '=', documentRef).limit(1).executeTakeFirst();
  return r ? { org_id: Number(r.org_id) } : undefined;
}

/** One correction request by code (`CC-3`, `3`). */
export async function findCorrection(db: Db, code: string) {
  const m = /^\s*(?:cc-?)?(\d{1,12})\s*$/i.exec(code);
  return m ? db.selectFrom('correction_requests').selectAll().where('id', '=', Number(m[1])).executeTakeFirst() : undefined;
}

/** Sets (or replaces) a correction request's official letter (`attachment:<id>`). */
export async function setCorrectionLetter(db: Db, id: number, documentRef: string, nowIso: string): Promise<void> {
  await db.updateTable('correction_requests').set({ document_ref: documentRef, updated_at: nowIso }).where('id', '=', id).execute();
}

/** Records a correction request's outcome. */
export async function setCorrectionOutcome(db: Db, id: number, outcome: CorrectionOutcome, note: string | null, on: string, nowIso: string): Promise<void> {
  await db.updateTable('correction_requests').set({ outcome, outcome_note: note, outcome_on: on, updated_at: nowIso }).where('id', '=', id).execute();
}

/** A statement as lists and reports show it. */
export interface StatementRow {
  id: number;
  code: string | null;
  org_id: number;
  agency: string;
  title: string;
  event_at: string;
  published_at: string;
  link: string | null;
}

/** Statements about events that happened in [fromIso, toIso) by agencies in `orgIds`. */
export async function listStatements(db: Db, fromIso: string, toIso: string, orgIds: OrgIds): Promise<StatementRow[]> {
  const ids = inOrgs(orgIds);
  let q = db.selectFrom('statements as s').innerJoin('orgs', 'orgs.id', 's.org_id')
    .select(['s.id', 's.code', 's.org_id', 'orgs.name as agency', 's.title', 's.event_at', 's.published_at', 's.link'])
    .where('s.event_at', '>=', fromIso).where('s.event_at', '<', toIso);
  if (ids) q = q.where('s.org_id', 'in', ids);
  return (await q.orderBy('s.event_at').orderBy('s.id').execute()).map((r) => ({ ...r, id: Number(r.id), org_id: Number(r.org_id) }));
}

/** Inserts an own-initiative statement and gives it its code `TB-<id>`. */
export async function insertStatement(db: Db, s: { orgId: number; recordedBy: number | null; title: string; eventAt: string; publishedAt: string; link: string | null; nowIso: string }): Promise<string> {
  const { id } = await db.insertInto('statements').values({
    code: null, org_id: s.orgId, recorded_by_person_id: s.recordedBy, title: s.title, event_at: s.eventAt, published_at: s.publishedAt, link: s.link,
    created_at: s.nowIso, updated_at: s.nowIso,
  }).returning('id').executeTakeFirstOrThrow();
  const code = `TB-${id}`;
  await db.updateTable('statements').set({ code }).where('id', '=', id).execute();
  return code;
}

/** People holding the active admin role. */
export async function activeAdminIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('role_assignments').select('person_id').distinct().where('role', '=', 'admin').where('status', '=', 'active').execute();
  return rows.map((r) => Number(r.person_id));
}
