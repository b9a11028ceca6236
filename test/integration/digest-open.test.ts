import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { A } from '../../flows/buttons.js';
import { createManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { seedMiniNetwork } from '../helpers/directory-fixture.js';
import { createFlowDriver } from '../helpers/flow-driver.js';

const REPORTER = '101';
const HEALTH = '201';
const POLICE = '203';

describe.each(testDialects())('opening a notice from a digest (%s)', (dialect) => {
  let t: TestDb;
  let bot: ReturnType<typeof createFlowDriver>;

  beforeEach(async () => {
    t = await createTestDb(dialect);
    await seedMiniNetwork(t.db);
    bot = createFlowDriver(t.db, createManualClock('2026-11-23T02:00:00Z'));
    for (const [user, code] of [[REPORTER, 'inv-pv1'], [HEALTH, 'inv-pn-syt'], [POLICE, 'inv-pn-ca']] as const) await bot.command(user, 'start', code);
  });
  afterEach(async () => { await t.drop(); });

  it('sends the carried notice again, with its buttons and its inquiry, only to the person it was for', async () => {
    await bot.say(REPORTER, 'Số ca sốt xuất huyết tuần này?');
    await bot.press(REPORTER, 'Y tế');
    await bot.press(REPORTER, 'Gửi');
    const notice = bot.last(HEALTH);
    // As the outbox's digest leaves it: carried, not sent on its own.
    await t.db.updateTable('outbox').set({ status: 'digested' }).where('id', '=', notice.outboxId).execute();

    await bot.pressRaw(POLICE, A.digestOpen, String(notice.outboxId));
    expect(bot.last(POLICE).text).toContain('không có quyền');
    await bot.pressRaw(HEALTH, A.digestOpen, 'x');
    expect(bot.last(HEALTH).text).toContain('không có quyền');

    await bot.pressRaw(HEALTH, A.digestOpen, String(notice.outboxId));
    const opened = bot.last(HEALTH);
    expect(opened.text).toBe(notice.text);
    expect(opened.buttons).toEqual(notice.buttons);
    const row = await t.db.selectFrom('outbox').selectAll().where('id', '=', opened.outboxId).executeTakeFirstOrThrow();
    expect([row.ref_kind, row.inquiry_id]).toEqual(['staff_notice', (await t.db.selectFrom('inquiries').select('id').executeTakeFirstOrThrow()).id]);
  });
});
