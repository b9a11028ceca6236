import type { Writable } from 'node:stream';
import type { EvidenceTuple } from '../../db/repositories/annual-listing.js';
import type { EvidenceKind, EvidenceRow } from '../../db/repositories/stats-figures.js';
import { excerpt } from '../../flows/copy/format.js';
import { shiftDay } from '../../flows/stats/periods.js';
import { formatDay, spreadsheetDate, spreadsheetSerial, spreadsheetSerialOfMs } from '../dashboard/format.js';
import { statementOnTime, type AnnualReportData, type AnnualXlsxSource } from './annual.js';
import { detailInquiryRow, detailSheetEnd, detailSheetStart, packageParts, summarySheet, xlsxRow, type XlsxCell } from './xlsx-parts.js';
import { createZipWriter } from './zip-writer.js';

/** The report's lines: number, what it counts (Vietnamese / English), the figure, a note. */
export function annualLines(r: AnnualReportData): Array<{ no: string; vi: string; en: string; value: string; note: string }> {
  const o = r.corrections.byOutcome;
  return [
    { no: '1', vi: 'Số cuộc họp báo đã tổ chức', en: 'Press conferences held', value: String(r.conferencesHeld), note: '' },
    { no: '2', vi: 'Số lượt trả lời / số yêu cầu của báo chí đã nhận', en: 'Replies given / press requests received', value: `${r.repliesGiven} / ${r.requestsReceived}`, note: 'Trả lời gồm cả từ chối có căn cứ luật định / replies include declines on statutory grounds' },
    { no: '3', vi: 'Số sự kiện, vấn đề đột xuất, bất thường đã xử lý', en: 'Incidents handled', value: `${r.incidents.handled} / ${r.incidents.events}`, note: `Câu hỏi loại sự cố / dư luận: ${r.incidents.inquiries}; tuyên bố chủ động: ${r.incidents.statements}` },
    { no: '4', vi: 'Số lần phát ngôn đúng hạn / số sự kiện theo quy định 24 giờ', en: 'Statements on time / events under the 24-hour rule', value: `${r.incidents.onTime} / ${r.incidents.events}`, note: 'Đúng hạn: trong 24 giờ, không tính gia hạn / on time: within 24 hours, extensions not counted' },
    { no: '5', vi: 'Số văn bản đề nghị cải chính', en: 'Correction requests', value: String(r.corrections.total), note: `Đã cải chính ${o.corrected}, xin lỗi ${o.apologised}, từ chối ${o.refused}, không phản hồi ${o.no_response}, đang chờ ${o.pending}` },
  ];
}

const yesNo = (v: boolean) => (v ? 'Có' : 'Không');

/** A row of the second sheet: figure, code, agency, kind, when, due, replied at, on time, subject (absent cells left out). */
type DetailRow = [string, XlsxCell, XlsxCell, XlsxCell, XlsxCell, XlsxCell, XlsxCell, XlsxCell, XlsxCell];

/** An evidence row as the listing's array (what a report built from objects hands the writer). */
export function evidenceTuple(r: EvidenceRow): EvidenceTuple {
  return [r.id, r.code, r.agency, r.deadline_class, r.status, r.received_at, r.due_at, r.original_due_at, r.closed_at, r.question];
}

/**
 * A listed inquiry's row XML; a reply at or after `endMs` (the period's end, ms since the epoch)
 * is not shown as given in it.
 * `onTime`: the 24-hour rule's column (figures 3–4), else empty. Works on the array as read, with
 * each date parsed once and no Date object (a third of a million rows a year at a ministry's volume).
 */
function inquiryRow(n: number, figure: string, t: EvidenceTuple, onTime: boolean, endMs = Infinity): string {
  const [id, code, agency, cls, status, received, due, originalDue, closed, question] = t;
  const replied = status === 'answered' || status === 'declined';
  const closedMs = closed !== null && replied ? Date.parse(closed) : NaN;
  const legalDue = originalDue ?? due;
  // The figures' rule without extensions (repliedOnTimeWithoutExtension), on the row's own strings.
  const cell = onTime ? yesNo(replied && closed !== null && legalDue !== null && closed <= legalDue) : '';
  return detailInquiryRow(
    n, figure, code ?? `Q-${id}`, agency ?? '', cls ?? '', spreadsheetSerial(received), due ? spreadsheetSerial(legalDue!) : null,
    closedMs < endMs ? spreadsheetSerialOfMs(closedMs) : null, cell, excerpt(question, 160),
  );
}

/** Bytes of XML per chunk handed to the compressor. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Rows' XML encoded straight into one buffer per chunk: a Buffer per row (and their concatenation)
 * made most of the garbage a listing of half a million rows left to collect.
 */
function chunker(): { put(xml: string): Buffer | undefined; rest(): Buffer } {
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  return {
    put(xml) {
      let full: Buffer | undefined;
      // A UTF-16 unit is at most 3 bytes of UTF-8.
      if (used + xml.length * 3 > buf.length) {
        full = buf.subarray(0, used);
        buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, xml.length * 3));
        used = 0;
      }
      used += buf.write(xml, used, 'utf8');
      return full;
    },
    rest: () => buf.subarray(0, used),
  };
}

