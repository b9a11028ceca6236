import type { InquiryListRow, OrgEntry } from '../../db/repositories/stats-figures.js';
import type { CohortFigures, OneStopFigures } from '../../flows/stats/measures.js';
import type { LeagueRow, TopicRow, WeekPoint } from './figures.js';

/**
 * Every table the dashboard shows, as data: the page renders it, and the same model is exported
 * as CSV and XLSX (Vietnamese headers first), so a table and its export never disagree.
 */
export type ColumnKind = 'text' | 'int' | 'pct' | 'minutes' | 'datetime' | 'number';

export interface Column {
  key: string;
  vi: string;
  en: string;
  kind: ColumnKind;
}

export type Cell = string | number | null;

export interface Table {
  name: string;
  vi: string;
  en: string;
  columns: Column[];
  rows: Array<Record<string, Cell>>;
}

const col = (key: string, vi: string, en: string, kind: ColumnKind = 'int'): Column => ({ key, vi, en, kind });

/** The one-stop measures, with and without extensions (product.md, "How officials already read such numbers"). */
export function oneStopTable(s: OneStopFigures): Table {
  const rows: Array<[string, string, number | null, number | null]> = [
    ['Đã tiếp nhận', 'Received', s.received, s.received],
    ['Tồn kỳ trước', 'Carried over', s.carriedOver, s.carriedOver],
    ['Cần xử lý', 'To handle', s.toHandle, s.toHandle],
    ['Đang xử lý', 'Open', s.open.total, s.open.total],
    ['— Trễ hạn', '— late', s.open.late, s.open.lateWithoutExtension],
    ['— Sắp trễ', '— due soon', s.open.dueSoon, null],
    ['— Chưa đến hạn', '— not yet due', s.open.notYetDue, null],
    ['Đã xử lý', 'Closed', s.closed.total, s.closed.total],
    ['— Trễ hạn', '— late', s.closed.late, s.closed.lateWithoutExtension],
    ['— Đúng/sớm hạn', '— on time', s.closed.onTime, s.closed.onTimeWithoutExtension],
  ];
  return {
    name: 'onestop', vi: 'Một cửa: tình hình xử lý', en: 'One-stop measures',
    columns: [col('measure', 'Chỉ tiêu', 'Measure', 'text'), col('value', 'Số lượng', 'Count'), col('valueNe', 'Không tính gia hạn', 'Without extensions')],
    rows: [
      ...rows.map(([vi, en, value, valueNe]) => ({ measure: `${vi} / ${en}`, value, valueNe })),
      { measure: 'Tỉ lệ trễ hạn / Late rate', value: s.lateRate, valueNe: s.lateRateWithoutExtension, kind: 'pct' },
      { measure: 'Tỉ lệ đúng hạn / On-time rate', value: s.onTimeRate, valueNe: s.onTimeRateWithoutExtension, kind: 'pct' },
    ],
  };
}

/** The received cohort's figures. */
export function figuresTable(c: CohortFigures, overdueNow: number): Table {
  const rate = (n: number) => (c.replied === 0 ? null : n / c.replied);
  const rows: Array<[string, Cell, string?]> = [
    ['Câu hỏi nhận được / Received', c.received],
    ['Đã trả lời (gồm từ chối) / Replied (declines included)', c.replied],
    ['Đúng hạn, có gia hạn / On time, extensions included', rate(c.onTime), 'pct'],
    ['Đúng hạn, không tính gia hạn / On time, without extensions', rate(c.onTimeWithoutExtension), 'pct'],
    ['Được gia hạn / Extended', c.extended],
    ['Quá hạn hiện nay / Overdue now', overdueNow],
    ['Từ chối: bí mật / Declined: secrets', c.declined.secret],
    ['Từ chối: đang điều tra / Declined: under investigation', c.declined.investigation],
    ['Từ chối: chưa có kết luận / Declined: unresolved', c.declined.unresolved],
    ['Từ chối: dự thảo chính sách / Declined: draft policy', c.declined.draft_policy],
    ['Phản hồi đầu tiên, trung vị (giờ hành chính) / First response, median (office time)', c.firstResponse.medianMin, 'minutes'],
    ['Phản hồi đầu tiên, p90 (giờ hành chính) / First response, p90 (office time)', c.firstResponse.p90Min, 'minutes'],
    ['Đánh giá: hài lòng / Rated satisfied', c.ratings.satisfied],
    ['Đánh giá: chấp nhận được / Rated acceptable', c.ratings.acceptable],
    ['Đánh giá: không hài lòng / Rated not satisfied', c.ratings.unsatisfied],
    ['Hỏi thêm trên mỗi câu hỏi / Follow-ups per inquiry', c.followupsPerInquiry === null ? null : Math.round(c.followupsPerInquiry * 100) / 100, 'number'],
  ];
  return {
    name: 'figures', vi: 'Số liệu câu hỏi nhận trong kỳ', en: 'Inquiries received in the period',
    columns: [col('measure', 'Chỉ tiêu', 'Measure', 'text'), col('value', 'Giá trị', 'Value', 'number')],
    rows: rows.map(([measure, value, kind]) => ({ measure, value, ...(kind ? { kind } : {}) })),
  };
}

