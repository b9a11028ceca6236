import { sql, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Db } from '../client.js';
import type { Database, InquiryStatus } from '../schema.js';
import { OPEN_INQUIRY_STATUSES } from '../schema.js';
import { DenseHistogram } from './histogram.js';
import { COUNT_COLUMNS, NOT_COUNTED, REPLIED, statusExpr, type CountColumn, type Counts } from './stats-rollup.js';

/** Which inquiries a figure covers: agencies (ids; null = every one, 0 = not routed), topics, deadline classes. */
export interface FigureFilter {
  orgIds: readonly number[] | null;
  topicIds?: readonly number[];
  classes?: readonly string[];
}

/** What rollup sums are grouped by. */
export type RollupGroup = 'org' | 'topic' | 'class' | 'day';

/** A sum of rollup rows, with the group's keys and the merged first-response histogram. */
export type RollupSum = Counts & { org_id?: number; topic_id?: number; deadline_class?: string; period?: string; hist: Map<number, number> };

const GROUP_COLUMN = { org: 'org_id', topic: 'topic_id', class: 'deadline_class', day: 'period' } as const;

/**
 * The grain and period bounds that cover the local days [from, to] with as few rows as possible:
 * whole months from the monthly rows, the rest from the daily ones. `days` forces daily rows.
 */
export function rollupSlices(from: string, to: string, days = false): Array<{ grain: 'd' | 'm'; from: string; to: string }> {
  if (days || from.slice(0, 7) === to.slice(0, 7)) return [{ grain: 'd', from, to }];
  const slices: Array<{ grain: 'd' | 'm'; from: string; to: string }> = [];
  let firstMonth = from.slice(0, 7);
  if (!from.endsWith('-01')) {
    slices.push({ grain: 'd', from, to: `${firstMonth}-31` });
    firstMonth = nextMonth(firstMonth);
  }
  let lastMonth = to.slice(0, 7);
  if (to !== lastDayOf(lastMonth)) {
    slices.push({ grain: 'd', from: `${lastMonth}-01`, to });
    lastMonth = previousMonth(lastMonth);
  }
  if (firstMonth <= lastMonth) slices.push({ grain: 'm', from: firstMonth, to: lastMonth });
  return slices;
}

function nextMonth(month: string): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 7);
}

function previousMonth(month: string): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}

