import ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertConference, insertCorrection, insertStatement, markConferenceHeld, setCorrectionOutcome } from '../../db/repositories/press-records.js';
import { recordAnnualReportMade, remindAnnualReport } from '../../flows/maintenance/annual-report-reminder.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { annualReport, UnknownOrgError } from '../../src/report/annual.js';
import { renderAnnualHtml } from '../../src/report/annual-html.js';
import { writeAnnualFile } from '../../src/report/annual-cli.js';
import { REPO_ROOT } from '../../src/paths.js';
import { writeAnnualXlsx } from '../../src/report/annual-xlsx.js';
import { writeAnnualXlsxWithExceljs } from '../helpers/annual-xlsx-exceljs.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { xlsxBytes, xlsxModel } from '../helpers/xlsx-compare.js';
import { linkChat } from '../helpers/directory-fixture.js';
import { DATASET_NOW, seedStatsDataset, vn, type SeededDataset } from '../helpers/stats-dataset.js';

/**
 * The hand-built data set (`test/helpers/stats-dataset.ts`) plus conferences, statements and
 * correction requests; the report's figures are worked out by hand beside each record.
 */
async function seedPressRecords(t: TestDb, data: SeededDataset): Promise<void> {
  const now = DATASET_NOW;
  const conference = async (startsAt: string, held: boolean, host: number) => {
    const c = await insertConference(t.db, { title: `Họp báo ${startsAt}`, startsAt: vn(startsAt), place: 'Hội trường UBND', topics: 'Kinh tế – xã hội', hostOrgId: host, agencyIds: [data.net.healthId], createdBy: data.net.coordinatorId, nowIso: now });
    if (held) expect(await markConferenceHeld(t.db, c.id, data.net.coordinatorId, now)).toBe(true);
  };
  await conference('2026-03-15 09:00', true, data.net.cityId); // held in the year: counts
  await conference('2026-12-14 23:30', true, data.net.cityId); // the year's last day: counts
  await conference('2025-12-10 09:00', true, data.net.cityId); // the year before
  await conference('2026-12-10 09:00', false, data.net.cityId); // not held (yet)
  const statement = (org: number, event: string, published: string) => insertStatement(t.db, { orgId: org, recordedBy: data.net.financeSpokesId, title: `Thông tin về sự việc ${event}`, eventAt: vn(event), publishedAt: vn(published), link: null, nowIso: now });
  await statement(data.net.financeId, '2026-08-01 08:00', '2026-08-01 20:00'); // 12 h: on time
  await statement(data.net.policeId, '2026-09-10 08:00', '2026-09-11 12:00'); // 28 h: late
  await statement(data.net.policeId, '2025-12-01 08:00', '2025-12-01 09:00'); // the year before
  const correction = (requested: string) => insertCorrection(t.db, { orgId: data.net.healthId, recordedBy: data.net.healthSpokesId, outletId: null, outletName: 'Báo Điện tử X', article: 'Bài "Bệnh viện từ chối bệnh nhân"', publishedOn: requested, requestedOn: requested, grounds: 'Thông tin sai sự thật', documentRef: null, nowIso: now });
  const c1 = await correction('2026-04-10');
  await correction('2026-10-01');
  await correction('2025-12-14');
  await setCorrectionOutcome(t.db, Number(c1.slice(3)), 'corrected', 'Đã gỡ bài và đăng cải chính.', '2026-04-12', now);
}

