import type { Db } from '../../db/client.js';
import {
  listConferences, listCorrections, listStatements, type ConferenceRow, type CorrectionRow, type StatementRow,
} from '../../db/repositories/press-records.js';
import { evidenceTuplePages, type EvidenceTuple } from '../../db/repositories/annual-listing.js';
import { evidenceInquiries, listOrgEntries, type EvidenceKind, type EvidenceRow } from '../../db/repositories/stats-figures.js';
import { dayStartIso } from '../../db/repositories/stats-rollup.js';
import { CORRECTION_OUTCOMES, type CorrectionOutcome } from '../../db/schema-stats.js';
import { reportingYear, shiftDay, type DayRange } from '../../flows/stats/periods.js';
import { subtree } from '../../flows/stats/scope.js';
import { createFigures } from '../dashboard/figures.js';
import type { WorkCalendar } from '../time/calendar.js';

/** The 24-hour rule: an event's statement is on time within this many ms of the event. */
export const STATEMENT_WINDOW_MS = 24 * 3_600_000;

/**
 * The figures of Decree 244 Art. 10's yearly report (rules.md, "Reporting duty"), for one ministry
 * or province (its subtree) or the whole network, for the reporting year 15 December – 14 December.
 */
export interface AnnualReport {
  year: number;
  range: DayRange;
  /** The reporting organisation; null for the whole network. */
  org: { code: string; name: string } | null;
  /** ISO instant the report was made. */
  generatedAt: string;
  /** 1. Press conferences held (marked held, starting in the year). */
  conferencesHeld: number;
  /** 2. Replies given in the year (answers and declines, whenever asked) / press requests received in it. */
  repliesGiven: number;
  requestsReceived: number;
  /**
   * 3–4. Events under the 24-hour rule: inquiries of class `incident` / `public_opinion` received in
   * the year plus statements published on the agency's own initiative about events in it; handled:
   * those replied plus the statements; on time: replied within the legal 24 hours (extensions do
   * not count) plus statements published within 24 hours of the event.
   */
  incidents: { events: number; inquiries: number; statements: number; handled: number; onTime: number };
  /** 5. Correction requests made in the year, by outcome. */
  corrections: { total: number; byOutcome: Record<CorrectionOutcome, number> };
  conferences: ConferenceRow[];
  correctionRows: CorrectionRow[];
  statementRows: StatementRow[];
  /** The inquiries behind figures 2–4, a page at a time (by id). */
  evidence(kind: EvidenceKind): AsyncGenerator<EvidenceRow>;
  /** The same, a page (thousands of rows) at a time: what a long listing iterates, without a promise per row. */
  evidencePages(kind: EvidenceKind): AsyncGenerator<EvidenceRow[]>;
  /**
   * The same as arrays, read without a row object each (the XLSX's listing: a third of a million
   * rows a year at a ministry's volume). Absent from a report built in memory: the writer then
   * converts {@link evidencePages}.
   */
  evidenceTuples?(kind: EvidenceKind): AsyncGenerator<EvidenceTuple[]>;
  /**
   * What the listing reads, as data: what a thread with a database connection of its own (the
   * XLSX's worker) needs to read it itself. Absent from a report built in memory.
   */
  listing?: AnnualListingQuery;
}

/** The annual listing's query: the period as UTC instants [from, to), the organisations (null: all) and every organisation's name by id. */
export interface AnnualListingQuery {
  fromIso: string;
  toIso: string;
  orgIds: number[] | null;
  orgNames: Array<[number, string]>;
}

/**
 * A report's figures and records without its listings: plain data, what is copied to the thread
 * that writes its XLSX (src/report/annual-file.ts).
 */
export type AnnualReportData = Omit<AnnualReport, 'evidence' | 'evidencePages' | 'evidenceTuples'>;

/** What the XLSX writer reads: a report's data and its listing, as arrays or (a report built in memory) as objects. */
export type AnnualXlsxSource = AnnualReportData & (Pick<AnnualReport, 'evidenceTuples'> | Pick<AnnualReport, 'evidencePages'>);

/** The report without its listings (functions cannot cross to another thread). */
export function annualReportData(r: AnnualXlsxSource): AnnualReportData {
  const { evidence: _e, evidencePages: _p, evidenceTuples: _t, ...data } = r as AnnualReportData & Partial<Pick<AnnualReport, 'evidence' | 'evidencePages' | 'evidenceTuples'>>;
  return data;
}

/** Thrown when `--org` names no organisation. */
export class UnknownOrgError extends Error {
  constructor(readonly code: string) {
    super(`Không có cơ quan mã ${code} / No organisation has the code ${code}.`);
    this.name = 'UnknownOrgError';
  }
}