/** The league table: one row per agency. */
export function leagueTable(rows: readonly LeagueRow[], orgs: ReadonlyMap<number, OrgEntry>): Table {
  return {
    name: 'league', vi: 'Bảng xếp hạng cơ quan', en: 'Agencies league table',
    columns: [
      col('code', 'Mã', 'Code', 'text'), col('agency', 'Cơ quan', 'Agency', 'text'), col('received', 'Đã tiếp nhận', 'Received'),
      col('carried', 'Tồn kỳ trước', 'Carried over'), col('toHandle', 'Cần xử lý', 'To handle'), col('closed', 'Đã xử lý', 'Closed'),
      col('open', 'Đang xử lý', 'Open'), col('late', 'Trễ hạn (đang và đã xử lý)', 'Late (open and closed)'),
      col('onTimeRate', 'Tỉ lệ đúng hạn', 'On-time rate', 'pct'), col('onTimeRateNe', 'Tỉ lệ đúng hạn (không gia hạn)', 'On-time rate (no extensions)', 'pct'),
      col('replied', 'Đã trả lời (câu hỏi nhận trong kỳ)', 'Replied (received in the period)'), col('satisfied', 'Hài lòng', 'Satisfied'),
      col('frMedian', 'Phản hồi đầu tiên, trung vị (giờ hành chính)', 'First response, median (office time)', 'minutes'),
      col('frP90', 'Phản hồi đầu tiên, p90 (giờ hành chính)', 'First response, p90 (office time)', 'minutes'),
    ],
    rows: rows.map((r) => {
      const org = orgs.get(r.orgId);
      return {
        code: org?.code ?? '—', agency: org?.name ?? '(chưa chuyển / not routed)', received: r.oneStop.received, carried: r.oneStop.carriedOver,
        toHandle: r.oneStop.toHandle, closed: r.oneStop.closed.total, open: r.oneStop.open.total, late: r.oneStop.open.late + r.oneStop.closed.late,
        onTimeRate: r.oneStop.onTimeRate, onTimeRateNe: r.oneStop.onTimeRateWithoutExtension, replied: r.cohort.replied, satisfied: r.cohort.ratings.satisfied,
        frMedian: r.cohort.firstResponse.medianMin, frP90: r.cohort.firstResponse.p90Min,
      };
    }).sort((a, b) => (a.onTimeRate ?? 2) - (b.onTimeRate ?? 2) || b.late - a.late || String(a.code).localeCompare(String(b.code))),
  };
}

/** A list of inquiries (the overdue list, an agency's inquiries). */
export function inquiriesTable(name: string, vi: string, en: string, rows: readonly InquiryListRow[]): Table {
  return {
    name, vi, en,
    columns: [
      col('code', 'Mã', 'Code', 'text'), col('agency', 'Cơ quan', 'Agency', 'text'), col('topic', 'Lĩnh vực', 'Topic', 'text'),
      col('status', 'Trạng thái', 'Status', 'text'), col('received', 'Nhận lúc', 'Received', 'datetime'), col('due', 'Hạn trả lời', 'Due', 'datetime'),
      col('closed', 'Trả lời lúc', 'Replied', 'datetime'), col('handler', 'Người xử lý', 'Handler', 'text'), col('question', 'Câu hỏi', 'Question', 'text'),
    ],
    rows: rows.map((r) => ({
      code: r.code ?? `Q-${r.id}`, agency: r.agency ?? '', topic: r.topic ?? '', status: r.status, received: r.received_at, due: r.due_at,
      closed: r.status === 'answered' || r.status === 'declined' ? r.closed_at : null, handler: r.handler ?? '', question: r.question.length > 300 ? `${r.question.slice(0, 299)}…` : r.question,
    })),
  };
}

/** Weekly trend: received vs replied, on-time rate. */
export function trendsTable(weeks: readonly WeekPoint[]): Table {
  return {
    name: 'trends', vi: 'Diễn biến theo tuần', en: 'Weekly trend',
    columns: [col('week', 'Tuần bắt đầu', 'Week of', 'text'), col('received', 'Nhận', 'Received'), col('replied', 'Trả lời', 'Replied'), col('onTimeRate', 'Tỉ lệ đúng hạn', 'On-time rate', 'pct')],
    rows: weeks.map((w) => ({ week: w.week, received: w.received, replied: w.replied, onTimeRate: w.onTimeRate })),
  };
}

/** The busiest topics. */
export function topicsTable(rows: readonly TopicRow[], names: ReadonlyMap<number, string>): Table {
  return {
    name: 'topics', vi: 'Lĩnh vực được hỏi nhiều nhất', en: 'Busiest topics',
    columns: [col('topic', 'Lĩnh vực', 'Topic', 'text'), col('received', 'Nhận', 'Received'), col('replied', 'Đã trả lời', 'Replied'), col('onTime', 'Đúng hạn', 'On time')],
    rows: rows.map((r) => ({ topic: names.get(r.topicId) ?? '(không có lĩnh vực / none)', received: r.received, replied: r.replied, onTime: r.onTime })),
  };
}