describe.each(testDialects())('the Decree 244 annual report on %s', (dialect) => {
  let t: TestDb;
  let data: SeededDataset;
  let dir: string;
  beforeEach(async () => {
    t = await createTestDb(dialect);
    data = await seedStatsDataset(t.db);
    await seedPressRecords(t, data);
    dir = mkdtempSync(join(tmpdir(), 'annual-'));
  });
  afterEach(async () => {
    await t.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const report = async (orgCode?: string) => annualReport(t.db, { year: 2026, ...(orgCode ? { orgCode } : {}), now: new Date(DATASET_NOW), calendar: await loadCalendar(t.db) });

  it('counts each figure of the hand-built year', async () => {
    const r = await report();
    expect(r.range).toEqual({ from: '2025-12-15', to: '2026-12-14' });
    expect(r.conferencesHeld).toBe(2);
    // Replies given in the year: A1–A5 and B1 (received the year before); requests received: A1–A9, A11.
    expect([r.repliesGiven, r.requestsReceived]).toEqual([6, 10]);
    // 24-hour events: A5 (incident, replied in 20 h), A6 (public opinion, open) and two statements (12 h, 28 h).
    expect(r.incidents).toEqual({ events: 4, inquiries: 2, statements: 2, handled: 3, onTime: 2 });
    expect(r.corrections).toEqual({ total: 2, byOutcome: { pending: 1, corrected: 1, apologised: 0, refused: 0, no_response: 0 } });
    const stc = await report('stc');
    expect(stc.org).toEqual({ code: 'STC', name: 'Sở Tài chính' });
    expect([stc.conferencesHeld, stc.repliesGiven, stc.requestsReceived, stc.corrections.total]).toEqual([0, 2, 2, 0]);
    expect(stc.incidents).toEqual({ events: 2, inquiries: 1, statements: 1, handled: 2, onTime: 2 });
    await expect(report('NOPE')).rejects.toBeInstanceOf(UnknownOrgError);
  });

  it('writes an XLSX whose figures and second sheet a spreadsheet reads back, and a printable A4 page', async () => {
    const path = join(dir, 'bao-cao.xlsx');
    await writeAnnualFile(await report(), path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const summary = wb.getWorksheet('Báo cáo')!;
    const values = summary.getSheetValues().flatMap((row) => (Array.isArray(row) ? [row.slice(1).map((v) => String(v ?? ''))] : []));
    const line = (no: string) => values.find((row) => row[0] === no);
    expect(line('1')?.[2]).toBe('2');
    expect(line('2')?.[2]).toBe('6 / 10');
    expect(line('3')?.[2]).toBe('3 / 4');
    expect(line('4')?.[2]).toBe('2 / 4');
    expect(line('5')?.[2]).toBe('2');
    expect(values[0]?.[0]).toContain('NĂM 2026');
    const detail = wb.getWorksheet('Chi tiết')!;
    expect(detail.getRow(1).getCell(1).value).toBe('Chỉ tiêu / Figure');
    const rows = detail.getSheetValues().slice(2).filter(Array.isArray) as unknown[][];
    const count = (figure: string) => rows.filter((row) => row[1] === figure).length;
    expect([count('1. Họp báo'), count('2. Yêu cầu'), count('2. Trả lời (yêu cầu năm trước)'), count('3-4. Sự kiện 24h'), count('5. Cải chính')]).toEqual([2, 10, 1, 4, 2]);
    // The replies given (6): the requests of the year with a reply date (A1–A5), and B1 of the year before.
    expect(rows.filter((row) => row[1] === '2. Yêu cầu' && row[7] instanceof Date)).toHaveLength(5);
    const a5 = rows.find((row) => row[1] === '3-4. Sự kiện 24h' && row[2] === `Q-${data.ids.get('A5')}`)!;
    // Vietnam wall-clock time in the cell: received 10:00 on 1 June 2026, on time.
    expect((a5[5] as Date).toISOString()).toBe('2026-06-01T10:00:00.000Z');
    expect(a5[8]).toBe('Có');
    const html = renderAnnualHtml(await report(), { href: '/dashboard/print.css' });
    expect(html).toContain('<link rel="stylesheet" href="/dashboard/print.css">');
    expect(html).toContain('15/12/2025 đến 14/12/2026');
    expect(html).toContain('<td class="value">6 / 10</td>');
    expect(html).toContain('(Ký tên, đóng dấu)');
    expect(html).not.toContain('<script');
  });

  it('writes the same workbook, cell for cell, as exceljs\'s WorkbookWriter did (the whole network and one agency)', async () => {
    for (const org of [undefined, 'SYT']) {
      const mine = await xlsxBytes(async (out) => writeAnnualXlsx(await report(org), out));
      const reference = await xlsxBytes(async (out) => writeAnnualXlsxWithExceljs(await report(org), out));
      expect(await xlsxModel(mine)).toEqual(await xlsxModel(reference));
    }
  });

  it('reminds the admins in chat once a day from 1 December until the report is made', async () => {
    const at = '2026-11-01T00:00:00.000Z';
    const admin = await t.db.insertInto('persons').values({ code: 'ad', full_name: 'Quản trị', outlet_id: null, outlet_name: null, press_card: null, phone: null, tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow();
    await t.db.insertInto('role_assignments').values({ person_id: admin.id, role: 'admin', kind: null, org_id: null, status: 'active', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: at, updated_at: at }).execute();
    await linkChat(t.db, admin.id, 'telegram', '800');
    expect(await remindAnnualReport(t.db, new Date('2026-11-30T16:59:00Z'), 'vi')).toEqual([]); // 23:59 on 30 November
    expect(await remindAnnualReport(t.db, new Date('2026-11-30T17:00:00Z'), 'vi')).toHaveLength(1); // 00:00 on 1 December
    expect(await remindAnnualReport(t.db, new Date('2026-12-01T09:00:00Z'), 'vi')).toEqual([]); // once a day
    const text = (await t.db.selectFrom('outbox').select('text').where('chat_id', '=', '800').executeTakeFirstOrThrow()).text;
    expect(text).toContain('báo cáo năm 2026 theo Điều 10 Nghị định 244/2026/NĐ-CP (kỳ 15/12/2025 – 14/12/2026)');
    expect(text).toContain('trước ngày 20/12');
    expect(await remindAnnualReport(t.db, new Date('2026-12-02T02:00:00Z'), 'vi')).toHaveLength(1);
    await recordAnnualReportMade(t.db, 2026, new Date('2026-12-02T05:00:00Z'), admin.id);
    expect(await remindAnnualReport(t.db, new Date('2026-12-03T02:00:00Z'), 'vi')).toEqual([]);
    expect(await remindAnnualReport(t.db, new Date('2027-12-20T02:00:00Z'), 'vi')).toEqual([]); // after the 19th: too late to remind
  });

  // The command line runs on the SQLite file (the PostgreSQL schema is private to this test process).
  if (dialect === 'sqlite') it('is printed and written by `liaison report annual`', () => {
    const out = join(dir, 'cli.xlsx');
    const html = join(dir, 'cli.html');
    const run = (args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'src', 'liaison.mjs'), 'report', 'annual', ...args], {
      cwd: dir, env: { PATH: process.env.PATH ?? '', DATABASE_URL: t.url, DATA_DIR: dir, LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 60_000,
    });
    const r = run(['--year', '2026', '--out', out, '--html', html]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2. Số lượt trả lời / số yêu cầu của báo chí đã nhận / Replies given / press requests received: 6 / 10');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(html, 'utf8')).toContain('@page { size: A4;');
    const bad = run(['--org', 'NOPE']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('No organisation has the code NOPE');
  });
});
