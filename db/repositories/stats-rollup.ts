import { PostgresAdapter, sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../client.js';
import type { InquiryStatus } from '../schema.js';
import type { StatsRollupTable } from '../schema-stats.js';

/**
 * The daily and monthly sums behind every figure (`stats_rollup`), recomputed from the inquiries
 * for each local day the triggers marked (`stats_dirty`). One definition per count:
 *
 * An inquiry **counts** unless it was merged, rejected (out of scope) or withdrawn. Its **agency**
 * is `org_id`, else the suggested one (while in screening), else 0. It is **replied** when answered
 * or declined (a decline with its ground is a reply in law); its reply time is `closed_at` (the
 * same instant as `answered_at` for an answer).
 *
 * Per local day D (`grain = 'd'`), agency, topic and deadline class:
 * - `received`: counted inquiries received on D (the **received cohort**); of them, as they are now:
 *   `r_replied`; `r_on_time` replied by the due time in force (extensions included), `r_on_time_ne`
 *   by the legal one (`original_due_at`: as if no extension had been granted); `r_extended` whose due
 *   time was extended; `r_declined_<ground>`; `r_rated_<rating>`; `r_followups` the follow-ups they
 *   received; `r_fr_count` and `r_fr_hist` their first responses' office minutes (histogram buckets:
 *   see `bucketExpr`), also merged per agency into `stats_fr_agency` (the league table's quantiles);
 * - `c_closed`: counted inquiries replied on D (the **replies given** that day, whenever received);
 *   `c_on_time` / `c_on_time_ne` of them replied by the due time in force / the legal one.
 * `grain = 'm'` rows are the sums of a month's day rows.
 */
export const COUNT_COLUMNS = [
  'received', 'r_replied', 'r_on_time', 'r_on_time_ne', 'r_extended',
  'r_declined_secret', 'r_declined_investigation', 'r_declined_unresolved', 'r_declined_draft_policy',
  'r_rated_satisfied', 'r_rated_acceptable', 'r_rated_unsatisfied', 'r_followups', 'r_fr_count',
  'c_closed', 'c_on_time', 'c_on_time_ne',
] as const satisfies ReadonlyArray<keyof StatsRollupTable>;

export type CountColumn = (typeof COUNT_COLUMNS)[number];
export type Counts = Record<CountColumn, number>;

/** Statuses that keep an inquiry out of every figure. */
export const NOT_COUNTED: readonly InquiryStatus[] = ['merged', 'rejected', 'withdrawn'];
/** Statuses of a replied inquiry. */
export const REPLIED: readonly InquiryStatus[] = ['answered', 'declined'];

/**
 * `status` as an expression rather than the column: reads by reply time must walk the `closed_at`
 * index, but SQLite's planner prefers the index on `status` for an `IN` (95 % of the rows are
 * replied), turning a day's read into a scan of every inquiry. An expression cannot use an index.
 */
export const statusExpr = (table?: string) => sql<string>`coalesce(${sql.ref(table ? `${table}.status` : 'status')}, '')`;

/** Days recomputed per transaction (an initial build of years of data goes in steps). */
const DAYS_PER_BATCH = 31;
/** Dirty marks read per refresh. */
const MARKS_PER_REFRESH = 20_000;
/** Rows per multi-row INSERT (kept under SQLite's bound-parameter limit). */
const INSERT_CHUNK = 40;
/** PostgreSQL advisory lock held by the one process recomputing (others skip that round). */
const REFRESH_LOCK = 915_001;

/** 00:00 of a local date (UTC+7, no daylight saving) as a UTC ISO instant. */
export function dayStartIso(day: string): string {
  return new Date(`${day}T00:00:00+07:00`).toISOString();
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** What {@link refreshRollups} did. */
export interface RefreshOutcome {
  /** Days recomputed. */
  days: number;
  /** True when another process held the refresh (PostgreSQL) and this call did nothing. */
  busy: boolean;
}

/**
 * Recomputes the sums of every day marked dirty (and of their months), then forgets exactly the
 * marks it read: a mark written meanwhile by a transaction that committed late stays for the next
 * refresh. Safe to run in several processes at once (one recomputes, the others skip). Bumps
 * `stats_meta.version` when anything was rewritten.
 */
export async function refreshRollups(db: Db): Promise<RefreshOutcome> {
  const marks = await db.selectFrom('stats_dirty').select(['id', 'day']).orderBy('id').limit(MARKS_PER_REFRESH).execute();
  if (marks.length === 0) return { days: 0, busy: false };
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const days = [...new Set(marks.map((m) => m.day))].filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
  let done = 0;
  for (let i = 0; i < Math.max(days.length, 1); i += DAYS_PER_BATCH) {
    const batch = days.slice(i, i + DAYS_PER_BATCH);
    const last = i + DAYS_PER_BATCH >= days.length;
    const step = async (tx: Db): Promise<boolean> => {
      if (postgres) {
        const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${REFRESH_LOCK}) as ok`.execute(tx);
        if (!rows[0]?.ok) return false;
      }
      for (const day of batch) await recomputeDay(tx, day);
      for (const month of new Set(batch.map((d) => d.slice(0, 7)))) await recomputeMonth(tx, month);
      if (last) {
        for (let j = 0; j < marks.length; j += 500) await tx.deleteFrom('stats_dirty').where('id', 'in', marks.slice(j, j + 500).map((m) => m.id)).execute();
        await tx.updateTable('stats_meta').set((eb) => ({ value: eb('value', '+', 1) })).where('key', '=', 'version').execute();
      }
      return true;
    };
    // Inside a caller's transaction (a flow's), recompute in it; otherwise one transaction per batch.
    const ok = db.isTransaction ? await step(db) : await db.transaction().execute(step);
    if (!ok) return { days: done, busy: true };
    done += batch.length;
  }
  return { days: done, busy: false };
}

/** The current `stats_meta.version` (bumped by every refresh that rewrote sums). */
export async function rollupVersion(db: Db): Promise<number> {
  const row = await db.selectFrom('stats_meta').select('value').where('key', '=', 'version').executeTakeFirst();
  return row?.value ?? 0;
}

/** Whether any day waits to be recomputed. */
export async function hasDirtyDays(db: Db): Promise<boolean> {
  return (await db.selectFrom('stats_dirty').select('id').limit(1).executeTakeFirst()) !== undefined;
}

type Key = { org_id: number; topic_id: number; deadline_class: string };
type DayRow = Key & Partial<Counts> & { hist?: Map<number, number> };

const agencyExpr = sql<number>`coalesce(org_id, suggested_org_id, 0)`;
const topicExpr = sql<number>`coalesce(topic_id, 0)`;
const classExpr = sql<string>`coalesce(deadline_class, '')`;
const isReplied = sql<SqlBool>`status in ('answered', 'declined')`;
const dueNe = sql`coalesce(original_due_at, due_at)`;
const when = (cond: Expression<SqlBool>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`;
/**
 * Histogram bucket of office minutes (its lower bound): exact below 1 hour, 5-minute steps below
 * 8 hours (one office day), 15-minute steps below 24 hours, then whole hours. Few buckets keep the
 * merge of a year's histograms cheap; a median of "3 h 20" is as precise as anyone reads it.
 */
const bucketExpr = sql<number>`case when first_response_office_min < 60 then first_response_office_min
  when first_response_office_min < 480 then (first_response_office_min / 5) * 5
  when first_response_office_min < 1440 then (first_response_office_min / 15) * 15 else (first_response_office_min / 60) * 60 end`;

async function recomputeDay(db: Db, day: string): Promise<void> {
  await db.deleteFrom('stats_rollup').where('grain', '=', 'd').where('period', '=', day).execute();
  const from = dayStartIso(day);
  const to = dayStartIso(nextDay(day));
  const rows = new Map<string, DayRow>();
  const row = (k: Key): DayRow => {
    const key = `${k.org_id}|${k.topic_id}|${k.deadline_class}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { org_id: Number(k.org_id), topic_id: Number(k.topic_id), deadline_class: k.deadline_class }));
    return r;
  };
  const received = db.selectFrom('inquiries').where('received_at', '>=', from).where('received_at', '<', to).where('status', 'not in', NOT_COUNTED);
  const cohort = await received.select([
    agencyExpr.as('org_id'), topicExpr.as('topic_id'), classExpr.as('deadline_class'),
    sql<number>`count(*)`.as('received'),
    when(isReplied).as('r_replied'),
    when(sql`${isReplied} and due_at is not null and closed_at <= due_at`).as('r_on_time'),
    when(sql`${isReplied} and ${dueNe} is not null and closed_at <= ${dueNe}`).as('r_on_time_ne'),
    when(sql`due_at is not null and original_due_at is not null and due_at <> original_due_at`).as('r_extended'),
    ...(['secret', 'investigation', 'unresolved', 'draft_policy'] as const).map((g) => when(sql`status = 'declined' and decline_ground = ${g}`).as(`r_declined_${g}`)),
    ...(['satisfied', 'acceptable', 'unsatisfied'] as const).map((r) => when(sql`rating = ${r}`).as(`r_rated_${r}`)),
    when(sql`first_response_office_min is not null`).as('r_fr_count'),
  ]).groupBy([agencyExpr, topicExpr, classExpr]).execute();
  for (const c of cohort) Object.assign(row(c), numbers(c));
  const hist = await received.where('first_response_office_min', 'is not', null)
    .select([agencyExpr.as('org_id'), topicExpr.as('topic_id'), classExpr.as('deadline_class'), bucketExpr.as('bucket'), sql<number>`count(*)`.as('n')])
    .groupBy([agencyExpr, topicExpr, classExpr, bucketExpr]).execute();
  for (const h of hist) {
    const r = row(h);
    (r.hist ??= new Map()).set(Number(h.bucket), Number(h.n));
  }
  const followups = await db.selectFrom('inquiry_entries as e').innerJoin('inquiries', 'inquiries.id', 'e.inquiry_id')
    .where('inquiries.received_at', '>=', from).where('inquiries.received_at', '<', to).where('inquiries.status', 'not in', NOT_COUNTED).where('e.kind', '=', 'followup')
    .select([agencyExpr.as('org_id'), topicExpr.as('topic_id'), classExpr.as('deadline_class'), sql<number>`count(*)`.as('r_followups')])
    .groupBy([agencyExpr, topicExpr, classExpr]).execute();
  for (const f of followups) row(f).r_followups = Number(f.r_followups);
  const closed = await db.selectFrom('inquiries').where('closed_at', '>=', from).where('closed_at', '<', to).where(statusExpr(), 'in', REPLIED)
    .select([
      agencyExpr.as('org_id'), topicExpr.as('topic_id'), classExpr.as('deadline_class'), sql<number>`count(*)`.as('c_closed'),
      when(sql`due_at is not null and closed_at <= due_at`).as('c_on_time'),
      when(sql`${dueNe} is not null and closed_at <= ${dueNe}`).as('c_on_time_ne'),
    ]).groupBy([agencyExpr, topicExpr, classExpr]).execute();
  for (const c of closed) Object.assign(row(c), numbers(c));
  await insertRows(db, 'd', day, [...rows.values()]);
}

/** The count columns of a query row as numbers (PostgreSQL sums arrive as strings). */
function numbers(r: Record<string, unknown>): Partial<Counts> {
  const out: Partial<Counts> = {};
  for (const c of COUNT_COLUMNS) if (r[c] !== undefined && r[c] !== null) out[c] = Number(r[c]);
  return out;
}

async function recomputeMonth(db: Db, month: string): Promise<void> {
  await db.deleteFrom('stats_rollup').where('grain', '=', 'm').where('period', '=', month).execute();
  const days = await db.selectFrom('stats_rollup').selectAll().where('grain', '=', 'd')
    .where('period', '>=', `${month}-01`).where('period', '<=', `${month}-31`).execute();
  const rows = new Map<string, DayRow>();
  for (const d of days) {
    const key = `${d.org_id}|${d.topic_id}|${d.deadline_class}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { org_id: d.org_id, topic_id: d.topic_id, deadline_class: d.deadline_class }));
    for (const c of COUNT_COLUMNS) r[c] = (r[c] ?? 0) + Number(d[c]);
    if (d.r_fr_hist) mergeHistogram((r.hist ??= new Map()), d.r_fr_hist);
  }
  await insertRows(db, 'm', month, [...rows.values()]);
}

/** Adds a stored histogram (`{"bucket": count}`) into `into`. */
export function mergeHistogram(into: Map<number, number>, json: string): void {
  const parsed = JSON.parse(json) as Record<string, number>;
  for (const [bucket, n] of Object.entries(parsed)) into.set(Number(bucket), (into.get(Number(bucket)) ?? 0) + n);
}

/** A histogram as stored: JSON `{"bucket": count}`, buckets ascending. */
function histogramJson(hist: ReadonlyMap<number, number>): string {
  return JSON.stringify(Object.fromEntries([...hist].sort((a, b) => a[0] - b[0])));
}

/** Writes a period's rows (the caller deleted the old ones), and its per-agency histograms (`stats_fr_agency`). */
async function insertRows(db: Db, grain: 'd' | 'm', period: string, rows: DayRow[]): Promise<void> {
  const values = rows.map((r) => {
    const counts = Object.fromEntries(COUNT_COLUMNS.map((c) => [c, r[c] ?? 0])) as Counts;
    return { grain, period, org_id: r.org_id, topic_id: r.topic_id, deadline_class: r.deadline_class, ...counts, r_fr_hist: r.hist && r.hist.size > 0 ? histogramJson(r.hist) : null };
  });
  for (let i = 0; i < values.length; i += INSERT_CHUNK) await db.insertInto('stats_rollup').values(values.slice(i, i + INSERT_CHUNK)).execute();
  await db.deleteFrom('stats_fr_agency').where('grain', '=', grain).where('period', '=', period).execute();
  const byOrg = new Map<number, Map<number, number>>();
  for (const r of rows) {
    if (!r.hist || r.hist.size === 0) continue;
    const into = byOrg.get(r.org_id) ?? new Map<number, number>();
    for (const [bucket, n] of r.hist) into.set(bucket, (into.get(bucket) ?? 0) + n);
    byOrg.set(r.org_id, into);
  }
  const agencies = [...byOrg].map(([orgId, hist]) => ({ grain, period, org_id: orgId, r_fr_hist: histogramJson(hist) }));
  for (let i = 0; i < agencies.length; i += INSERT_CHUNK) await db.insertInto('stats_fr_agency').values(agencies.slice(i, i + INSERT_CHUNK)).execute();
}

/** An inquiry whose first response has not been measured in office minutes yet. */
export interface UnmeasuredResponse {
  id: number;
  receivedAt: string;
  firstResponseAt: string;
  /** The agency's `office_hours` JSON (null: the default hours). */
  officeHours: string | null;
}

/** Up to `limit` inquiries with a first response but no office minutes yet. */
export async function unmeasuredResponses(db: Db, limit: number): Promise<UnmeasuredResponse[]> {
  const rows = await db.selectFrom('inquiries').leftJoin('orgs', (j) => j.on(sql<SqlBool>`orgs.id = coalesce(inquiries.org_id, inquiries.suggested_org_id)`))
    .select(['inquiries.id', 'inquiries.received_at', 'inquiries.first_response_at', 'orgs.office_hours'])
    .where('inquiries.first_response_office_min', 'is', null).where('inquiries.first_response_at', 'is not', null)
    .orderBy('inquiries.first_response_at').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, receivedAt: r.received_at, firstResponseAt: r.first_response_at!, officeHours: r.office_hours }));
}

/** Stores measured office minutes (`[id, minutes]`), one statement per inquiry (run it in a transaction). */
export async function storeOfficeMinutes(db: Db, measured: ReadonlyArray<readonly [number, number]>): Promise<void> {
  for (const [id, minutes] of measured) await db.updateTable('inquiries').set({ first_response_office_min: minutes }).where('id', '=', id).execute();
}