function lastDayOf(month: string): string {
  const d = new Date(`${nextMonth(month)}-01T00:00:00Z`);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

type RollupQuery = SelectQueryBuilder<Database, 'stats_rollup', object>;

function rollupFilter(q: RollupQuery, filter: FigureFilter): RollupQuery {
  let out = q;
  if (filter.orgIds) out = out.where('org_id', 'in', filter.orgIds.length > 0 ? filter.orgIds : [-1]);
  if (filter.topicIds) out = out.where('topic_id', 'in', filter.topicIds.length > 0 ? filter.topicIds : [-1]);
  if (filter.classes) out = out.where('deadline_class', 'in', filter.classes.length > 0 ? filter.classes : ['-']);
  return out;
}

/**
 * Sums of the rollup rows of the local days [from, to] (both included) under `filter`, one per
 * group (one row in all when `groupBy` is empty). `histogram`: also merge the first-response
 * histograms (costs a second read). Grouping by `day` reads daily rows only. `columns` narrows the
 * counts summed (the others are 0). Each slice (whole months, loose days) is one primary-key range
 * read; the slices' sums are added here (one query with `OR`ed slices made SQLite scan the table).
 */
export async function sumRollups(
  db: Db, range: { from: string; to: string }, filter: FigureFilter, groupBy: readonly RollupGroup[] = [], histogram = false,
  columns: readonly CountColumn[] = COUNT_COLUMNS,
): Promise<RollupSum[]> {
  const cols = groupBy.map((g) => GROUP_COLUMN[g]);
  const keyOf = (r: Record<string, unknown>) => cols.map((c) => String(r[c])).join('|');
  const out = new Map<string, RollupSum>();
  const merged = new Map<string, DenseHistogram>();
  for (const slice of rollupSlices(range.from, range.to, groupBy.includes('day'))) {
    const base = rollupFilter(db.selectFrom('stats_rollup').where('grain', '=', slice.grain).where('period', '>=', slice.from).where('period', '<=', slice.to), filter);
    const rows = await base.select([
      ...cols.map((c) => sql.ref(c).as(c)),
      ...columns.map((c) => sql<number>`coalesce(sum(${sql.ref(c)}), 0)`.as(c)),
    ]).$if(cols.length > 0, (q) => q.groupBy(cols.map((c) => sql.ref(c)))).execute();
    for (const r of rows as Array<Record<string, unknown>>) {
      const key = keyOf(r);
      let sum = out.get(key);
      if (!sum) {
        sum = { ...zero(), hist: new Map<number, number>() } as RollupSum;
        for (const c of cols) (sum as Record<string, unknown>)[c] = c === 'org_id' || c === 'topic_id' ? Number(r[c]) : r[c];
        out.set(key, sum);
      }
      for (const c of columns) sum[c] += Number(r[c] ?? 0);
    }
    if (!histogram) continue;
    const hists = await base.select([...cols.map((c) => sql.ref(c).as(c)), 'r_fr_hist']).where('r_fr_hist', 'is not', null).execute();
    for (const h of hists as Array<Record<string, unknown>>) {
      const key = keyOf(h);
      if (!out.has(key) || typeof h.r_fr_hist !== 'string') continue;
      let dense = merged.get(key);
      if (!dense) merged.set(key, (dense = new DenseHistogram()));
      dense.addJson(h.r_fr_hist);
    }
  }
  for (const [key, dense] of merged) out.get(key)!.hist = dense.toMap();
  // Summing over nothing still gives one row of zeros when nothing is grouped.
  if (cols.length === 0 && out.size === 0) out.set('', { ...zero(), hist: new Map() } as RollupSum);
  return [...out.values()];
}

function zero(): Counts {
  return Object.fromEntries(COUNT_COLUMNS.map((c) => [c, 0])) as Counts;
}

/** The received and replied counts of every day before `day` (for what a period carries over). */
export async function sumBefore(db: Db, day: string, filter: FigureFilter, groupBy: readonly ('org' | 'topic' | 'class')[] = []): Promise<RollupSum[]> {
  const prev = new Date(`${day}T00:00:00Z`);
  prev.setUTCDate(prev.getUTCDate() - 1);
  return sumRollups(db, { from: '1900-01-01', to: prev.toISOString().slice(0, 10) }, filter, groupBy, false, ['received', 'c_closed']);
}

const agency = sql<number>`coalesce(org_id, suggested_org_id, 0)`;

function inquiryFilter<T extends SelectQueryBuilder<Database, 'inquiries', object>>(q: T, filter: FigureFilter): T {
  let out = q;
  if (filter.orgIds) out = out.where(agency, 'in', filter.orgIds.length > 0 ? filter.orgIds : [-1]) as T;
  if (filter.topicIds) out = out.where(sql<number>`coalesce(topic_id, 0)`, 'in', filter.topicIds.length > 0 ? filter.topicIds : [-1]) as T;
  if (filter.classes) out = out.where(sql<string>`coalesce(deadline_class, '')`, 'in', filter.classes.length > 0 ? filter.classes : ['-']) as T;
  return out;
}

/** An inquiry not replied at some instant, with what the one-stop split and the league table need. */
export interface OpenRow {
  org_id: number;
  topic_id: number;
  deadline_class: string;
  due_at: string | null;
  original_due_at: string | null;
  paused_at: string | null;
}

/**
 * Counted inquiries received before `endIso` and not replied at `endIso`: those open now, and —
 * when `endIso` is in the past — those replied since.
 */
export async function openAt(db: Db, endIso: string, nowIso: string, filter: FigureFilter): Promise<OpenRow[]> {
  const select = (q: SelectQueryBuilder<Database, 'inquiries', object>) => inquiryFilter(q, filter).select([
    agency.as('org_id'), sql<number>`coalesce(topic_id, 0)`.as('topic_id'), sql<string>`coalesce(deadline_class, '')`.as('deadline_class'),
    'due_at', 'original_due_at', 'paused_at',
  ]).where('received_at', '<', endIso);
  const open = await select(db.selectFrom('inquiries')).where('status', 'in', OPEN_INQUIRY_STATUSES).execute();
  if (endIso >= nowIso) return open.map(toOpenRow);
  const since = await select(db.selectFrom('inquiries')).where(statusExpr(), 'in', REPLIED).where('closed_at', '>=', endIso)
.execute();
  return [...open, ...since].map(toOpenRow);
}

function toOpenRow(r: OpenRow): OpenRow {
  return { org_id: Number(r.org_id), topic_id: Number(r.topic_id), deadline_class: r.deadline_class, due_at: r.due_at, original_due_at: r.original_due_at, paused_at: r.paused_at };
}

/** One row of an inquiry list (overdue list, an agency's inquiries). */
export interface InquiryListRow {
  id: number;
  code: string | null;
  question: string;
  status: InquiryStatus;
  org_id: number;
  agency: string | null;
  topic: string | null;
  deadline_class: string | null;
  received_at: string;
  due_at: string | null;
  original_due_at: string | null;
  closed_at: string | null;
  handler: string | null;
  rating: string | null;
}

function listQuery(db: Db) {
  return db.selectFrom('inquiries')
    .leftJoin('orgs', (j) => j.on(sql<SqlBool>`orgs.id = coalesce(inquiries.org_id, inquiries.suggested_org_id)`))
    .leftJoin('topics', 'topics.id', 'inquiries.topic_id')
    .leftJoin('persons', 'persons.id', 'inquiries.handler_person_id')
    .select([
      'inquiries.id', 'inquiries.code', 'inquiries.question', 'inquiries.status', sql<number>`coalesce(inquiries.org_id, inquiries.suggested_org_id, 0)`.as('org_id'),
      'orgs.name as agency', 'topics.name as topic', 'inquiries.deadline_class', 'inquiries.received_at', 'inquiries.due_at',
      'inquiries.original_due_at', 'inquiries.closed_at', 'persons.full_name as handler', 'inquiries.rating',
    ]);
}

function listFilter<T extends SelectQueryBuilder<Database, 'inquiries' | 'orgs' | 'topics' | 'persons', object>>(q: T, filter: FigureFilter): T {
  let out = q;
  if (filter.orgIds) out = out.where(sql<number>`coalesce(inquiries.org_id, inquiries.suggested_org_id, 0)`, 'in', filter.orgIds.length > 0 ? filter.orgIds : [-1]) as T;
  if (filter.topicIds) out = out.where(sql<number>`coalesce(inquiries.topic_id, 0)`, 'in', filter.topicIds.length > 0 ? filter.topicIds : [-1]) as T;
  if (filter.classes) out = out.where(sql<string>`coalesce(inquiries.deadline_class, '')`, 'in', filter.classes.length > 0 ? filter.classes : ['-']) as T;
  return out;
}

/**
 * Open inquiries past their due time at `nowIso`, the longest overdue first (a paused one only
 * when it was already late when it paused), at most `limit`.
 */
export async function overdueInquiries(db: Db, nowIso: string, filter: FigureFilter, limit: number): Promise<InquiryListRow[]> {
  const rows = await listFilter(listQuery(db), filter)
    .where('inquiries.status', 'in', OPEN_INQUIRY_STATUSES).where('inquiries.due_at', '<', nowIso)
    .where((eb) => eb.or([eb('inquiries.paused_at', 'is', null), eb('inquiries.due_at', '<', eb.ref('inquiries.paused_at'))]))
    .orderBy('inquiries.due_at').orderBy('inquiries.id').limit(limit).execute();
  return rows.map((r) => ({ ...r, org_id: Number(r.org_id) }));
}

/** Counted inquiries received in [fromIso, toIso) under `filter`, newest first, a page at a time. */
export async function inquiriesReceived(db: Db, fromIso: string, toIso: string, filter: FigureFilter, page: { limit: number; offset: number }): Promise<InquiryListRow[]> {
  const rows = await listFilter(listQuery(db), filter)
    .where('inquiries.received_at', '>=', fromIso).where('inquiries.received_at', '<', toIso).where('inquiries.status', 'not in', NOT_COUNTED)
    .orderBy('inquiries.received_at', 'desc').orderBy('inquiries.id', 'desc').limit(page.limit).offset(page.offset).execute();
  return rows.map((r) => ({ ...r, org_id: Number(r.org_id) }));
}

/** An organisation as the figures name and scope it. */
export interface OrgEntry {
  id: number;
  code: string;
  name: string;
  name_en: string | null;
  type: string;
  parent_id: number | null;
}

/** Every organisation (the tree the scopes and filters walk), by code. */
export async function listOrgEntries(db: Db): Promise<OrgEntry[]> {
  const rows = await db.selectFrom('orgs').select(['id', 'code', 'name', 'name_en', 'type', 'parent_id']).orderBy('code').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), parent_id: r.parent_id === null ? null : Number(r.parent_id) }));
}

