import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findInquiry } from '../../db/repositories/inquiries.js';
import { createManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { createFlowDriver, useFlowDriver } from '../helpers/flow-driver.js';
import { hashInviteCode } from '../../db/invite-hash.js';

const REPORTER = '101';
const HEALTH = '201';
const FINANCE = '202';
const POLICE = '203';
const COORD = '301';

describe.each(testDialects())('inquiry flows on %s', (dialect) => {
  let t: TestDb;
  let net: MiniNetwork;
  let bot: ReturnType<typeof createFlowDriver>;
  let clock: ReturnType<typeof createManualClock>;

  const starts = [[REPORTER, 'inv-pv1'], [HEALTH, 'inv-pn-syt'], [FINANCE, 'inv-pn-stc'], [POLICE, 'inv-pn-ca'], [COORD, 'inv-dm1']] as const;
  useFlowDriver(dialect, starts, (run) => ({ t, net, bot, clock } = run));

  async function ask(question: string, topic: string): Promise<string> {
    const messageId = await bot.say(REPORTER, question);
    await bot.press(REPORTER, topic);
    await bot.press(REPORTER, 'Gửi');
    return messageId;
  }

  it('binds invites, and a second use of an invite by another account is refused', async () => {
    expect(bot.last(REPORTER).text).toContain('Trần Thị Phóng Viên');
    await bot.command('999', 'start', 'inv-pv1');
    expect(bot.last('999').text).toContain('đã được sử dụng');
  });

  it('question → topic → confirm → agency answers by reply → reporter gets a reply to the original → follow-up → rating', async () => {
    const questionId = await ask('Tình hình sốt xuất huyết tại Huế tuần này thế nào?', 'Y tế');
    const accepted = bot.last(REPORTER);
    expect(accepted.text).toMatch(/Đã tiếp nhận câu hỏi Q-\d+/);
    expect(accepted.text).toContain('Sở Y tế');
    expect(accepted.replyTo).toBe(questionId);

    const notice = bot.last(HEALTH);
    expect(notice.text).toContain('sốt xuất huyết');
    expect(notice.buttons.flat().map((b) => b.label)).toEqual(['Nhận xử lý', 'Trả lời', 'Hỏi lại phóng viên', 'Chuyển đơn vị', 'Xin gia hạn', 'Từ chối']);
    expect(bot.inbox(FINANCE).length).toBe(1); // only the invite welcome

    await t.db.updateTable('persons').set({ title: 'Phó Giám đốc Sở Y tế' }).where('id', '=', net.healthSpokesId).execute();
    const reporterBefore = bot.inbox(REPORTER).length;
    await bot.say(HEALTH, 'Tuần này ghi nhận 12 ca, giảm 30% so với tuần trước.', notice.messageId);
    // Previewed, signed, and nothing sent or recorded yet.
    const preview = bot.last(HEALTH);
    expect(preview.text).toContain('CHƯA GỬI');
    expect(preview.text).toContain('giảm 30%');
    expect(preview.text).toContain('— Lê Văn Y Tế, Phó Giám đốc Sở Y tế');
    expect(preview.buttons.flat().map((b) => b.label)).toEqual(['Gửi câu trả lời', 'Sửa', 'Hủy']);
    expect(bot.inbox(REPORTER).length).toBe(reporterBefore);
    expect((await t.db.selectFrom('inquiries').select('status').executeTakeFirstOrThrow()).status).toBe('assigned');
    await bot.press(HEALTH, 'Gửi câu trả lời');
    const answer = bot.last(REPORTER);
    expect(bot.inbox(REPORTER).length).toBe(reporterBefore + 1);
    expect(answer.text).toContain('— Lê Văn Y Tế, Phó Giám đốc Sở Y tế');
    expect(answer.text).toContain('Trả lời câu hỏi Q-');
    expect(answer.text).toContain('giảm 30%');
    expect(answer.replyTo).toBe(questionId);
    expect(answer.buttons.flat().map((b) => b.label)).toEqual(['Hài lòng', 'Chấp nhận được', 'Không hài lòng']);
    expect(bot.last(HEALTH).text).toContain('Đã gửi câu trả lời');

    const followupId = await bot.say(REPORTER, 'Xin cho biết số ca nặng?', answer.messageId);
    const followup = bot.last(HEALTH);
    expect(followup.text).toContain('hỏi thêm');
    expect(followup.text).toContain('số ca nặng');
    await bot.say(HEALTH, 'Có 2 ca nặng, đã ổn định.', followup.messageId);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    expect(bot.last(REPORTER).text).toContain('2 ca nặng');
    // The answer to the follow-up is threaded under the follow-up, not the original question.
    expect(bot.last(REPORTER).replyTo).toBe(followupId);

    await bot.press(REPORTER, 'Hài lòng');
    expect(bot.last(REPORTER).text).toContain('Hài lòng');
    const inquiry = await t.db.selectFrom('inquiries').selectAll().executeTakeFirstOrThrow();
    expect(inquiry).toMatchObject({ status: 'answered', rating: 'satisfied', handler_person_id: net.healthSpokesId });
    const actions = (await t.db.selectFrom('audit_events').select('action').where('entity', '=', 'inquiry').execute()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['inquiry.create', 'inquiry.answer', 'inquiry.followup', 'inquiry.rate']));
  });

  it('a draft expires after 30 minutes; a correction within 10 minutes keeps both versions and edits the reporter\'s copy through one outbox row; later, or by anyone else, it is refused', async () => {
    await ask('Khi nào có kết quả xét nghiệm?', 'Y tế');
    const notice = bot.last(HEALTH);
    await bot.say(HEALTH, 'Có kết quả sau 2 ngày.', notice.messageId);
    clock.advance(31 * 60_000);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    expect(bot.last(HEALTH).text).toContain('Không còn bản nháp');
    expect(bot.inbox(REPORTER).some((m) => m.text.includes('sau 2 ngày'))).toBe(false);
    expect((await t.db.selectFrom('inquiries').select('status').executeTakeFirstOrThrow()).status).toBe('assigned');

    await bot.say(HEALTH, 'Có kết quả sau 3 ngày.', notice.messageId);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    const answer = bot.last(REPORTER);
    expect(answer.text).toContain('sau 3 ngày');
    clock.advance(9 * 60_000);
    await bot.press(HEALTH, 'Sửa câu trả lời');
    expect(bot.last(HEALTH).text).toContain('còn 1 phút');
    await bot.say(HEALTH, 'Có kết quả sau 4 ngày.');
    expect(bot.last(HEALTH).text).toContain('Xem trước bản sửa');
    await bot.press(HEALTH, 'Gửi câu trả lời');
    expect(bot.last(HEALTH).text).toContain('Đã gửi bản sửa');
    const edit = await t.db.selectFrom('outbox').selectAll().where('edit_of_outbox_id', 'is not', null).execute();
    expect(edit).toHaveLength(1);
    expect(edit[0]).toMatchObject({ edit_of_outbox_id: answer.outboxId, reply_to_outbox_id: answer.outboxId, chat_id: REPORTER });
    expect(edit[0]!.edit_text).toContain('(đã sửa)');
    expect(edit[0]!.edit_text).toContain('sau 4 ngày');
    expect(edit[0]!.text).toContain('đã được sửa');
    const versions = await t.db.selectFrom('inquiry_entries').select(['kind', 'text']).where('kind', 'in', ['answer', 'answer_correction']).orderBy('id').execute();
    expect(versions).toEqual([{ kind: 'answer', text: 'Có kết quả sau 3 ngày.' }, { kind: 'answer_correction', text: 'Có kết quả sau 4 ngày.' }]);

    // A spokesperson of another agency may not correct it.
    const inquiry = await t.db.selectFrom('inquiries').select('id').executeTakeFirstOrThrow();
    await bot.pressRaw(FINANCE, 'acr', String(inquiry.id));
    expect(bot.last(FINANCE).text).toContain('không có quyền');
    clock.advance(2 * 60_000);
    await bot.press(HEALTH, 'Sửa câu trả lời');
    expect(bot.last(HEALTH).text).toContain('chỉ sửa được trong 10 phút');
    expect(await t.db.selectFrom('inquiry_entries').select('id').where('kind', '=', 'answer_correction').execute()).toHaveLength(1);
  });

  it('a spokesperson of another agency pressing the buttons is refused and nothing changes', async () => {
    await ask('Câu hỏi y tế', 'Y tế');
    const inquiry = await t.db.selectFrom('inquiries').selectAll().executeTakeFirstOrThrow();
    await bot.pressRaw(FINANCE, 'ack', String(inquiry.id));
    expect(bot.last(FINANCE).text).toContain('không có quyền');
    await bot.pressRaw(REPORTER, 'dcg', `${inquiry.id}.secret`);
    expect(bot.last(REPORTER).text).toContain('không có quyền');
    expect((await findInquiry(t.db, inquiry.id))?.status).toBe('assigned');
    const denied = await t.db.selectFrom('audit_events').select('action').where('action', '=', 'access.denied').execute();
    expect(denied.length).toBe(2);
  });

  it('decline needs a ground and a reason, and the reporter sees both', async () => {
    const questionId = await ask('Danh sách bệnh nhân?', 'Y tế');
    await bot.press(HEALTH, 'Từ chối');
    expect(bot.last(HEALTH).buttons.flat().length).toBe(4);
    await bot.press(HEALTH, 'bí mật');
    await bot.say(HEALTH, 'Không.');
    expect(bot.last(HEALTH).text).toContain('ít nhất 10 ký tự');
    expect((await t.db.selectFrom('inquiries').select('status').executeTakeFirstOrThrow()).status).toBe('assigned');
    await bot.say(HEALTH, 'Thông tin cá nhân người bệnh được pháp luật bảo vệ.');
    const declined = bot.last(REPORTER);
    expect(declined.replyTo).toBe(questionId);
    expect(declined.text).toContain('Căn cứ: Thuộc bí mật nhà nước');
    expect(declined.text).toMatch(/\((điểm a khoản 2 Điều 38 Luật Báo chí 2016|khoản 2 Điều 31 Luật Báo chí 2025)/);
    expect(declined.text).toContain('— Lê Văn Y Tế, Người phát ngôn Sở Y tế');
    expect(declined.text).toContain('Thông tin cá nhân người bệnh');
    expect((await t.db.selectFrom('inquiries').select(['status', 'decline_ground']).executeTakeFirstOrThrow())).toEqual({ status: 'declined', decline_ground: 'secret' });
  });

  it('clarification round trip: the question reaches the reporter in their thread; their reply goes back', async () => {
    const questionId = await ask('Bệnh viện nào quá tải?', 'Y tế');
    await bot.press(HEALTH, 'Hỏi lại');
    await bot.say(HEALTH, 'Bạn hỏi về bệnh viện tuyến tỉnh hay tuyến xã?');
    const clarify = bot.last(REPORTER);
    expect(clarify.replyTo).toBe(questionId);
    expect(clarify.text).toContain('tuyến tỉnh hay tuyến xã');
    expect((await t.db.selectFrom('inquiries').select('status').executeTakeFirstOrThrow()).status).toBe('clarifying');
    await bot.say(REPORTER, 'Tuyến tỉnh ạ.', clarify.messageId);
    expect(bot.last(HEALTH).text).toContain('Tuyến tỉnh ạ.');
    expect((await t.db.selectFrom('inquiries').select('status').executeTakeFirstOrThrow()).status).toBe('assigned');
    await bot.say(HEALTH, 'Bệnh viện Trung ương Huế đang quá tải nhẹ.', bot.last(HEALTH).messageId);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    expect(bot.last(REPORTER).text).toContain('quá tải nhẹ');
  });

  it('transfer keeps the received time and notifies the new agency and the reporter', async () => {
    await ask('Ngân sách cho y tế năm 2027?', 'Y tế');
    const before = await t.db.selectFrom('inquiries').selectAll().executeTakeFirstOrThrow();
    await bot.press(HEALTH, 'Chuyển đơn vị');
    await bot.press(HEALTH, 'Sở Tài chính');
    expect(bot.last(FINANCE).text).toContain('Ngân sách cho y tế');
    expect(bot.last(REPORTER).text).toContain('Sở Tài chính');
    const after = await t.db.selectFrom('inquiries').selectAll().executeTakeFirstOrThrow();
    expect(after).toMatchObject({ org_id: net.financeId, status: 'assigned', received_at: before.received_at });
  });

  it('screening: the coordinator receives it first and can route elsewhere, reject with a reason, or merge', async () => {
    await ask('Vụ trộm ở phường Phú Xuân?', 'An ninh');
    expect(bot.inbox(POLICE).length).toBe(1);
    const screening = bot.last(COORD);
    expect(screening.text).toContain('Câu hỏi cần sàng lọc');
    await bot.press(COORD, 'Chọn cơ quan khác');
    await bot.press(COORD, 'Sở Tài chính');
    expect(bot.last(FINANCE).text).toContain('Vụ trộm');

    const q2 = await ask('Câu hỏi ngoài phạm vi', 'An ninh');
    await bot.press(COORD, 'Từ chối');
    await bot.say(COORD, 'Nội dung không thuộc thẩm quyền của thành phố.');
    expect(bot.last(REPORTER).text).toContain('không thuộc thẩm quyền');
    expect(bot.last(REPORTER).replyTo).toBe(q2);

    await ask('Vụ trộm ở Phú Xuân (hỏi lại)', 'An ninh');
    await bot.press(COORD, 'Gộp');
    await bot.say(COORD, 'Q-1');
    expect(bot.last(REPORTER).text).toContain('gộp');
    const merged = await t.db.selectFrom('inquiries').selectAll().where('status', '=', 'merged').executeTakeFirstOrThrow();
    expect(merged.merged_into_id).toBe(1);
    // The answer to Q-1 reaches the merged inquiry's reporter too, under their own question.
    await bot.say(FINANCE, 'Đã chuyển cơ quan công an xử lý.', bot.inbox(FINANCE).find((m) => m.text.includes('Vụ trộm'))?.messageId);
    await bot.press(FINANCE, 'Gửi câu trả lời');
    const answers = bot.inbox(REPORTER).filter((m) => m.text.includes('Đã chuyển cơ quan công an'));
    expect(answers.map((a) => a.replyTo).sort()).toEqual([merged.origin_message_id, (await findInquiry(t.db, 1))?.origin_message_id].sort());
  });

  it('a reporter withdraws their own open inquiry; the agency is told and cannot act on it any more; others cannot withdraw it', async () => {
    const questionId = await ask('Câu hỏi sẽ rút?', 'Y tế');
    const { code, id } = await t.db.selectFrom('inquiries').select(['code', 'id']).executeTakeFirstOrThrow();
    await bot.command(HEALTH, 'withdraw', code!);
    expect(bot.last(HEALTH).text).toContain('không có quyền');
    await bot.command(REPORTER, 'withdraw', code!);
    expect(bot.last(REPORTER).text).toContain(`Đã rút câu hỏi ${code}`);
    expect(bot.last(REPORTER).replyTo).toBe(questionId);
    expect(bot.last(HEALTH).text).toContain('đã rút');
    expect((await findInquiry(t.db, id))?.status).toBe('withdrawn');
    await bot.pressRaw(HEALTH, 'ack', String(id));
    expect(bot.last(HEALTH).text).toContain('không còn hiệu lực');
    await bot.command(REPORTER, 'withdraw', '');
    expect(bot.last(REPORTER).text).toContain('/withdraw');
  });

  it('/stats gives coordinators live numbers per agency, overdue first; others are refused', async () => {
    await ask('Một?', 'Y tế');
    await bot.say(HEALTH, 'Trả lời ngay.', bot.last(HEALTH).messageId);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    await ask('Hai?', 'Y tế');
    await t.db.updateTable('inquiries').set({ due_at: '2026-11-01T00:00:00.000Z' }).where('question', '=', 'Hai?').execute();
    await bot.command(COORD, 'stats');
    const stats = bot.last(COORD).text;
    expect(stats).toContain('Sở Y tế: nhận 2, trả lời 1, đúng hạn 100%, ⚠ quá hạn 1');
    await bot.command(REPORTER, 'stats');
    expect(bot.last(REPORTER).text).toContain('không có quyền');
  });

  it('an answer that could not reach the reporter is re-sent once to the chat they link next, and a reply to it is a follow-up', async () => {
    await ask('Câu hỏi trước khi đổi kênh?', 'Y tế');
    await bot.say(HEALTH, 'Câu trả lời không tới được.', bot.last(HEALTH).messageId);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    const lost = await t.db.selectFrom('outbox').select('id').where('ref_kind', '=', 'answer').where('text', 'like', '%không tới được%').executeTakeFirstOrThrow();
    // What the dispatcher records when the reporter blocked the bot or their web session ended.
    await t.db.updateTable('outbox').set({ status: 'unreachable' }).where('id', '=', lost.id).execute();
    await t.db.updateTable('persons').set({ invite_code: hashInviteCode('inv-pv1-new'), invite_used_at: null }).where('id', '=', net.reporterId).execute();
    await bot.command('888', 'start', 'inv-pv1-new');
    const resent = bot.inbox('888').find((m) => m.text.includes('không tới được'));
    expect(resent?.buttons.flat().map((b) => b.label)).toEqual(['Hài lòng', 'Chấp nhận được', 'Không hài lòng']);
    expect((await t.db.selectFrom('outbox').select('status').where('id', '=', lost.id).executeTakeFirstOrThrow()).status).toBe('redirected');
    await bot.say('888', 'Cho hỏi thêm sau khi đổi kênh?', resent!.messageId);
    expect(bot.last(HEALTH).text).toContain('Cho hỏi thêm sau khi đổi kênh?');
    await t.db.updateTable('persons').set({ invite_code: hashInviteCode('inv-pv1-3rd'), invite_used_at: null }).where('id', '=', net.reporterId).execute();
    await bot.command('889', 'start', 'inv-pv1-3rd');
    expect(bot.inbox('889').some((m) => m.text.includes('không tới được'))).toBe(false);
  });

  it('stale buttons: acting on an answered inquiry says so', async () => {
    await ask('Câu hỏi y tế', 'Y tế');
    const notice = bot.last(HEALTH);
    await bot.say(HEALTH, 'Trả lời.', notice.messageId);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    await bot.press(HEALTH, 'Nhận xử lý');
    expect(bot.last(HEALTH).text).toContain('không còn hiệu lực');
  });
});

describe('registration and verification (sqlite)', () => {
  let t: TestDb;
  let bot: ReturnType<typeof createFlowDriver>;
  beforeEach(async () => {
    t = await createTestDb('sqlite');
    const net = await seedMiniNetwork(t.db);
    await linkChat(t.db, net.coordinatorId, 'telegram', COORD);
    bot = createFlowDriver(t.db, createManualClock('2026-11-23T02:00:00Z'));
  });
  afterEach(async () => { await t.drop(); });

  it('registers, is told to wait, is approved by the coordinator, then may ask', async () => {
    await bot.command('555', 'start');
    await bot.press('555', 'English');
    expect(bot.last('555').text).toContain('full name');
    await bot.say('555', 'Nguyen Van Moi');
    await bot.press('555', 'Báo Huế');
    await bot.say('555', 'ABC-2024');
    expect(bot.last('555').text).toContain('sent to the coordinating office');
    await bot.say('555', 'Can I ask now?');
    expect(bot.last('555').text).toContain('waiting for verification');
    const request = bot.last(COORD);
    expect(request.text).toContain('Nguyen Van Moi');
    expect(request.text).toContain('ABC-2024');
    await bot.pressRaw('555', 'vok', request.buttons[0]?.[0]?.payload ?? '');
    expect(bot.last('555').text).toContain('not allowed');
    await bot.press(COORD, 'Duyệt');
    expect(bot.last('555').text).toContain('verified');
    await bot.say('555', 'Question about health?');
    expect(bot.last('555').text).toContain('Which topic');
  });

  it('unknown commands and empty messages get a polite answer', async () => {
    await bot.command('777', 'frobnicate');
    expect(bot.last('777').text).toContain('/frobnicate');
    await bot.say('777', '   ');
    expect(bot.last('777').text).toContain('Câu hỏi trống');
    await bot.say('777', '');
    expect(bot.last('777').text).toContain('văn bản');
    await bot.say('777', 'Xin chào');
    expect(bot.last('777').text).toContain('chưa đăng ký');
  });
});
