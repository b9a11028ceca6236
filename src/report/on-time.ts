import type { Db } from '../../db/client.js';
import { OPEN_INQUIRY_STATUSES } from '../../db/schema.js';
import type { WorkCalendar } from '../time/calendar.js';
import { addDays, localMidnight } from '../time/local.js';
import { businessMs, DEFAULT_OFFICE_HOURS } from '../time/office-hours.js';

/** One agency's line of the on-time report. */
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
  /** Still open and past their due time at `now`. */
  overdueOpen: number;
  /** Median time from receipt to the agency's first response, counted in office hours, in ms; null when none responded. */
  medianFirstResponseBusinessMs: number | null;
}

const REPLIED = new Set(['answered', 'declined']);

/**
 * On-time figures per agency for inquiries received in [from, to] (local dates, inclusive):
 * what leaders and the yearly Decree 244 Art. 10 report need, with and without extensions.
 */
export async function onTimeReport(db: Db, range: { from: string; to: string }, now: Date, calendar: WorkCalendar): Promise<OnTimeLine[]> {
  const rows = await db.selectFrom('inquiries').leftJoin('orgs', 'orgs.id', 'inquiries.org_id')
    .select(['inquiries.status', 'inquiries.received_at', 'inquiries.due_at', 'inquiries.original_due_at', 'inquiries.answered_at', 'inquiries.closed_at', 'inquiries.first_response_at', 'orgs.code', 'orgs.name'])
    .where('inquiries.status', 'not in', ['merged', 'rejected', 'withdrawn'])
    .where('inquiries.received_at', '>=', localMidnight(range.from).toISOString())
    .where('inquiries.received_at', '<', localMidnight(addDays(range.to, 1)).toISOString())
    .execute();
  const lines = new Map<string, OnTimeLine>();
  const responses = new Map<string, number[]>();
  for (const r of rows) {
    const key = r.code ?? '—';
    const line = lines.get(key) ?? { orgCode: key, orgName: r.name ?? '(chưa chuyển / not routed)', received: 0, replied: 0, onTime: 0, onTimeWithoutExtension: 0, extended: 0, overdueOpen: 0, medianFirstResponseBusinessMs: null };
    lines.set(key, line);
    line.received += 1;
    if (r.due_at && r.original_due_at && r.due_at !== r.original_due_at) line.extended += 1;
    if (r.first_response_at) {
      const list = responses.get(key) ?? [];
      list.push(businessMs(new Date(r.received_at), new Date(r.first_response_at), calendar, DEFAULT_OFFICE_HOURS));
      responses.set(key, list);
    }
    const repliedAt = REPLIED.has(r.status) ? (r.answered_at ?? r.closed_at) : null;
    if (repliedAt) {
      line.replied += 1;
      if (r.due_at && repliedAt <= r.due_at) line.onTime += 1;
      if ((r.original_due_at ?? r.due_at) && repliedAt <= (r.original_due_at ?? r.due_at)!) line.onTimeWithoutExtension += 1;
    } else if (OPEN_INQUIRY_STATUSES.includes(r.status) && r.due_at && r.due_at < now.toISOString()) line.overdueOpen += 1;
  }
  for (const [key, list] of responses) {
    const line = lines.get(key);
    if (line) line.medianFirstResponseBusinessMs = median(list);
  }
  return [...lines.values()].sort((a, b) => a.orgCode.localeCompare(b.orgCode));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
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
