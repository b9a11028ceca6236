import type { Db } from '../../db/client.js';
import { openAt, overdueInquiries, sumBefore, sumRollups, type FigureFilter, type InquiryListRow, type RollupSum } from '../../db/repositories/stats-figures.js';
import { agencyHistograms } from '../../db/repositories/stats-histograms.js';
import { dayStartIso, refreshRollups, storeOfficeMinutes, unmeasuredResponses, type RefreshOutcome } from '../../db/repositories/stats-rollup.js';
import {
  cohortFigures, oneStopFigures, splitOpen, zeroCounts, type CohortFigures, type OneStopFigures,
} from '../../flows/stats/measures.js';
import { shiftDay, weekStart, type DayRange } from '../../flows/stats/periods.js';
import type { WorkCalendar } from '../time/calendar.js';
import { businessMs, parseOfficeHours } from '../time/office-hours.js';

/** What a figure is read for: local days and which inquiries. */
export interface Selection {
  range: DayRange;
  filter: FigureFilter;
}

/** One agency's row of the league table. */
export interface LeagueRow {
  orgId: number;
  cohort: CohortFigures;
  oneStop: OneStopFigures;
}

/** One week of the trend (Monday to Sunday, clipped to the period). */
export interface WeekPoint {
  /** The week's Monday (`YYYY-MM-DD`). */
  week: string;
  received: number;
  /** Replies given that week (whenever received). */
  replied: number;
  /** Of them, by the due time in force; rate = onTime / replied (null when none). */
  onTime: number;
  onTimeRate: number | null;
}

/** One topic's line among the busiest. */
export interface TopicRow {
  topicId: number;
  received: number;
  replied: number;
  onTime: number;
}

/** Options of {@link createFigures}. */
export interface FiguresOptions {
  db: Db;
  loadCalendar(): Promise<WorkCalendar>;
  now(): Date;
  /** How close to its due time an open inquiry counts as due soon (Sắp trễ), in ms. Default 24 h. */
  dueSoonMs?: number;
}

/** The figures service: every dashboard and report figure, read from the sums after bringing them up to date. */
export interface Figures {
  /** Measures pending first responses and recomputes dirty days. */
  refresh(): Promise<RefreshOutcome & { measured: number }>;
  summary(sel: Selection): Promise<{ cohort: CohortFigures; oneStop: OneStopFigures; asOf: string }>;
  /**
   * Per agency, with each agency's first-response median and p90: from `stats_fr_agency` (one
   * histogram per agency and slice), or under a topic or class filter from the finer sums (a year's
   * histograms of every agency, topic and class: slower, still within the summary's cost).
   */
  league(sel: Selection): Promise<LeagueRow[]>;
  trends(sel: Selection): Promise<WeekPoint[]>;
  topics(sel: Selection, limit: number): Promise<TopicRow[]>;
  overdue(filter: FigureFilter, limit: number): Promise<InquiryListRow[]>;
}

const DAY_MS = 86_400_000;
/** First responses measured per statement batch. */
const MEASURE_BATCH = 2_000;

/**
 * Measures, in the agency's office hours (`src/time/office-hours.ts`), the first responses not
 * measured yet: the office minutes from receipt to the first response, rounded down.
 */
export async function measureOfficeMinutes(db: Db, calendar: WorkCalendar): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await unmeasuredResponses(db, MEASURE_BATCH);
    if (rows.length === 0) return total;
    const measured = rows.map((r) => {
      const ms = businessMs(new Date(r.receivedAt), new Date(r.firstResponseAt), calendar, parseOfficeHours(r.officeHours));
      return [r.id, Math.max(0, Math.floor(ms / 60_000))] as const;
    });
    await (db.isTransaction ? storeOfficeMinutes(db, measured) : db.transaction().execute((tx) => storeOfficeMinutes(tx, measured)));
    total += rows.length;
    if (rows.length < MEASURE_BATCH) return total;
  }
}

