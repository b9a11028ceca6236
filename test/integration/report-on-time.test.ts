import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCalendar } from '../../src/import/calendar.js';
import { formatOnTimeReport, onTimeReport } from '../../src/report/on-time.js';
import { createManualClock, type ManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { seedMiniNetwork } from '../helpers/directory-fixture.js';
import { createFlowDriver } from '../helpers/flow-driver.js';

const DAY_MS = 86_400_000;

describe.each(testDialects())('on-time report on %s', (dialect) => {
  let t: TestDb;
  let clock: ManualClock;
  let bot: ReturnType<typeof createFlowDriver>;
  beforeEach(async () => {
    t = await createTestDb(dialect);
    await seedMiniNetwork(t.db);
    clock = createManualClock('2026-11-23T02:00:00Z');
    bot = createFlowDriver(t.db, clock);
    for (const [chat, code] of [['101', 'inv-pv1'], ['201', 'inv-pn-syt'], ['301', 'inv-dm1']] as const) await bot.command(chat, 'start', code);
  });
  afterEach(async () => { await t.drop(); });

  async function ask(q: string): Promise<string> {
    await bot.say('101', q);
    await bot.press('101', 'Y tế');
    await bot.press('101', 'Gửi');
    return bot.last('201').messageId;
  }

  it('counts on-time replies with and without extensions, and open overdue ones', async () => {
    const answeredAtOnce = await ask('Một?');
    await bot.say('201', 'Trả lời ngay.', answeredAtOnce);
    await bot.press('201', 'Gửi câu trả lời'); // answers go out once confirmed
    await ask('Hai?'); // left unanswered: overdue
    const extendedThenAnswered = await ask('Ba?');
    await bot.press('201', 'Xin gia hạn'); // on the newest notice, "Ba?"
    await bot.say('201', 'Cần thêm thời gian tổng hợp.');
    await bot.say('201', '15/12/2026 17:00');
    await bot.press('301', 'Duyệt');
    clock.advance(10 * DAY_MS);
    await bot.say('201', 'Trả lời sau khi gia hạn.', extendedThenAnswered);
    await bot.press('201', 'Gửi câu trả lời');
    const lines = await onTimeReport(t.db, { from: '2026-11-01', to: '2026-11-30' }, clock.now(), await loadCalendar(t.db));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ orgCode: 'SYT', received: 3, replied: 2, onTime: 2, onTimeWithoutExtension: 1, extended: 1, overdueOpen: 1 });
    // First responses: 0 (answered at once) and 60 office hours (Mon 09:00 → Thu 09:00 ten days
    // later: 6 + 4 × 7.5 + 3 × 7.5 + 1.5; an extension request is not a response). Median 30 h.
    expect(lines[0]?.medianFirstResponseBusinessMs).toBe(30 * 3_600_000);
    expect(formatOnTimeReport(lines, { from: '2026-11-01', to: '2026-11-30' })).toContain('SYT Sở Y tế');
    expect(await onTimeReport(t.db, { from: '2026-12-01', to: '2026-12-31' }, clock.now(), await loadCalendar(t.db))).toEqual([]);
  });
});