/** Every topic (id, code, names), by code. */
export async function listTopicEntries(db: Db): Promise<Array<{ id: number; code: string; name: string; name_en: string | null; org_id: number }>> {
  const rows = await db.selectFrom('topics').select(['id', 'code', 'name', 'name_en', 'org_id']).orderBy('code').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), org_id: Number(r.org_id) }));
}

/**
 * Which inquiries stand behind an annual-report figure: `received` counted ones received in the
 * period (each once, with its reply if any); `replied_earlier` replied in it but received before
 * (the rest of the replies given); `urgent` received in it with a 24-hour class.
 */
export type EvidenceKind = 'received' | 'replied_earlier' | 'urgent';

/** One inquiry behind a figure. */
export interface EvidenceRow {
  id: number;
  code: string | null;
  agency: string | null;
  deadline_class: string | null;
  status: InquiryStatus;
  received_at: string;
  due_at: string | null;
  original_due_at: string | null;
  closed_at: string | null;
  question: string;
}

/** Where a page of evidence resumes: after this (time, id), in the order of the kind's time column. */
export interface EvidenceCursor {
  at: string;
  id: number;
}

/** The columns of an evidence page, in the order {@link evidenceQuery} selects them (an {@link EvidenceTuple}'s order). */
export const EVIDENCE_COLUMNS = ['id', 'code', 'agency_id', 'deadline_class', 'status', 'received_at', 'due_at', 'original_due_at', 'closed_at', 'question'] as const;

