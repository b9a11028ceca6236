import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { createFlowDriver } from '../helpers/flow-driver.js';

const REPORTER = '101';
const HEALTH = '201';
const FINANCE = '202';
const COORD = '301';
const HOUR_MS = 3_600_000;

describe.each(testDialects())('deadline flows on %s', (dialect) => {
  let t: TestDb;
  let net: MiniNetwork;
  let clock: ManualClock;
  let bot: ReturnType<typeof createFlowDriver>;
  const inquiry = () => t.db.selectFrom('inquiries').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();

  beforeEach(async () => {
    t = await createTestDb(dialect);
    net = await seedMiniNetwork(t.db);
    clock = createManualClock('2026-11-23T02:00:00Z'); // Monday 09:00 in Vietnam
    bot = createFlowDriver(t.db, clock);
    for (const [chat, code] of [[REPORTER, 'inv-pv1'], [HEALTH, 'inv-pn-syt'], [FINANCE, 'inv-pn-stc'], [COORD, 'inv-dm1']] as const) await bot.command(chat, 'start', code);
  });
  afterEach(async () => { await t.drop(); });

  async function ask(question: string, send = 'Gửi'): Promise<void> {
    await bot.say(REPORTER, question);
    await bot.press(REPORTER, 'Y tế');
    await bot.press(REPORTER, send);
  }

  it('every new inquiry gets its class, rule, legal basis and due time, shown to the reporter and the spokesperson', async () => {
    await ask('Câu hỏi thường?');
    const row = await inquiry();
    expect(row).toMatchObject({ deadline_class: 'routine', status: 'assigned' });
    expect(row.rule_id).toBeTruthy();
    expect(row.legal_basis).toBeTruthy();
    expect(row.due_at).toBeTruthy();
    expect(row.original_due_at).toBe(row.due_at);
    expect(row.deadline_seq).toBe(1);
    expect(bot.inbox(REPORTER).find((m) => m.text.includes('Đã tiếp nhận'))?.text).toContain('Hạn trả lời');
    expect(bot.last(HEALTH).text).toContain('Hạn trả lời');
    expect(bot.deadlineSyncs).toContain(row.id);
  });

  it('an urgent question gets the short deadline at once; the coordinator confirms or changes the class', async () => {
    await ask('Sập cầu ở phường Phú Xuân?', 'khẩn: sự việc đột xuất');
    const urgent = await inquiry();
    expect(urgent).toMatchObject({ deadline_class: 'incident', urgent_requested: 1, class_confirmed: 0 });
    const request = bot.last(COORD);
    expect(request.text).toContain('xử lý khẩn');
    await bot.press(COORD, 'Câu hỏi thông thường');
    const changed = await inquiry();
    expect(changed).toMatchObject({ deadline_class: 'routine', class_confirmed: 1, received_at: urgent.received_at });
    expect(Date.parse(changed.due_at!)).toBeGreaterThan(Date.parse(urgent.due_at!));
    expect(changed.deadline_seq).toBe(urgent.deadline_seq + 1);
    expect(bot.last(REPORTER).text).toContain('Câu hỏi thông thường');
    await bot.pressRaw(HEALTH, 'cls', `${changed.id}.i`);
    expect(bot.last(HEALTH).text).toContain('không có quyền');
  });

  it('an extension needs a reason, a later due time and a coordinator; others are refused', async () => {
    await ask('Số liệu cả năm?');
    const before = await inquiry();
    await bot.press(HEALTH, 'Xin gia hạn');
    await bot.say(HEALTH, 'Cần tổng hợp số liệu từ 40 xã, phường.');
    await bot.say(HEALTH, '01/01/2020 17:00');
    expect(bot.last(HEALTH).text).toContain('sau hạn hiện tại');
    await bot.say(HEALTH, '30/11/2026 17:00');
    expect(bot.last(HEALTH).text).toContain('Đã gửi đề nghị gia hạn');
    const request = bot.last(COORD);
    expect(request.text).toContain('40 xã, phường');
    const requestId = request.buttons[0]?.[0]?.payload ?? '';
    await bot.pressRaw(FINANCE, 'exo', requestId);
    expect(bot.last(FINANCE).text).toContain('không có quyền');
    expect((await inquiry()).due_at).toBe(before.due_at);
    await bot.press(COORD, 'Duyệt');
    const after = await inquiry();
    expect(after.due_at).toBe('2026-11-30T10:00:00.000Z');
    expect(after.original_due_at).toBe(before.due_at);
    expect(after.deadline_seq).toBe(before.deadline_seq + 1);
    expect(bot.last(HEALTH).text).toContain('chấp thuận');
    expect(bot.last(REPORTER).text).toContain('gia hạn');
    await bot.press(COORD, 'Duyệt');
    expect(bot.last(COORD).text).toContain('đã được xử lý');
  });

  it('a clarification pauses the clock; the reporter\'s reply resumes it with the paused time added', async () => {
    await ask('Bệnh viện nào?');
    const before = await inquiry();
    await bot.press(HEALTH, 'Hỏi lại');
    await bot.say(HEALTH, 'Tuyến tỉnh hay tuyến xã?');
    expect(bot.last(REPORTER).text).toContain('tạm dừng');
    const paused = await inquiry();
    expect(paused.paused_at).toBe(clock.now().toISOString());
    clock.advance(5 * HOUR_MS);
    const clarify = bot.inbox(REPORTER).find((m) => m.text.includes('Tuyến tỉnh hay tuyến xã'))!;
    await bot.say(REPORTER, 'Tuyến tỉnh.', clarify.messageId);
    const resumed = await inquiry();
    expect(resumed.paused_at).toBeNull();
    expect(resumed.paused_ms).toBe(5 * HOUR_MS);
    expect(Date.parse(resumed.due_at!)).toBeGreaterThan(Date.parse(before.due_at!));
    expect(bot.last(HEALTH).text).toContain('tính tiếp');
  });

  it('a transfer keeps the received time and re-times the inquiry for the new agency', async () => {
    await ask('Ngân sách y tế?');
    const before = await inquiry();
    clock.advance(HOUR_MS);
    await bot.press(HEALTH, 'Chuyển đơn vị');
    await bot.press(HEALTH, 'Sở Tài chính');
    const after = await inquiry();
    expect(after).toMatchObject({ org_id: net.financeId, received_at: before.received_at, due_at: before.due_at });
    expect(after.deadline_seq).toBe(before.deadline_seq + 1);
  });
});
