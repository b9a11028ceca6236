import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertAttachment } from '../../db/repositories/attachments.js';
import { insertCorrection, listCorrections } from '../../db/repositories/press-records.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { annualReport } from '../../src/report/annual.js';
import { createManualClock, type ManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { createFlowDriver } from '../helpers/flow-driver.js';

const REPORTER = '101';
const HEALTH = '201';
const FINANCE = '202';
const COORD = '301';

describe.each(testDialects())('press conferences, correction requests and statements in chat on %s', (dialect) => {
  let t: TestDb;
  let net: MiniNetwork;
  let clock: ManualClock;
  let bot: ReturnType<typeof createFlowDriver>;
  beforeEach(async () => {
    t = await createTestDb(dialect);
    net = await seedMiniNetwork(t.db);
    clock = createManualClock('2026-12-01T02:00:00Z'); // Tuesday 09:00 in Vietnam
    bot = createFlowDriver(t.db, clock);
    for (const [chat, code] of [[REPORTER, 'inv-pv1'], [HEALTH, 'inv-pn-syt'], [FINANCE, 'inv-pn-stc'], [COORD, 'inv-dm1']] as const) await bot.command(chat, 'start', code);
  });
  afterEach(async () => { await t.drop(); });

  it('schedules, announces to reporters, takes registrations and questions, and turns unanswered ones into inquiries counted from the conference', async () => {
    await bot.command(COORD, 'conference', '03/12/2026 09:00 | Hội trường UBND | HUE | SYT, STC | Họp báo định kỳ tháng 12');
    expect(bot.last(COORD).text).toContain('Đã lên lịch họp báo HB-1: Họp báo định kỳ tháng 12, 03/12/2026 09:00, Hội trường UBND');
    const notice = await t.db.selectFrom('notices').selectAll().executeTakeFirstOrThrow();
    expect(notice).toMatchObject({ status: 'sending', title: 'Họp báo HB-1: Họp báo định kỳ tháng 12' });
    expect(JSON.parse(notice.audience)).toEqual({ all: true, role: 'reporter' });
    const recipients = await t.db.selectFrom('notice_recipients').select('person_id').where('notice_id', '=', notice.id).execute();
    expect(recipients.map((r) => r.person_id)).toEqual([net.reporterId]);
    await bot.command(REPORTER, 'conference', '03/12/2026 09:00 | x | HUE | SYT | y');
    expect(bot.last(REPORTER).text).toBe('Bạn không có quyền thực hiện thao tác này.');
    await bot.command(COORD, 'conference', '03/12/2026 09:00 | x | NOPE | SYT | y');
    expect(bot.last(COORD).text).toBe('Không có cơ quan mã NOPE.');

    await bot.command(REPORTER, 'register', 'HB-1');
    expect(bot.last(REPORTER).text).toContain('Đã đăng ký dự họp báo HB-1');
    await bot.command(REPORTER, 'register', 'hb-1');
    expect(bot.last(REPORTER).text).toBe('Bạn đã đăng ký dự họp báo HB-1 rồi.');
    await bot.command(REPORTER, 'confq', 'HB-1 SYT Kế hoạch tiêm chủng năm tới thế nào?');
    expect(bot.last(REPORTER).text).toContain('chuyển tới Sở Y tế');
    expect(bot.last(HEALTH).text).toContain('Câu hỏi gửi trước cho họp báo HB-1');
    await bot.command(REPORTER, 'confq', 'HB-1 CA Câu hỏi?');
    expect(bot.last(REPORTER).text).toContain('Các cơ quan phát ngôn: SYT, STC');
    await bot.command(REPORTER, 'confq', 'HB-1 STC Ngân sách năm tới ra sao?');

    await bot.command(COORD, 'conference', 'held HB-1 1');
    expect(bot.last(COORD).text).toContain('chưa diễn ra');
    clock.set('2026-12-03T04:00:00Z'); // Thursday 11:00, after the conference
    await bot.command(COORD, 'conference', 'held HB-1 1');
    expect(bot.last(COORD).text).toMatch(/Câu hỏi đã trả lời tại họp báo: 1\. Chuyển thành câu hỏi chính thức: Q-\d+\./);
    const inquiry = await t.db.selectFrom('inquiries').selectAll().executeTakeFirstOrThrow();
    // Received at the conference (09:00 Thursday): two working days → 24:00 on Monday 7 December.
    expect(inquiry).toMatchObject({ status: 'assigned', org_id: net.financeId, received_at: '2026-12-03T02:00:00.000Z', due_at: '2026-12-07T17:00:00.000Z', question: 'Ngân sách năm tới ra sao?' });
    expect(bot.last(REPORTER).text).toContain(`nay là câu hỏi ${inquiry.code} gửi Sở Tài chính`);
    expect(bot.last(FINANCE).text).toContain('Ngân sách năm tới ra sao?');
    await bot.command(COORD, 'conference', 'held HB-1');
    expect(bot.last(COORD).text).toBe('Họp báo HB-1 đã được đánh dấu trước đó.');
    const questions = await t.db.selectFrom('press_conference_questions').select(['status', 'inquiry_id']).orderBy('id').execute();
    expect(questions).toEqual([{ status: 'answered', inquiry_id: null }, { status: 'converted', inquiry_id: inquiry.id }]);
  });

  it('records correction requests and their outcome, and own-initiative statements, for the spokesperson\'s agency only', async () => {
    await bot.command(HEALTH, 'correction', 'Báo Điện tử X | Bài "Bệnh viện từ chối bệnh nhân" | 30/11/2026 | Thông tin sai sự thật, bệnh viện đã tiếp nhận');
    expect(bot.last(HEALTH).text).toContain('Đã ghi nhận đề nghị cải chính CC-1 gửi Báo Điện tử X');
    await bot.command(HEALTH, 'correction', 'X | Y | 31/12/2026 | Z');
    expect(bot.last(HEALTH).text).toContain('không phải ngày hợp lệ');
    await bot.command(FINANCE, 'correction', 'CC-1 refused');
    expect(bot.last(FINANCE).text).toBe('Không tìm thấy đề nghị cải chính CC-1 của cơ quan bạn.');
    await bot.command(REPORTER, 'correction', 'CC-1 refused');
    expect(bot.last(REPORTER).text).toBe('Bạn không có quyền thực hiện thao tác này.');
    await bot.command(HEALTH, 'correction', 'CC-1 corrected Đã gỡ bài.');
    expect(bot.last(HEALTH).text).toBe('Đã ghi kết quả đề nghị cải chính CC-1: đã cải chính.');
    clock.set('2026-12-01T05:00:00Z'); // 12:00
    await bot.command(HEALTH, 'statement', '01/12/2026 08:00 | Thông tin ban đầu về vụ ngộ độc thực phẩm');
    expect(bot.last(HEALTH).text).toContain('Đã ghi nhận phát ngôn chủ động TB-1');
    expect(bot.last(HEALTH).text).toContain('Phát ngôn sau 4 giờ: đúng hạn 24 giờ');
    await bot.command(HEALTH, 'statement', '02/12/2026 08:00 | Chưa xảy ra');
    expect(bot.last(HEALTH).text).toContain('không phải thời điểm hợp lệ');
    const r = await annualReport(t.db, { year: 2026, orgCode: 'SYT', now: clock.now(), calendar: await loadCalendar(t.db) });
    expect(r.corrections).toMatchObject({ total: 1, byOutcome: { corrected: 1 } });
    expect(r.incidents).toMatchObject({ statements: 1, onTime: 1, events: 1 });
    const denied = await t.db.selectFrom('audit_events').select('action').where('action', '=', 'access.denied').execute();
    expect(denied).toHaveLength(1);
  });
  it("lists a correction request's letter by its attachment (stored files only), and no letter for a malformed reference", async () => {
    const at = clock.now().toISOString();
    const file = (n: number, status: 'stored' | 'quarantined') => insertAttachment(t.db, {
      sha256: `${n}`.padStart(64, '0'), sizeBytes: 10, mimeType: 'application/pdf', kind: 'document', name: `CV ${n}.pdf`,
      blobKey: `blob-${n}`, status, sourceKey: `test:${n}`, createdAt: at,
    });
    const [stored, refused] = [await file(1, 'stored'), await file(2, 'quarantined')];
    const record = (documentRef: string | null) => insertCorrection(t.db, {
      orgId: net.healthId, recordedBy: null, outletId: null, outletName: 'Báo Y', article: 'Bài', publishedOn: '2026-11-30',
      requestedOn: '2026-12-01', grounds: 'Sai sự thật', documentRef, nowIso: at,
    });
    for (const ref of [`attachment:${stored.id}`, `attachment:${refused.id}`, null]) await record(ref);
    const rows = await listCorrections(t.db, '2026-12-01', '2026-12-01', [net.healthId]);
    expect(rows.map((r) => r.document_name)).toEqual(['CV 1.pdf', null, null]);
  });
});