/**
 * The query of a page (at most `limit`, after `after`) of the inquiries behind a figure, in the
 * order of the index it walks: receipt time (`received`, `urgent`) or reply time
 * (`replied_earlier`). Its columns are {@link EVIDENCE_COLUMNS}, in that order.
 */
export function evidenceQuery(db: Db, kind: EvidenceKind, fromIso: string, toIso: string, orgIds: readonly number[] | null, after: EvidenceCursor | null, limit: number) {
  const time = kind === 'replied_earlier' ? 'inquiries.closed_at' : 'inquiries.received_at';
  // The agency's name comes from the caller's map of names (a few hundred organisations), not a join per row.
  let q = db.selectFrom('inquiries')
    .select(['inquiries.id', 'inquiries.code', sql<number | null>`coalesce(inquiries.org_id, inquiries.suggested_org_id)`.as('agency_id'), 'inquiries.deadline_class', 'inquiries.status',
      'inquiries.received_at', 'inquiries.due_at', 'inquiries.original_due_at', 'inquiries.closed_at', 'inquiries.question'])
    // One plain lower bound, the cursor's when there is one (it is never before the period's
    // start): the index range then starts there. With the period's start beside it, SQLite began
    // every page at the start of the year (pages of 1,000 read the year's index ~165 times over),
    // and without a plain bound PostgreSQL re-read every earlier row per page.
    .where(time, '>=', after ? after.at : fromIso).where(time, '<', toIso);
  if (after) q = q.where((eb) => eb.or([eb(time, '>', after.at), eb('inquiries.id', '>', after.id)]));
  if (kind === 'replied_earlier') q = q.where(statusExpr('inquiries'), 'in', REPLIED).where('inquiries.received_at', '<', fromIso);
  else q = q.where('inquiries.status', 'not in', NOT_COUNTED);
  if (kind === 'urgent') q = q.where('inquiries.deadline_class', 'in', ['incident', 'public_opinion']);
  if (orgIds) q = q.where(sql<number>`coalesce(inquiries.org_id, inquiries.suggested_org_id, 0)`, 'in', orgIds.length > 0 ? orgIds : [-1]);
  return q.orderBy(time).orderBy('inquiries.id').limit(limit);
}

/**
 * A page (at most `limit`, after `after`) of the inquiries behind a figure, as objects, in the
 * order of the index it walks (see {@link evidenceQuery}).
 */
export async function evidenceInquiries(
  db: Db, kind: EvidenceKind, fromIso: string, toIso: string, orgIds: readonly number[] | null, after: EvidenceCursor | null, limit: number, orgNames: ReadonlyMap<number, string>,
): Promise<EvidenceRow[]> {
  const rows = await evidenceQuery(db, kind, fromIso, toIso, orgIds, after, limit).execute();
  return rows.map((r) => ({
    id: Number(r.id), code: r.code, agency: r.agency_id === null ? null : orgNames.get(Number(r.agency_id)) ?? null, deadline_class: r.deadline_class, status: r.status,
    received_at: r.received_at, due_at: r.due_at, original_due_at: r.original_due_at, closed_at: r.closed_at, question: r.question,
  }));
}

/** The person signed in as web identity `ownerId` (platform user id), with their name and locale. */
export async function personOfWebOwner(db: Db, ownerId: string): Promise<{ id: number; full_name: string; locale: string | null } | undefined> {
  const r = await db.selectFrom('identities').innerJoin('persons', 'persons.id', 'identities.person_id')
    .select(['persons.id', 'persons.full_name', 'persons.locale'])
    .where('identities.platform', '=', 'web').where('identities.platform_user_id', '=', ownerId).executeTakeFirst();
  return r ? { ...r, id: Number(r.id) } : undefined;
}