/** The second sheet's XML, in chunks: every record behind the figures, read a page at a time. */
async function* detailSheet(r: AnnualXlsxSource): AsyncGenerator<string | Buffer> {
  yield detailSheetStart();
  let n = 1;
  const chunks = chunker();
  const rows: string[] = [];
  const add = (row: DetailRow) => { rows.push(xlsxRow(++n, row)); };
  for (const c of r.conferences) add(['1. Họp báo', c.code, c.host, 'họp báo', spreadsheetDate(c.starts_at), undefined, undefined, undefined, `${c.title} — ${c.place}`]);
  // Figure 2: every request received in the year, once, with its reply when given in the year;
  // then the replies given in the year to requests of earlier years.
  const endMs = Date.parse(`${shiftDay(r.range.to, 1)}T00:00:00+07:00`);
  const sources: Array<[EvidenceKind, (q: EvidenceTuple) => string]> = [
    ['received', (q) => inquiryRow(++n, '2. Yêu cầu', q, false, endMs)],
    ['replied_earlier', (q) => inquiryRow(++n, '2. Trả lời (yêu cầu năm trước)', q, false, endMs)],
    ['urgent', (q) => inquiryRow(++n, '3-4. Sự kiện 24h', q, true)],
  ];
  for (const xml of rows.splice(0)) yield* whenFull(chunks.put(xml));
  // Every listing's first page is asked for now: on PostgreSQL the later, smaller ones (whose
  // first page may scan) are read while the year's requests are written.
  const listings = sources.map(([kind]) => tuplePages(r, kind));
  const firsts = listings.map((l) => l.next());
  for (const f of firsts) f.catch(() => undefined);
  try {
    for (const [i, [, toRow]] of sources.entries()) {
      for (let page = await firsts[i]!; !page.done; page = await listings[i]!.next()) {
        for (const q of page.value) {
          const full = chunks.put(toRow(q));
          if (full) yield full;
        }
        // A turn of the event loop between pages: a bot building the report keeps answering meanwhile.
        await new Promise(setImmediate);
      }
    }
  } finally {
    // A listing left unread (the output failed) closes what it opened.
    await Promise.all(listings.map((l) => l.return(undefined)));
  }
  for (const s of r.statementRows) add(['3-4. Sự kiện 24h', s.code, s.agency, 'tuyên bố chủ động', spreadsheetDate(s.event_at), undefined, spreadsheetDate(s.published_at), yesNo(statementOnTime(s)), s.title]);
  for (const c of r.correctionRows) {
    add(['5. Cải chính', c.code, c.agency, c.outcome, spreadsheetDate(`${c.requested_on}T00:00:00+07:00`), undefined, undefined, undefined, `${c.outlet_name}: ${c.article} — ${c.grounds}${c.document_name ? ` — Văn bản / letter: ${c.document_name}` : ''}`]);
  }
  for (const xml of rows) yield* whenFull(chunks.put(xml));
  yield chunks.rest();
  yield detailSheetEnd();
}

/** The report's listing as arrays: read as such when the report can, else its objects converted. */
export async function* tuplePages(r: AnnualXlsxSource, kind: EvidenceKind): AsyncGenerator<EvidenceTuple[]> {
  if ('evidenceTuples' in r && r.evidenceTuples) {
    yield* r.evidenceTuples(kind);
    return;
  }
  if ('evidencePages' in r) for await (const page of r.evidencePages(kind)) yield page.map(evidenceTuple);
}

function* whenFull(full: Buffer | undefined): Generator<Buffer> {
  if (full) yield full;
}

/**
 * Writes the report as XLSX to `out`, streamed: sheet "Báo cáo" with the five figures, sheet
 * "Chi tiết" with every record behind them (hundreds of thousands of rows at a ministry's volume,
 * read a page at a time and compressed as they come). Dates are Vietnam wall-clock times
 * (dd/mm/yyyy hh:mm). The XML is written here rather than through exceljs's WorkbookWriter, whose
 * per-cell work took 2–10 s per 100,000 rows; the sheets are the same, cell for cell
 * (`test/unit/annual-xlsx-writer.test.ts` compares them).
 */
export async function writeAnnualXlsx(r: AnnualXlsxSource, out: Writable): Promise<void> {
  const zip = createZipWriter(out);
  const summary = [
    { cells: [`BÁO CÁO CÔNG TÁC PHÁT NGÔN VÀ CUNG CẤP THÔNG TIN CHO BÁO CHÍ NĂM ${r.year}`] },
    { cells: [`Theo Điều 10 Nghị định 244/2026/NĐ-CP — Kỳ báo cáo: ${formatDay(r.range.from)} – ${formatDay(r.range.to)}`] },
    { cells: [`Cơ quan báo cáo: ${r.org ? `${r.org.name} (${r.org.code})` : 'Toàn mạng lưới / whole network'}`] },
    { cells: ['Kính gửi: Bộ Văn hóa, Thể thao và Du lịch (trước ngày 20/12)'] },
    { cells: [] },
    { cells: ['STT', 'Nội dung / Figure', 'Số liệu / Value', 'Ghi chú / Note'] },
    ...annualLines(r).map((l) => ({ cells: [l.no, `${l.vi}\n${l.en}`, l.value, l.note] })),
    { cells: [] },
    { cells: ['', `Lập lúc / made at: ${formatDay(r.generatedAt.slice(0, 10))}. Chi tiết từng số liệu ở trang "Chi tiết".`] },
  ];
  for (const [name, text] of packageParts({ creator: 'Mạng lưới phát ngôn', at: new Date(), sheets: ['Báo cáo', 'Chi tiết'] })) await zip.add(name, text);
  await zip.add('xl/worksheets/sheet1.xml', summarySheet(summary));
  await zip.addStream('xl/worksheets/sheet2.xml', detailSheet(r));
  await zip.finish();
  out.end();
}
