import { describe, expect, it } from 'vitest';
import type { EvidenceKind, EvidenceRow } from '../../db/repositories/stats-figures.js';
import type { AnnualReport } from '../../src/report/annual.js';
import { writeAnnualXlsx } from '../../src/report/annual-xlsx.js';
import { writeAnnualXlsxWithExceljs } from '../helpers/annual-xlsx-exceljs.js';
import { xlsxBytes, xlsxModel } from '../helpers/xlsx-compare.js';

const inquiry = (id: number, o: Partial<EvidenceRow> = {}): EvidenceRow => ({
  id, code: `Q-${id}`, agency: 'Sở Y tế', deadline_class: 'routine', status: 'answered', received_at: '2026-01-05T02:00:00.000Z',
  due_at: '2026-01-07T17:00:00.000Z', original_due_at: null, closed_at: '2026-01-06T09:30:00.000Z', question: `Câu hỏi ${id}?`, ...o,
});

/** Every kind of row the listing has, with the text a spreadsheet must not break on. */
const EVIDENCE: Record<EvidenceKind, EvidenceRow[]> = {
  received: [
    inquiry(1, { agency: 'A & <B> "C" \'D\'', question: `Dòng một\nDòng hai\t\u0001\u000b\u007f — ${'dài '.repeat(60)}` }),
    inquiry(2, { code: null, agency: null, deadline_class: null, status: 'assigned', due_at: null, closed_at: null }),
    inquiry(3, { closed_at: '2026-12-20T02:00:00.000Z' }), // replied after the year: not shown as given in it
    ...Array.from({ length: 450 }, (_, i) => inquiry(10 + i, { received_at: new Date(Date.parse('2026-02-01T00:00:00Z') + i * 3_600_000).toISOString() })),
  ],
  replied_earlier: [inquiry(4, { received_at: '2025-11-01T02:00:00.000Z', original_due_at: '2025-11-03T17:00:00.000Z' })],
  urgent: [inquiry(5, { deadline_class: 'incident', due_at: '2026-01-06T02:00:00.000Z' }), inquiry(6, { deadline_class: 'public_opinion', status: 'declined' })],
};

function report(): AnnualReport {
  const pages = async function* (kind: EvidenceKind) { yield EVIDENCE[kind].slice(0, 200); yield EVIDENCE[kind].slice(200); };
  return {
    year: 2026, range: { from: '2025-12-15', to: '2026-12-14' }, org: { code: 'SYT', name: 'Sở Y tế & <Dân số>' }, generatedAt: '2026-12-04T03:00:00.000Z',
    conferencesHeld: 1, repliesGiven: 3, requestsReceived: 453, incidents: { events: 3, inquiries: 2, statements: 1, handled: 3, onTime: 2 },
    corrections: { total: 2, byOutcome: { pending: 1, corrected: 1, apologised: 0, refused: 0, no_response: 0 } },
    conferences: [{ id: 1, code: 'HB-1', title: 'Họp báo "định kỳ"', starts_at: '2026-03-15T02:00:00.000Z', place: 'https://a.example/?x=1&y=2', topics: 't', host_org_id: 1, host: 'Thành phố Huế', status: 'held', held_at: null, notice_id: null }],
    correctionRows: [
      { id: 1, code: 'CC-1', org_id: 1, agency: 'Sở Y tế', outlet_name: 'Báo X', article: 'Bài <Y>', published_on: '2026-04-01', requested_on: '2026-04-10', grounds: 'Sai', outcome: 'corrected', outcome_note: null, document_ref: 'attachment:7', document_name: 'CV 1.pdf' },
      { id: 2, code: null, org_id: 1, agency: 'Sở Y tế', outlet_name: 'Báo Z', article: 'Bài', published_on: '2026-05-01', requested_on: '2026-05-02', grounds: 'Sai', outcome: 'pending', outcome_note: null, document_ref: null, document_name: null },
    ],
    statementRows: [{ id: 1, code: 'TB-1', org_id: 1, agency: 'Sở Tài chính', title: 'Thông tin ban đầu', event_at: '2026-08-01T01:00:00.000Z', published_at: '2026-08-01T13:00:00.000Z', link: null }],
    evidence: async function* (kind) { yield* EVIDENCE[kind]; },
    evidencePages: pages,
  };
}

describe('the annual report\'s XLSX writer', () => {
  it('writes the same workbook, cell for cell, as exceljs\'s WorkbookWriter did', async () => {
    const mine = await xlsxBytes((out) => writeAnnualXlsx(report(), out));
    const reference = await xlsxBytes((out) => writeAnnualXlsxWithExceljs(report(), out));
    const model = await xlsxModel(mine) as Array<{ name: string; cells: unknown[] }>;
    expect(model.map((s) => s.name)).toEqual(['Báo cáo', 'Chi tiết']);
    expect(model[1]!.cells.length).toBeGreaterThan(450 * 7);
    expect(model).toEqual(await xlsxModel(reference));
  });
});
