import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { A } from '../../flows/buttons.js';
import { MAX_FAILED_CODES } from '../../flows/code-attempts.js';
import { REGISTRATION_ANNOUNCEMENTS_PER_HOUR } from '../../flows/registration/index.js';
import { createManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { createFlowDriver } from '../helpers/flow-driver.js';
import { hashInviteCode } from '../../db/invite-hash.js';

const REPORTER = '101';
const HEALTH = '201';
const POLICE = '203';
const COORD = '301';
const RLO = '\u202E';

describe.each(testDialects())('flows refuse forged targets, guessing and bidi tricks (%s)', (dialect) => {
  let t: TestDb;
  let net: MiniNetwork;
  let bot: ReturnType<typeof createFlowDriver>;
  let emptyOrgId: number;

  beforeEach(async () => {
    t = await createTestDb(dialect);
    net = await seedMiniNetwork(t.db);
    bot = createFlowDriver(t.db, createManualClock('2026-11-23T02:00:00Z'));
    for (const [user, code] of [[REPORTER, 'inv-pv1'], [HEALTH, 'inv-pn-syt'], [POLICE, 'inv-pn-ca'], [COORD, 'inv-dm1']] as const) await bot.command(user, 'start', code);
    // A department nobody speaks for: nothing routed there would reach anyone.
    emptyOrgId = (await t.db.insertInto('orgs').values({
      code: 'SXD', name: 'Sở Xây dựng', name_en: null, type: 'department', parent_id: net.cityId, predecessor_id: null, valid_from: '2025-07-01', valid_to: null,
      screening: 0, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
    }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterEach(async () => { await t.drop(); });

  const inquiry = () => t.db.selectFrom('inquiries').selectAll().executeTakeFirstOrThrow();

  it('forged transfer data cannot move an inquiry to a ward or to an agency nobody receives for', async () => {
    await bot.say(REPORTER, 'Ngân sách cho y tế năm 2027?');
    await bot.press(REPORTER, 'Y tế');
    await bot.press(REPORTER, 'Gửi');
    const before = await inquiry();
    for (const target of [emptyOrgId, net.cityId, 999_999]) {
      await bot.pressRaw(HEALTH, A.transferTo, `${before.id}.${target}`);
      expect(await inquiry()).toMatchObject({ org_id: net.healthId });
    }
    expect(bot.last(HEALTH).text).toContain('Không thể chuyển câu hỏi tới');
    const refusals = await t.db.selectFrom('audit_events').select('id').where('action', '=', 'inquiry.target_refused').execute();
    expect(refusals).toHaveLength(3);
    await bot.pressRaw(HEALTH, A.transferTo, `${before.id}.${net.financeId}`);
    expect(await inquiry()).toMatchObject({ org_id: net.financeId });
  });

  it('forged routing data cannot send a screened inquiry to an agency nobody receives for', async () => {
    await bot.say(REPORTER, 'Vụ trộm ở phường Phú Xuân?');
    await bot.press(REPORTER, 'An ninh');
    await bot.press(REPORTER, 'Gửi');
    const before = await inquiry();
    expect(before.status).toBe('screening');
    await bot.pressRaw(COORD, A.routeTo, `${before.id}.${emptyOrgId}`);
    expect(await inquiry()).toMatchObject({ status: 'screening' });
    expect(bot.last(COORD).text).toContain('Không thể chuyển câu hỏi tới');
  });

  it('wrong codes are counted per identity: past the limit even a good invite is refused for a while (vi/en)', async () => {
    for (let i = 0; i < MAX_FAILED_CODES; i += 1) await bot.command('999', 'start', `guess-${i}-xyz`);
    expect(bot.last('999').text).toContain('không hợp lệ');
    await bot.command('999', 'start', 'inv-pn-stc');
    expect(bot.last('999').text).toContain('sai mã quá nhiều lần');
    await bot.say('999', 'inv-pn-stc');
    expect((await t.db.selectFrom('persons').select('invite_used_at').where('invite_code', '=', hashInviteCode('inv-pn-stc')).executeTakeFirstOrThrow()).invite_used_at).toBeNull();
    // A chat that has made no wrong guesses is not affected.
    await bot.command('998', 'start', 'inv-pn-stc');
    expect(bot.last('998').text).toContain('Xin chào');
  });

  it('bidi override characters in a name and a question never reach the people who read them', async () => {
    await bot.command('777', 'start');
    await bot.press('777', 'Tiếng Việt');
    await bot.say('777', `Nguyễn ${RLO}nắhT${'\u202C'} Văn`);
    await bot.press('777', 'Báo Huế');
    await bot.say('777', 'HN-99999');
    expect(bot.last(COORD).text).toContain('Nguyễn nắhT Văn');
    await bot.say(REPORTER, `Lịch tiêm ${RLO}gnưr${'\u2069'} cho trẻ?`);
    await bot.press(REPORTER, 'Y tế');
    await bot.press(REPORTER, 'Gửi');
    const texts = (await t.db.selectFrom('outbox').select('text').execute()).map((r) => r.text).join('\n');
    expect(texts).toContain('Lịch tiêm gnưr cho trẻ?');
    expect(texts).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });

  it('registrations ping the coordinators at most a few times an hour', async () => {
    const register = async (user: string) => {
      await bot.command(user, 'start');
      await bot.press(user, 'Tiếng Việt');
      await bot.say(user, `Phóng viên ${user}`);
      await bot.press(user, 'Báo Huế');
      await bot.say(user, 'HN-12345');
    };
    const pings = () => bot.inbox(COORD).filter((m) => m.buttons.flat().some((b) => b.action === A.verifyOk)).length;
    for (let i = 0; i < REGISTRATION_ANNOUNCEMENTS_PER_HOUR + 3; i += 1) await register(String(500 + i));
    expect(pings()).toBe(REGISTRATION_ANNOUNCEMENTS_PER_HOUR);
    const pending = await t.db.selectFrom('role_assignments').select('id').where('role', '=', 'reporter').where('status', '=', 'pending').execute();
    expect(pending).toHaveLength(REGISTRATION_ANNOUNCEMENTS_PER_HOUR + 3);
  });
});