/** Creates the figures service. */
export function createFigures(o: FiguresOptions): Figures {
  const soonMs = o.dueSoonMs ?? DAY_MS;
  const end = (range: DayRange) => dayStartIso(shiftDay(range.to, 1));
  const asOf = (range: DayRange) => Math.min(o.now().getTime(), Date.parse(end(range)));
  const open = (sel: Selection) => openAt(o.db, end(sel.range), o.now().toISOString(), sel.filter);
  return {
    async refresh() {
      const measured = await measureOfficeMinutes(o.db, await o.loadCalendar());
      return { ...(await refreshRollups(o.db)), measured };
    },
    async summary(sel) {
      const [period] = await sumRollups(o.db, sel.range, sel.filter, [], true);
      const [before] = await sumBefore(o.db, sel.range.from, sel.filter);
      const counts = period ?? { ...zeroCounts(), hist: new Map() };
      const at = asOf(sel.range);
      return {
        cohort: cohortFigures(counts, counts.hist),
        oneStop: oneStopFigures(counts, before ?? zeroCounts(), splitOpen(await open(sel), at, soonMs)),
        asOf: new Date(at).toISOString(),
      };
    },
    async league(sel) {
      const narrowed = sel.filter.topicIds !== undefined || sel.filter.classes !== undefined;
      const [period, before, openRows, hists] = await Promise.all([
        sumRollups(o.db, sel.range, sel.filter, ['org'], narrowed), sumBefore(o.db, sel.range.from, sel.filter, ['org']), open(sel),
        narrowed ? undefined : agencyHistograms(o.db, sel.range, sel.filter.orgIds),
      ]);
      if (hists) for (const p of period) p.hist = hists.get(p.org_id ?? 0) ?? new Map();
      const byOrg = <T extends { org_id?: number }>(rows: readonly T[]) => new Map(rows.map((r) => [r.org_id ?? 0, r]));
      const periodBy = byOrg(period);
      const beforeBy = byOrg(before);
      const openBy = new Map<number, typeof openRows>();
      for (const r of openRows) openBy.set(r.org_id, [...(openBy.get(r.org_id) ?? []), r]);
      const at = asOf(sel.range);
      const ids = new Set([...periodBy.keys(), ...openBy.keys(), ...[...beforeBy].filter(([, b]) => b.received > b.c_closed).map(([id]) => id)]);
      return [...ids].map((orgId) => {
        const p: RollupSum = periodBy.get(orgId) ?? { ...zeroCounts(), hist: new Map() };
        return {
          orgId, cohort: cohortFigures(p, p.hist),
          oneStop: oneStopFigures(p, beforeBy.get(orgId) ?? zeroCounts(), splitOpen(openBy.get(orgId) ?? [], at, soonMs)),
        };
      });
    },
    async trends(sel) {
      const days = await sumRollups(o.db, sel.range, sel.filter, ['day'], false, ['received', 'c_closed', 'c_on_time']);
      const weeks = new Map<string, WeekPoint>();
      for (let day = sel.range.from; day <= sel.range.to; day = shiftDay(day, 7)) {
        const w = weekStart(day);
        weeks.set(w, { week: w, received: 0, replied: 0, onTime: 0, onTimeRate: null });
      }
      weeks.set(weekStart(sel.range.to), weeks.get(weekStart(sel.range.to)) ?? { week: weekStart(sel.range.to), received: 0, replied: 0, onTime: 0, onTimeRate: null });
      for (const d of days) {
        const w = weeks.get(weekStart(d.period ?? sel.range.from));
        if (!w) continue;
        w.received += d.received;
        w.replied += d.c_closed;
        w.onTime += d.c_on_time;
      }
      return [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week)).map((w) => ({ ...w, onTimeRate: w.replied === 0 ? null : w.onTime / w.replied }));
    },
    async topics(sel, limit) {
      const rows = await sumRollups(o.db, sel.range, sel.filter, ['topic'], false, ['received', 'r_replied', 'r_on_time']);
      return rows.map((r) => ({ topicId: r.topic_id ?? 0, received: r.received, replied: r.r_replied, onTime: r.r_on_time }))
        .filter((r) => r.received > 0).sort((a, b) => b.received - a.received || a.topicId - b.topicId).slice(0, limit);
    },
    overdue: (filter, limit) => overdueInquiries(o.db, o.now().toISOString(), filter, limit),
  };
}
