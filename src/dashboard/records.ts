import type { Db } from '../../db/client.js';
import { listConferences, listCorrections, listStatements } from '../../db/repositories/press-records.js';
import { dayStartIso } from '../../db/repositories/stats-rollup.js';
import { pressVi } from '../../flows/copy/press-vi.js';
import { shiftDay, type DayRange } from '../../flows/stats/periods.js';
import type { Table } from './tables.js';

/** The attachment id of a stored letter reference (`attachment:<id>`), for the page's download link. */
const letterId = (ref: string | null): number | null => {
  const m = /^attachment:(\d+)$/.exec(ref ?? '');
  return m ? Number(m[1]) : null;
};

const STATUS: Record<string, string> = { scheduled: 'Đã lên lịch / scheduled', held: 'Đã tổ chức / held', cancelled: 'Đã hủy / cancelled' };

/**
 * The press records of a period, for the agencies `orgIds` (null: all): conferences starting in
 * it, correction requests made in it (with their official letter) and own-initiative statements
 * about events in it — what the annual report counts (items 1, 4 and 5), one row each, newest first.
 */
export async function pressRecordsTable(db: Db, range: DayRange, orgIds: readonly number[] | null): Promise<Table> {
  const [fromIso, toIso] = [dayStartIso(range.from), dayStartIso(shiftDay(range.to, 1))];
  const [conferences, corrections, statements] = await Promise.all([
    listConferences(db, fromIso, toIso, orgIds), listCorrections(db, range.from, range.to, orgIds), listStatements(db, fromIso, toIso, orgIds),
  ]);
  const rows = [
    ...conferences.map((c) => ({ type: 'Họp báo / press conference', code: c.code, agency: c.host, at: c.starts_at, title: `${c.title} — ${c.place}`, status: STATUS[c.status] ?? c.status, document: null })),
    ...corrections.map((r) => ({
      type: 'Đề nghị cải chính / correction request', code: r.code, agency: r.agency, at: `${r.requested_on}T00:00:00+07:00`, title: `${r.outlet_name}: ${r.article}`,
      status: pressVi.outcomeLabel(r.outcome), document: r.document_name, documentId: letterId(r.document_ref),
    })),
    ...statements.map((s) => ({ type: 'Phát ngôn chủ động / statement', code: s.code, agency: s.agency, at: s.event_at, title: s.title, status: s.link, document: null })),
  ].map((r) => ({ ...r, at: new Date(r.at).toISOString() })).sort((a, b) => b.at.localeCompare(a.at));
  return {
    name: 'records', vi: 'Họp báo, đề nghị cải chính, phát ngôn chủ động trong kỳ', en: 'Press conferences, correction requests, own-initiative statements in the period',
    columns: [
      { key: 'type', vi: 'Loại', en: 'Kind', kind: 'text' }, { key: 'code', vi: 'Mã', en: 'Code', kind: 'text' }, { key: 'agency', vi: 'Cơ quan', en: 'Agency', kind: 'text' },
      { key: 'at', vi: 'Thời gian', en: 'When', kind: 'datetime' }, { key: 'title', vi: 'Nội dung', en: 'Subject', kind: 'text' },
      { key: 'status', vi: 'Trạng thái / kết quả / đường dẫn', en: 'Status / outcome / link', kind: 'text' }, { key: 'document', vi: 'Văn bản kèm theo', en: 'Attached letter', kind: 'text' },
    ],
    rows,
  };
}
