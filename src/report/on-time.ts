import type { Db } from '../../db/client.js';
import { listOrgEntries } from '../../db/repositories/stats-figures.js';
import { createFigures } from '../dashboard/figures.js';
import type { WorkCalendar } from '../time/calendar.js';

/** One agency's line of the on-time report (the measures of `flows/stats/measures.ts`). */
export interface OnTimeLine {
  orgCode: string;
  orgName: string;
  received: number;
  /** Answered or declined (a decline with its ground is a reply in law). */
  replied: number;
  /** Replied by the due time in force (extensions included). */
  onTime: number;
  /** Replied by the legal due time, as if no extension had been granted. */
  onTimeWithoutExtension: number;
  /** Inquiries whose due time was extended. */
  extended: number;
  /** Open and past their due time at the end of the period (now, if it is not over), whenever received. */
  overdueOpen: number;
  /** Median time from receipt to the agency's first response, counted in its office hours, in ms; null when none responded. */
  medianFirstResponseBusinessMs: number | null;
}

/**
 * On-time figures per agency for inquiries received in [from, to] (local dates, inclusive):
 * what leaders and the yearly Decree 244 Art. 10 report need, with and without extensions.
 * Agencies that received nothing in the period are left out.
 */
export async function onTimeReport(db: Db, range: { from: string; to: string }, now: Date, calendar: WorkCalendar): Promise<OnTimeLine[]> {
  const figures = createFigures({ db, loadCalendar: async () => calendar, now: () => now });
  await figures.refresh();
  const rows = await figures.league({ range, filter: { orgIds: null } });
  const orgs = new Map((await listOrgEntries(db)).map((o) => [o.id, o]));
  return rows.filter((r) => r.cohort.received > 0).map((r) => {
    const org = orgs.get(r.orgId);
    const median = r.cohort.firstResponse.medianMin;
    return {
      orgCode: org?.code ?? '—', orgName: org?.name ?? '(chưa chuyển / not routed)',
      received: r.cohort.received, replied: r.cohort.replied, onTime: r.cohort.onTime, onTimeWithoutExtension: r.cohort.onTimeWithoutExtension,
      extended: r.cohort.extended, overdueOpen: r.oneStop.open.late, medianFirstResponseBusinessMs: median === null ? null : median * 60_000,
    };
  }).sort((a, b) => a.orgCode.localeCompare(b.orgCode));
}

function hours(ms: number | null): string {
  return ms === null ? '–' : `${(ms / 3_600_000).toFixed(1)} h`;
}

/** The report as an aligned text table (Vietnamese / English headings). */
export function formatOnTimeReport(lines: readonly OnTimeLine[], range: { from: string; to: string }): string {
  const head = ['cơ quan / agency', 'nhận', 'đã trả lời', 'đúng hạn', 'đúng hạn (không gia hạn)', 'gia hạn', 'quá hạn chưa trả lời', 'phản hồi đầu (trung vị, giờ hành chính)'];
  const pct = (n: number, d: number) => (d === 0 ? '–' : `${n} (${Math.round((100 * n) / d)}%)`);
  const body = lines.map((l) => [`${l.orgCode} ${l.orgName}`, String(l.received), String(l.replied), pct(l.onTime, l.replied), pct(l.onTimeWithoutExtension, l.replied), String(l.extended), String(l.overdueOpen), hours(l.medianFirstResponseBusinessMs)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const row = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
  return [`Báo cáo trả lời đúng hạn / On-time report: ${range.from} – ${range.to} (received)`, row(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(row)].join('\n');
}
