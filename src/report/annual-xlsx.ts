import type { Writable } from 'node:stream';
import type { EvidenceRow } from '../../db/repositories/stats-figures.js';
import { excerpt } from '../../flows/copy/format.js';
import { formatDay, spreadsheetDate } from '../dashboard/format.js';
import {
  repliedOnTimeWithoutExtension, statementOnTime, type AnnualReport,
} from './annual.js';

/** The report's lines: number, what it counts (Vietnamese / English), the figure, a note. */
export function annualLines(r: AnnualReport): Array<{ no: string; vi: string; en: string; value: string; note: string }> {
  const o = r.corrections.byOutcome;
  return [
    { no: '1', vi: 'Số cuộc họp báo đã tổ chức', en: 'Press conferences held', value: String(r.conferencesHeld), note: '' },
    { no: '2', vi: 'Số lượt trả lời / số yêu cầu của báo chí đã nhận', en: 'Replies given / press requests received', value: `${r.repliesGiven} / ${r.requestsReceived}`, note: 'Trả lời gồm cả từ chối có căn cứ luật định / replies include declines on statutory grounds' },
    { no: '3', vi: 'Số sự kiện, vấn đề đột xuất, bất thường đã xử lý', en: 'Incidents handled', value: `${r.incidents.handled} / ${r.incidents.events}`, note: `Câu hỏi loại sự cố / dư luận: ${r.incidents.inquiries}; tuyên bố chủ động: ${r.incidents.statements}` },
    { no: '4', vi: 'Số lần phát ngôn đúng hạn / số sự kiện theo quy định 24 giờ', en: 'Statements on time / events under the 24-hour rule', value: `${r.incidents.onTime} / ${r.incidents.events}`, note: 'Đúng hạn: trong 24 giờ, không tính gia hạn / on time: within 24 hours, extensions not counted' },
    { no: '5', vi: 'Số văn bản đề nghị cải chính', en: 'Correction requests', value: String(r.corrections.total), note: `Đã cải chính ${o.corrected}, xin lỗi ${o.apologised}, từ chối ${o.refused}, không phản hồi ${o.no_response}, đang chờ ${o.pending}` },
  ];
}

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
 * Writes the report as XLSX to `out` (streamed: the second sheet may list hundreds of thousands of
 * inquiries): sheet "Báo cáo" with the five figures, sheet "Chi tiết" with every record behind them.
 * Dates are Vietnam wall-clock times (dd/mm/yyyy hh:mm).
 */
export async function writeAnnualXlsx(r: AnnualReport, out: Writable): Promise<void> {
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
