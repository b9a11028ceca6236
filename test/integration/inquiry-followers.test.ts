import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { claimFollowers } from '../../db/repositories/followers.js';
import { hashInviteCode } from '../../db/invite-hash.js';
import { createManualClock, type ManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { createFlowDriver } from '../helpers/flow-driver.js';

const REPORTER = '101';
const OTHER = '102';
const HEALTH = '201';
const COORD = '301';
const NOW = '2026-11-01T00:00:00.000Z';

describe.each(testDialects())('following another reporter’s question on %s', (dialect) => {
  let t: TestDb;
  let db: Db;
  let net: MiniNetwork;
  let clock: ManualClock;
  let bot: ReturnType<typeof createFlowDriver>;
  let otherId: number;
  const latest = () => db.selectFrom('inquiries').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
  const followers = async () => db.selectFrom('inquiry_followers').selectAll().execute();

  beforeEach(async () => {
    t = await createTestDb(dialect);
    db = t.db;
    net = await seedMiniNetwork(db);
    // A second reporter, of another outlet.
    otherId = (await db.insertInto('persons').values({ code: 'pv2', full_name: 'Đỗ Văn Hai', outlet_id: null, outlet_name: 'Báo Đà Nẵng', press_card: 'DN-1', phone: null, tags: null, locale: null, invite_code: hashInviteCode('inv-pv2'), invite_used_at: null, created_at: NOW, updated_at: NOW }).returning('id').executeTakeFirstOrThrow()).id;
    await db.insertInto('role_assignments').values({ person_id: otherId, role: 'reporter', kind: null, org_id: null, status: 'active', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: NOW, updated_at: NOW }).execute();
    clock = createManualClock('2026-11-23T02:00:00Z');
    bot = createFlowDriver(db, clock);
    for (const [chat, code] of [[REPORTER, 'inv-pv1'], [OTHER, 'inv-pv2'], [HEALTH, 'inv-pn-syt'], [COORD, 'inv-dm1']] as const) await bot.command(chat, 'start', code);
  });
  afterEach(async () => { await t.drop(); });

  async function ask(question: string): Promise<string> {
    await bot.say(REPORTER, question);
    await bot.press(REPORTER, 'Y tế');
    await bot.press(REPORTER, 'Gửi');
    return (await latest()).code ?? '';
  }

  it('a follower receives the answer once, in their own chat, without the asker’s identity; unfollowing stops it', async () => {
    const code = await ask('Số ca sốt xuất huyết ở Huế tuần này là bao nhiêu?');
    await bot.command(OTHER, 'follow', code);
    expect(bot.last(OTHER).text).toContain(`Bạn đang theo dõi câu hỏi ${code}`);
    expect(bot.last(OTHER).text).not.toContain('Trần Thị Phóng Viên');
    await bot.command(OTHER, 'follow', code); // twice: still one row
    expect(await followers()).toHaveLength(1);
    await bot.say(HEALTH, 'Có 12 ca, không có ca tử vong.', bot.last(HEALTH).messageId);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    const toOther = bot.inbox(OTHER).filter((m) => m.text.includes('Có 12 ca'));
    expect(toOther).toHaveLength(1);
    expect(toOther[0]!.text).toContain(`Câu hỏi ${code} bạn đang theo dõi đã có trả lời — Sở Y tế`);
    expect(toOther[0]!.text).not.toContain('Trần Thị Phóng Viên');
    expect(toOther[0]!.buttons).toEqual([]);
    // The asker still gets it once, in their thread, with rating buttons.
    expect(bot.inbox(REPORTER).filter((m) => m.text.includes('Có 12 ca'))).toHaveLength(1);
    // No outbox row was written twice for the follower.
    const otherChat = await db.selectFrom('outbox').select('text').where('chat_id', '=', OTHER).execute();
    expect(otherChat.filter((r) => r.text.includes('Có 12 ca'))).toHaveLength(1);
    // The answering transaction claimed the follower: a replay at the same instant claims nobody.
    const answered = await latest();
    expect(await claimFollowers(db, answered.id, answered.answered_at!)).toEqual([]);
    // An answered question can still be followed (by nobody new here) and unfollowed.
    await bot.command(OTHER, 'unfollow', code);
    expect(bot.last(OTHER).text).toBe(`Đã thôi theo dõi câu hỏi ${code}.`);
    expect(await followers()).toHaveLength(0);
    await bot.command(OTHER, 'unfollow', code);
    expect(bot.last(OTHER).text).toBe(`Bạn không theo dõi câu hỏi ${code}.`);
  });

  it('a follower is sent a corrected answer once, as they were sent the first', async () => {
    const code = await ask('Số điểm tiêm vắc-xin sởi ở Huế?');
    await bot.command(OTHER, 'follow', code);
    await bot.say(HEALTH, 'Có 40 điểm tiêm.', bot.last(HEALTH).messageId);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    clock.advance(60_000);
    await bot.press(HEALTH, 'Sửa câu trả lời');
    await bot.say(HEALTH, 'Có 42 điểm tiêm.');
    await bot.press(HEALTH, 'Gửi câu trả lời');
    const corrected = bot.inbox(OTHER).filter((m) => m.text.includes('Có 42 điểm'));
    expect(corrected).toHaveLength(1);
    expect(corrected[0]!.text).toContain(`Câu trả lời cho câu hỏi ${code} bạn đang theo dõi đã được sửa — Sở Y tế`);
    expect(corrected[0]!.text).not.toContain('Trần Thị Phóng Viên');
    expect(bot.inbox(OTHER).filter((m) => m.text.includes('Có 40 điểm'))).toHaveLength(1);
  });

  it('a follower is told of a decline with its ground', async () => {
    const code = await ask('Danh sách bệnh nhân sốt xuất huyết ở Huế?');
    await bot.command(OTHER, 'follow', code);
    await bot.press(HEALTH, 'Từ chối');
    await bot.press(HEALTH, 'bí mật');
    await bot.say(HEALTH, 'Thông tin cá nhân người bệnh được pháp luật bảo vệ.');
    const told = bot.inbox(OTHER).filter((m) => m.text.includes('từ chối cung cấp thông tin'));
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain(`Câu hỏi ${code} bạn đang theo dõi: Sở Y tế từ chối`);
    expect(told[0]!.text).toContain('Căn cứ: Thuộc bí mật nhà nước');
  });

  it('refuses one’s own question, a closed one, an unknown code, and people who are not verified reporters', async () => {
    const code = await ask('Số ca sốt xuất huyết ở Huế tuần này là bao nhiêu?');
    await bot.command(REPORTER, 'follow', code);
    expect(bot.last(REPORTER).text).toContain(`Không thể theo dõi ${code}`);
    await bot.command(HEALTH, 'follow', code);
    expect(bot.last(HEALTH).text).toBe('Chỉ phóng viên đã được xác minh mới theo dõi được câu hỏi.');
    await bot.command(COORD, 'follow', code);
    expect(bot.last(COORD).text).toBe('Chỉ phóng viên đã được xác minh mới theo dõi được câu hỏi.');
    await bot.command(OTHER, 'follow', 'Q-999');
    expect(bot.last(OTHER).text).toContain('Không tìm thấy câu hỏi Q-999');
    await db.updateTable('inquiries').set({ status: 'withdrawn' }).where('code', '=', code).execute();
    await bot.command(OTHER, 'follow', code);
    expect(bot.last(OTHER).text).toContain(`Không thể theo dõi ${code}`);
    expect(await followers()).toHaveLength(0);
    expect(net.reporterId).toBeGreaterThan(0);
  });

  it('a follower of a question merged into another is sent that other question\'s answer, once', async () => {
    const thirdId = (await db.insertInto('persons').values({ code: 'pv3', full_name: 'Lê Thị Ba', outlet_id: null, outlet_name: 'Báo Quảng Trị', press_card: 'QT-1', phone: null, tags: null, locale: null, invite_code: hashInviteCode('inv-pv3'), invite_used_at: null, created_at: NOW, updated_at: NOW }).returning('id').executeTakeFirstOrThrow()).id;
    await db.insertInto('role_assignments').values({ person_id: thirdId, role: 'reporter', kind: null, org_id: null, status: 'active', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: NOW, updated_at: NOW }).execute();
    await bot.command('103', 'start', 'inv-pv3');
    const kept = await ask('Số ca sốt xuất huyết ở Huế tuần này là bao nhiêu?');
    const notice = bot.last(HEALTH).messageId;
    await bot.say(OTHER, 'Tuần này Huế có bao nhiêu ca sốt xuất huyết?');
    await bot.press(OTHER, 'An ninh');
    await bot.press(OTHER, 'Gửi');
    const duplicate = (await latest()).code ?? '';
    await bot.command('103', 'follow', duplicate);
    await bot.command(COORD, 'merge', `${duplicate} ${kept}`);
    expect(bot.last(COORD).text).toContain(`đã gộp vào ${kept}`);
    // The follower follows the kept question now (its row in their inbox), no longer the duplicate.
    const keptId = Number(kept.slice(2));
    expect((await followers()).map((f) => [Number(f.person_id), Number(f.inquiry_id)])).toEqual([[thirdId, keptId]]);
    await bot.say(HEALTH, 'Có 12 ca, không có ca tử vong.', notice);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    // The duplicate's reporter in their thread, and its follower in theirs: each once.
    expect(bot.inbox(OTHER).filter((m) => m.text.includes('Có 12 ca'))).toHaveLength(1);
    const toFollower = bot.inbox('103').filter((m) => m.text.includes('Có 12 ca'));
    expect(toFollower).toHaveLength(1);
    expect(toFollower[0]!.text).toContain(`Câu hỏi ${kept} bạn đang theo dõi đã có trả lời`);
  });

  it('a decline of a question reaches the reporters and followers of the questions merged into it, once each', async () => {
    const thirdId = (await db.insertInto('persons').values({ code: 'pv3', full_name: 'Lê Thị Ba', outlet_id: null, outlet_name: 'Báo Quảng Trị', press_card: 'QT-1', phone: null, tags: null, locale: null, invite_code: hashInviteCode('inv-pv3'), invite_used_at: null, created_at: NOW, updated_at: NOW }).returning('id').executeTakeFirstOrThrow()).id;
    await db.insertInto('role_assignments').values({ person_id: thirdId, role: 'reporter', kind: null, org_id: null, status: 'active', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: NOW, updated_at: NOW }).execute();
    await bot.command('103', 'start', 'inv-pv3');
    const kept = await ask('Danh sách bệnh nhân sốt xuất huyết ở Huế?');
    const notice = bot.last(HEALTH);
    await bot.say(OTHER, 'Cho xin danh sách người bệnh sốt xuất huyết tại Huế?');
    await bot.press(OTHER, 'An ninh');
    await bot.press(OTHER, 'Gửi');
    const duplicate = (await latest()).code ?? '';
    await bot.command('103', 'follow', duplicate);
    await bot.command(COORD, 'merge', `${duplicate} ${kept}`);
    await bot.press(HEALTH, 'Từ chối', undefined, notice);
    await bot.press(HEALTH, 'bí mật');
    await bot.say(HEALTH, 'Thông tin cá nhân người bệnh được pháp luật bảo vệ.');
    const declined = (chat: string) => bot.inbox(chat).filter((m) => m.text.includes('từ chối cung cấp thông tin'));
    expect(declined(REPORTER)).toHaveLength(1);
    expect(declined(OTHER)).toHaveLength(1);
    expect(declined(OTHER)[0]!.text).toContain(duplicate);
    expect(declined('103')).toHaveLength(1);
    expect(declined('103')[0]!.text).toContain('Căn cứ: Thuộc bí mật nhà nước');
  });

  it('a coordinator merges a duplicate in one step (/merge Q-13 Q-12, the web page’s “Gộp vào”), through the lifecycle’s checks', async () => {
    const askPolice = async (chat: string, q: string) => {
      await bot.say(chat, q);
      await bot.press(chat, 'An ninh');
      await bot.press(chat, 'Gửi');
      return latest();
    };
    const first = await askPolice(REPORTER, 'Vụ cháy chợ Đông Ba đêm qua có thương vong không?');
    const second = await askPolice(OTHER, 'Vụ cháy chợ Đông Ba có người bị thương không?');
    expect(second.status).toBe('screening');
    // A reporter may not merge: the lifecycle table refuses, nothing changes.
    await bot.command(OTHER, 'merge', `${second.code} ${first.code}`);
    expect((await db.selectFrom('inquiries').select('status').where('id', '=', second.id).executeTakeFirstOrThrow()).status).toBe('screening');
    await bot.command(COORD, 'merge', `${second.code} ${first.code}`);
    const merged = await db.selectFrom('inquiries').selectAll().where('id', '=', second.id).executeTakeFirstOrThrow();
    expect(merged).toMatchObject({ status: 'merged', merged_into_id: first.id });
    expect(bot.last(COORD).text).toContain(`đã gộp vào ${first.code}`);
    expect(bot.last(OTHER).text).toContain(`trùng nội dung với câu hỏi ${first.code}`);
    // Merging into itself or an unknown code is refused, as when typed after the button.
    const third = await askPolice(OTHER, 'Chợ Đông Ba bao giờ mở cửa lại?');
    await bot.command(COORD, 'merge', `${third.code} ${third.code}`);
    expect(bot.last(COORD).text).toContain(`Không thể gộp vào ${third.code}`);
    // No dialog waits for another code here (the page shows this beside its button): no typing hint.
    expect(bot.last(COORD).text).not.toContain('/cancel');
    // Asked for the code by the notice's button, a refused code may be typed again: there the hint stays.
    await bot.press(COORD, 'Gộp vào câu hỏi khác');
    await bot.say(COORD, third.code ?? '');
    expect(bot.last(COORD).text).toContain(`Không thể gộp vào ${third.code}: câu hỏi không tồn tại, đã đóng, hoặc chính là câu hỏi này. Gõ mã khác hoặc /cancel.`);
    expect((await db.selectFrom('inquiries').select('status').where('id', '=', third.id).executeTakeFirstOrThrow()).status).toBe('screening');
  });
});