/** Whether a statement came within 24 hours of its event. */
export function statementOnTime(s: Pick<StatementRow, 'event_at' | 'published_at'>): boolean {
  return Date.parse(s.published_at) - Date.parse(s.event_at) <= STATEMENT_WINDOW_MS;
}

/** Builds the annual report of `year` for `orgCode`'s subtree (the whole network when absent). */
export async function annualReport(db: Db, o: { year: number; orgCode?: string; now: Date; calendar: WorkCalendar }): Promise<AnnualReport> {
  const range = reportingYear(o.year);
  const orgs = await listOrgEntries(db);
  const org = o.orgCode === undefined ? undefined : orgs.find((x) => x.code.toUpperCase() === o.orgCode!.toUpperCase());
  if (o.orgCode !== undefined && !org) throw new UnknownOrgError(o.orgCode);
  const orgIds = org ? [...subtree(orgs, [org.id])] : null;
  const names = new Map(orgs.map((x) => [x.id, x.name]));
  const figures = createFigures({ db, loadCalendar: async () => o.calendar, now: () => o.now });
  await figures.refresh();
  const all = await figures.summary({ range, filter: { orgIds } });
  const urgent = await figures.summary({ range, filter: { orgIds, classes: ['incident', 'public_opinion'] } });
  const fromIso = dayStartIso(range.from);
  const toIso = dayStartIso(shiftDay(range.to, 1));
  const conferences = await listConferences(db, fromIso, toIso, orgIds, 'held');
  const correctionRows = await listCorrections(db, range.from, range.to, orgIds);
  const statementRows = await listStatements(db, fromIso, toIso, orgIds);
  const byOutcome = Object.fromEntries(CORRECTION_OUTCOMES.map((k) => [k, correctionRows.filter((c) => c.outcome === k).length])) as Record<CorrectionOutcome, number>;
  const statementsOnTime = statementRows.filter(statementOnTime).length;
  return {
    year: o.year, range, org: org ? { code: org.code, name: org.name } : null, generatedAt: o.now.toISOString(),
    conferencesHeld: conferences.length,
    repliesGiven: all.oneStop.closed.total, requestsReceived: all.cohort.received,
    incidents: {
      events: urgent.cohort.received + statementRows.length, inquiries: urgent.cohort.received, statements: statementRows.length,
      handled: urgent.cohort.replied + statementRows.length, onTime: urgent.cohort.onTimeWithoutExtension + statementsOnTime,
    },
    corrections: { total: correctionRows.length, byOutcome },
    conferences, correctionRows, statementRows,
    evidence: (kind) => rowsOf(pages(db, kind, fromIso, toIso, orgIds, names)),
    evidencePages: (kind) => pages(db, kind, fromIso, toIso, orgIds, names),
    evidenceTuples: (kind) => evidenceTuplePages(db, kind, fromIso, toIso, orgIds, names),
    listing: { fromIso, toIso, orgIds, orgNames: [...names] },
  };
}

/** Rows read per page when listing the inquiries behind a figure. */
const EVIDENCE_PAGE = 10_000;

/**
 * The inquiries behind a figure a page at a time, by (time, id). The next page is asked for
 * before this one is handed on, so a database on another machine reads while the caller writes.
 */
async function* pages(db: Db, kind: EvidenceKind, fromIso: string, toIso: string, orgIds: readonly number[] | null, names: ReadonlyMap<number, string>): AsyncGenerator<EvidenceRow[]> {
  const read = (after: { at: string; id: number } | null) => {
    const page = evidenceInquiries(db, kind, fromIso, toIso, orgIds, after, EVIDENCE_PAGE, names);
    // A caller that stops early never awaits the page read ahead: its failure is not unhandled.
    page.catch(() => undefined);
    return page;
  };
  for (let next = read(null); ;) {
    const rows = await next;
    const last = rows[rows.length - 1];
    if (rows.length === EVIDENCE_PAGE && last) next = read({ at: kind === 'replied_earlier' ? last.closed_at! : last.received_at, id: last.id });
    yield rows;
    if (rows.length < EVIDENCE_PAGE) return;
  }
}

async function* rowsOf(list: AsyncGenerator<EvidenceRow[]>): AsyncGenerator<EvidenceRow> {
  for await (const page of list) yield* page;
}

/** Whether an evidence inquiry was replied by its legal due time (the figures' rule, without extensions). */
export function repliedOnTimeWithoutExtension(r: EvidenceRow): boolean {
  const due = r.original_due_at ?? r.due_at;
  return (r.status === 'answered' || r.status === 'declined') && r.closed_at !== null && due !== null && r.closed_at <= due;
}

/** Whether an evidence inquiry was replied by the due time in force. */
export function repliedOnTime(r: EvidenceRow): boolean {
  return (r.status === 'answered' || r.status === 'declined') && r.closed_at !== null && r.due_at !== null && r.closed_at <= r.due_at;
}
