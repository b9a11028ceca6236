import type { Counts } from '../../db/repositories/stats-rollup.js';
import type { DeclineGround, Rating } from '../../db/schema.js';
import { DECLINE_GROUNDS, RATINGS } from '../../db/schema.js';

/**
 * Every figure the bot reports, defined once, from the sums of `db/repositories/stats-rollup.ts`
 * (where each count is defined) and the open inquiries. `/stats`, `liaison report`, the dashboard
 * and the Decree 244 annual report all read these.
 */

/** What happened to the inquiries received in a period (the received cohort), as they are now. */
export interface CohortFigures {
  /** Counted inquiries received in the period (not merged, rejected or withdrawn). */
  received: number;
  /** Of them, answered or declined. */
  replied: number;
  /** Replied by the due time in force (approved extensions included). */
  onTime: number;
  /** Replied by the legal due time, as if no extension had been granted. */
  onTimeWithoutExtension: number;
  /** Whose due time was extended. */
  extended: number;
  /** Declined, by statutory ground. */
  declined: Record<DeclineGround, number>;
  /** Ratings given by the reporters. */
  ratings: Record<Rating, number>;
  /** Follow-ups they received; per inquiry = followups / received. */
  followups: number;
  followupsPerInquiry: number | null;
  /** First response in the agency's office hours, in minutes (see {@link percentile}); null when none responded. */
  firstResponse: { count: number; medianMin: number | null; p90Min: number | null };
}

/** Builds the cohort figures from a sum of rollup rows and their merged histogram. */
export function cohortFigures(c: Counts, hist: ReadonlyMap<number, number>): CohortFigures {
  const declined = Object.fromEntries(DECLINE_GROUNDS.map((g) => [g, c[`r_declined_${g}`]])) as Record<DeclineGround, number>;
  const ratings = Object.fromEntries(RATINGS.map((r) => [r, c[`r_rated_${r}`]])) as Record<Rating, number>;
  return {
    received: c.received, replied: c.r_replied, onTime: c.r_on_time, onTimeWithoutExtension: c.r_on_time_ne, extended: c.r_extended,
    declined, ratings, followups: c.r_followups, followupsPerInquiry: c.received === 0 ? null : c.r_followups / c.received,
    firstResponse: { count: c.r_fr_count, medianMin: percentile(hist, 0.5), p90Min: percentile(hist, 0.9) },
  };
}

/**
 * The `p`-quantile (0–1) of a histogram `{bucket lower bound → count}`, interpolated linearly
 * between the two nearest ranks (as PostgreSQL's `percentile_cont`): the median of 0 and 60 is 30.
 * Buckets are exact minutes below 1 h, then 5 minutes below 8 h, 15 minutes below 24 h and whole
 * hours beyond (`db/repositories/stats-rollup.ts`). Null for an empty histogram.
 */
export function percentile(hist: ReadonlyMap<number, number>, p: number): number | null {
  const buckets = [...hist].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = (total - 1) * p;
  const at = (index: number): number => {
    let seen = 0;
    for (const [value, n] of buckets) {
      seen += n;
      if (index < seen) return value;
    }
    return buckets[buckets.length - 1]![0];
  };
  const lo = Math.floor(rank);
  const low = at(lo);
  return low + (rank - lo) * (at(Math.ceil(rank)) - low);
}

/** An open inquiry as the one-stop split reads it (ISO instants). */
export interface OpenInquiry {
  due_at: string | null;
  original_due_at: string | null;
  /** Set while waiting for the reporter's clarification: the clock stands still. */
  paused_at: string | null;
}

/** Where an open inquiry stands at `asOf`: past due, due soon, or not near its due time. */
export type OpenState = 'late' | 'soon' | 'not_yet';

/**
 * Classifies an open inquiry at `asOfMs`. A paused inquiry is judged at the moment it paused (its
 * clock stands still). `soonMs`: how close to its due time an inquiry is "due soon" (Sắp trễ).
 * `lateWithoutExtension` judges against the legal due time.
 */
