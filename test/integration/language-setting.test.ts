import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyForIdentity } from '../../flows/effects.js';
import { createManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { createFlowDriver } from '../helpers/flow-driver.js';

const REPORTER = '101';

describe.each(testDialects())('one language setting per person on %s', (dialect) => {
  let t: TestDb;
  let net: MiniNetwork;
  let bot: ReturnType<typeof createFlowDriver>;

  beforeEach(async () => {
    t = await createTestDb(dialect);
    net = await seedMiniNetwork(t.db);
    bot = createFlowDriver(t.db, createManualClock('2026-12-04T03:00:00Z'));
    await bot.command(REPORTER, 'start', 'inv-pv1');
  });
  afterEach(async () => { await t.drop(); });

  it('/lang on one channel changes the person, and every channel of theirs follows', async () => {
    const webIdentity = await linkChat(t.db, net.reporterId, 'web', 'w-101');
    await bot.command(REPORTER, 'lang', 'en');
    expect(bot.last(REPORTER).text).toBe('Language set to English.');
    const person = await t.db.selectFrom('persons').select('locale').where('id', '=', net.reporterId).executeTakeFirstOrThrow();
    expect(person.locale).toBe('en');
    expect((await copyForIdentity(t.db, webIdentity, 'vi')).locale).toBe('en');

    await bot.say(REPORTER, 'How many dengue cases this week?');
    await bot.press(REPORTER, 'Y tế'); // the fixture's topics have no English names
    await bot.press(REPORTER, 'Send');
    expect(bot.last(REPORTER).text).toMatch(/^Inquiry Q-\d+ received\.[\s\S]*Due: end of \w+day \d{2}\/\d{2}\/2026, \d+ working days? left/);

    await bot.command(REPORTER, 'lang', 'vi');
    expect((await copyForIdentity(t.db, webIdentity, 'en')).locale).toBe('vi');
    expect(bot.last(REPORTER).text).toBe('Đã chuyển sang tiếng Việt.');
  });
});
