import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { seedMiniNetwork } from '../helpers/directory-fixture.js';
import { createFlowDriver } from '../helpers/flow-driver.js';

const REPORTER = '101';
const HEALTH = '201';
const COORD = '301';

describe.each(testDialects())('greetings, hints and stale buttons on %s', (dialect) => {
  let t: TestDb;
  let bot: ReturnType<typeof createFlowDriver>;

  beforeEach(async () => {
    t = await createTestDb(dialect);
    await seedMiniNetwork(t.db);
    bot = createFlowDriver(t.db, createManualClock('2026-12-04T03:00:00Z'));
    await bot.command(REPORTER, 'start', 'inv-pv1');
    await bot.command(HEALTH, 'start', 'inv-pn-syt');
    await bot.command(COORD, 'start', 'inv-dm1');
  });
  afterEach(async () => { await t.drop(); });

  it('greetings say what to do next; a spokesperson\'s names their agency', () => {
    expect(bot.last(REPORTER).text).toContain('Gõ câu hỏi của bạn để gửi');
    expect(bot.last(HEALTH).text).toContain('Bạn là người phát ngôn của Sở Y tế');
    expect(bot.last(HEALTH).text).toContain('/pending');
    expect(bot.last(COORD).text).toContain('/notice');
  });

  it('a spokesperson typing ordinary text gets a hint, not a refusal; the coordinator\'s /help lists /notice', async () => {
    await bot.say(HEALTH, 'Chào bot');
    expect(bot.last(HEALTH).text).toContain('bấm nút "Trả lời"');
    expect(bot.last(HEALTH).text).not.toContain('không có quyền');
    await bot.command(COORD, 'help');
    expect(bot.last(COORD).text).toContain('/notice — gửi thông báo');
    expect(bot.last(COORD).text).not.toContain('(reply)');
  });

  it('a double tap on Send does not ask for a question again; stale or unknown buttons name no internal id', async () => {
    await bot.say(REPORTER, 'Tình hình sốt xuất huyết?');
    await bot.press(REPORTER, 'Y tế');
    await bot.press(REPORTER, 'Gửi');
    expect(bot.last(REPORTER).text).toMatch(/Đã tiếp nhận câu hỏi Q-\d+/);
    await bot.press(REPORTER, 'Gửi');
    expect(bot.last(REPORTER).text).toBe('Lựa chọn này đã được ghi nhận. Để gửi câu hỏi mới, hãy gõ nội dung câu hỏi.');

    await bot.pressRaw(HEALTH, 'ans', '987654');
    expect(bot.last(HEALTH).text).toBe('Nút này không còn dùng được. Gõ /my hoặc /pending để xem các câu hỏi, /help để xem hướng dẫn.');
    expect(bot.last(HEALTH).text).not.toContain('987654');
    await bot.pressRaw(REPORTER, 'zz', '1');
    expect(bot.last(REPORTER).text).toContain('Nút này không còn dùng được');
  });
});