export function classifyOpen(row: OpenInquiry, asOfMs: number, soonMs: number): { state: OpenState; lateWithoutExtension: boolean } {
  const paused = row.paused_at ? Date.parse(row.paused_at) : Number.NaN;
  const ref = paused < asOfMs ? paused : asOfMs;
  const due = row.due_at ? Date.parse(row.due_at) : Number.NaN;
  const legal = row.original_due_at ? Date.parse(row.original_due_at) : due;
  const state: OpenState = Number.isNaN(due) ? 'not_yet' : due < ref ? 'late' : due < ref + soonMs ? 'soon' : 'not_yet';
  return { state, lateWithoutExtension: !Number.isNaN(legal) && legal < ref };
}

/** Counts of open inquiries by {@link classifyOpen}. */
export interface OpenSplit {
  total: number;
  late: number;
  dueSoon: number;
  notYetDue: number;
  lateWithoutExtension: number;
}

/** Splits open inquiries at `asOfMs`. */
export function splitOpen(rows: readonly OpenInquiry[], asOfMs: number, soonMs: number): OpenSplit {
  const s: OpenSplit = { total: 0, late: 0, dueSoon: 0, notYetDue: 0, lateWithoutExtension: 0 };
  for (const r of rows) {
    const c = classifyOpen(r, asOfMs, soonMs);
    s.total += 1;
    if (c.state === 'late') s.late += 1;
    else if (c.state === 'soon') s.dueSoon += 1;
    else s.notYetDue += 1;
    if (c.lateWithoutExtension) s.lateWithoutExtension += 1;
  }
  return s;
}

/**
 * The measures of the provinces' one-stop ("một cửa") dashboards, applied to inquiries
 * (product.md, "How officials already read such numbers").
 */
export interface OneStopFigures {
  /** Đã tiếp nhận: received in the period. */
  received: number;
  /** Tồn kỳ trước: received earlier and not replied before the period began. */
  carriedOver: number;
  /** Cần xử lý = received + carried over. */
  toHandle: number;
  /** Đang xử lý: not replied at the period's end (now, for a period not over yet), split by due time. */
  open: OpenSplit;
  /** Đã xử lý: replied within the period; on time by the due time in force / the legal one. */
  closed: { total: number; onTime: number; late: number; onTimeWithoutExtension: number; lateWithoutExtension: number };
  /** Tỉ lệ trễ hạn = (late open + late closed) / to handle; Tỉ lệ đúng hạn = 1 − that. Null when nothing to handle. */
  lateRate: number | null;
  onTimeRate: number | null;
  lateRateWithoutExtension: number | null;
  onTimeRateWithoutExtension: number | null;
}

/**
 * The one-stop figures: `period` sums the period's rollup rows, `before` the rows before it
 * (carried over = received before − replied before), `open` the inquiries open at its end.
 */
export function oneStopFigures(period: Counts, before: Pick<Counts, 'received' | 'c_closed'>, open: OpenSplit): OneStopFigures {
  const carriedOver = Math.max(0, before.received - before.c_closed);
  const toHandle = period.received + carriedOver;
  const closed = {
    total: period.c_closed, onTime: period.c_on_time, late: period.c_closed - period.c_on_time,
    onTimeWithoutExtension: period.c_on_time_ne, lateWithoutExtension: period.c_closed - period.c_on_time_ne,
  };
  const rate = (late: number) => (toHandle === 0 ? null : late / toHandle);
  const lateRate = rate(open.late + closed.late);
  const lateRateNe = rate(open.lateWithoutExtension + closed.lateWithoutExtension);
  return {
    received: period.received, carriedOver, toHandle, open, closed,
    lateRate, onTimeRate: lateRate === null ? null : 1 - lateRate,
    lateRateWithoutExtension: lateRateNe, onTimeRateWithoutExtension: lateRateNe === null ? null : 1 - lateRateNe,
  };
}

/** Zero counts. */
export function zeroCounts(): Counts {
  return {
    received: 0, r_replied: 0, r_on_time: 0, r_on_time_ne: 0, r_extended: 0,
    r_declined_secret: 0, r_declined_investigation: 0, r_declined_unresolved: 0, r_declined_draft_policy: 0,
    r_rated_satisfied: 0, r_rated_acceptable: 0, r_rated_unsatisfied: 0, r_followups: 0, r_fr_count: 0,
    c_closed: 0, c_on_time: 0, c_on_time_ne: 0,
  };
}
