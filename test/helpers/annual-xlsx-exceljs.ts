import type { Writable } from 'node:stream';
import type { EvidenceRow } from '../../db/repositories/stats-figures.js';
import { excerpt } from '../../flows/copy/format.js';
import { formatDay, spreadsheetDate } from '../../src/dashboard/format.js';
import { repliedOnTimeWithoutExtension, statementOnTime, type AnnualReport } from '../../src/report/annual.js';
import { annualLines } from '../../src/report/annual-xlsx.js';

/** Columns of the second sheet (the records behind each figure). */
const EVIDENCE_COLUMNS = [
  { header: 'Chỉ tiêu / Figure', key: 'figure', width: 16 },
  { header: 'Mã / Code', key: 'code', width: 10 },
  { header: 'Cơ quan / Agency', key: 'agency', width: 28 },
  { header: 'Loại / Kind', key: 'kind', width: 18 },
  { header: 'Thời điểm / When', key: 'at', width: 17, style: { numFmt: 'dd/mm/yyyy hh:mm' } },
  { header: 'Hạn / Due', key: 'due', width: 17, style: { numFmt: 'dd/mm/yyyy hh:mm' } },
  { header: 'Trả lời lúc / Replied at', key: 'replied', width: 17, style: { numFmt: 'dd/mm/yyyy hh:mm' } },
  { header: 'Đúng hạn / On time', key: 'onTime', width: 10 },
  { header: 'Nội dung (trích) / Subject (excerpt)', key: 'subject', width: 60 },
];

const yesNo = (v: boolean) => (v ? 'Có' : 'Không');

/** A row of the second sheet; a reply after the period's last day (`lastDay`) is not shown as given in it. */
function inquiryRow(figure: string, r: EvidenceRow, onTime: boolean | null, lastDay?: string): Record<string, unknown> {
  const replied = r.closed_at && (r.status === 'answered' || r.status === 'declined') && (!lastDay || spreadsheetDate(r.closed_at).toISOString().slice(0, 10) <= lastDay);
  return {
    figure, code: r.code ?? `Q-${r.id}`, agency: r.agency ?? '', kind: r.deadline_class ?? '', at: spreadsheetDate(r.received_at),
    due: r.due_at ? spreadsheetDate(r.original_due_at ?? r.due_at) : null, replied: replied ? spreadsheetDate(r.closed_at!) : null,
    onTime: onTime === null ? '' : yesNo(onTime), subject: excerpt(r.question, 160),
  };
}

/**
 * The annual report's XLSX as exceljs's streaming WorkbookWriter wrote it before the report had
 * its own writer (issue #15): kept as the reference the writer's output is compared with.
 * Writes the report as XLSX to `out` (streamed: the second sheet may list hundreds of thousands of
 * inquiries): sheet "Báo cáo" with the five figures, sheet "Chi tiết" with every record behind them.
 * Dates are Vietnam wall-clock times (dd/mm/yyyy hh:mm).
 */
export async function writeAnnualXlsxWithExceljs(r: AnnualReport, out: Writable): Promise<void> {
  // Loaded when a report is made: exceljs is large, and most processes and commands never need it.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Mạng lưới phát ngôn';
  const summary = wb.addWorksheet('Báo cáo', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1 } });
  summary.columns = [{ width: 6 }, { width: 58, style: { alignment: { wrapText: true, vertical: 'top' } } }, { width: 16 }, { width: 60, style: { alignment: { wrapText: true, vertical: 'top' } } }];
  summary.addRow([`BÁO CÁO CÔNG TÁC PHÁT NGÔN VÀ CUNG CẤP THÔNG TIN CHO BÁO CHÍ NĂM ${r.year}`]).font = { bold: true, size: 13 };
  summary.addRow([`Theo Điều 10 Nghị định 244/2026/NĐ-CP — Kỳ báo cáo: ${formatDay(r.range.from)} – ${formatDay(r.range.to)}`]).commit();
  summary.addRow([`Cơ quan báo cáo: ${r.org ? `${r.org.name} (${r.org.code})` : 'Toàn mạng lưới / whole network'}`]).commit();
  summary.addRow(['Kính gửi: Bộ Văn hóa, Thể thao và Du lịch (trước ngày 20/12)']).commit();
  summary.addRow([]).commit();
  const head = summary.addRow(['STT', 'Nội dung / Figure', 'Số liệu / Value', 'Ghi chú / Note']);
  head.font = { bold: true };
  head.commit();
  for (const l of annualLines(r)) summary.addRow([l.no, `${l.vi}\n${l.en}`, l.value, l.note]).commit();
  summary.addRow([]).commit();
  summary.addRow(['', `Lập lúc / made at: ${formatDay(r.generatedAt.slice(0, 10))}. Chi tiết từng số liệu ở trang "Chi tiết".`]).commit();
  summary.commit();
  const detail = wb.addWorksheet('Chi tiết');
  detail.columns = EVIDENCE_COLUMNS;
  for (const c of r.conferences) detail.addRow({ figure: '1. Họp báo', code: c.code, agency: c.host, kind: 'họp báo', at: spreadsheetDate(c.starts_at), subject: `${c.title} — ${c.place}` }).commit();
  // Figure 2: every request received in the year, once, with its reply when given in the year;
  // then the replies given in the year to requests of earlier years.
  const toIso = r.range.to;
  for await (const q of r.evidence('received')) detail.addRow(inquiryRow('2. Yêu cầu', q, null, toIso)).commit();
  for await (const q of r.evidence('replied_earlier')) detail.addRow(inquiryRow('2. Trả lời (yêu cầu năm trước)', q, null, toIso)).commit();
  for await (const q of r.evidence('urgent')) detail.addRow(inquiryRow('3-4. Sự kiện 24h', q, repliedOnTimeWithoutExtension(q))).commit();
  for (const s of r.statementRows) {
    detail.addRow({ figure: '3-4. Sự kiện 24h', code: s.code, agency: s.agency, kind: 'tuyên bố chủ động', at: spreadsheetDate(s.event_at), replied: spreadsheetDate(s.published_at), onTime: yesNo(statementOnTime(s)), subject: s.title }).commit();
  }
  for (const c of r.correctionRows) {
    detail.addRow({ figure: '5. Cải chính', code: c.code, agency: c.agency, kind: c.outcome, at: spreadsheetDate(`${c.requested_on}T00:00:00+07:00`), subject: `${c.outlet_name}: ${c.article} — ${c.grounds}${c.document_name ? ` — Văn bản / letter: ${c.document_name}` : ''}` }).commit();
  }
  detail.commit();
  await wb.commit();
}
