import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { findDeadlineInquiries } from '../../db/repositories/deadlines.js';
import { onClarificationReply, onFollowup } from '../../flows/answer/answer.js';
import { fireDeadlineStep } from '../../flows/deadline/fire.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { defaultDeadlineSettings } from '../../src/scheduler/deadlines/index.js';
import { plannedSteps } from '../../src/scheduler/deadlines/jobs.js';
import { createManualClock, type ManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { createFlowDriver } from '../helpers/flow-driver.js';
import { testFlowContext, testFlowSettings } from '../helpers/flow-context.js';
import { hashInviteCode } from '../../db/invite-hash.js';

const REPORTER = '101';
const HEALTH = '201';
const FINANCE = '202';
const COORD = '301';
const DAY_MS = 86_400_000;
const STAMP = '2026-11-01T00:00:00.000Z';

describe.each(testDialects())('the lifecycle in the flows on %s', (dialect) => {
  let t: TestDb;
  let db: Db;
  let net: MiniNetwork;
  let clock: ManualClock;
  let bot: ReturnType<typeof createFlowDriver>;
  const inquiry = () => db.selectFrom('inquiries').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
  const identityOf = async (chat: string) => (await db.selectFrom('identities').select('id').where('chat_id', '=', chat).executeTakeFirstOrThrow()).id;
  const outboxTo = async (chat: string) => (await db.selectFrom('outbox').select('id').where('chat_id', '=', chat).execute()).length;

  beforeEach(async () => {
    t = await createTestDb(dialect);
    db = t.db;
    net = await seedMiniNetwork(db);
    clock = createManualClock('2026-11-23T02:00:00Z'); // Monday 09:00 in Vietnam
    bot = createFlowDriver(db, clock);
    for (const [chat, code] of [[REPORTER, 'inv-pv1'], [HEALTH, 'inv-pn-syt'], [FINANCE, 'inv-pn-stc'], [COORD, 'inv-dm1']] as const) await bot.command(chat, 'start', code);
  });
  afterEach(async () => { await t.drop(); });

  async function ask(question: string): Promise<void> {
    await bot.say(REPORTER, question);
    await bot.press(REPORTER, 'Y tế');
    await bot.press(REPORTER, 'Gửi');
  }

  /** Runs a handler directly, as the reporter, in its own transaction (to hand it a stale row). */
  async function asReporter(run: (ctx: Awaited<ReturnType<typeof testFlowContext>>['ctx']) => Promise<void>): Promise<string[]> {
    const reporterIdentity = await identityOf(REPORTER);
    return db.transaction().execute(async (tx) => {
      const { ctx, replies } = await testFlowContext(tx, reporterIdentity, clock.now(), testFlowSettings(tx));
      await run(ctx);
      return replies;
    });
  }

  it('a follow-up that reopens an answered inquiry gets a deadline of its own, reminded and escalated afresh', async () => {
    await ask('Số ca sốt xuất huyết tuần này?');
    await bot.say(HEALTH, 'Có 12 ca.', bot.last(HEALTH).messageId);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    const answered = await inquiry();
    // Every step of the first deadline fired, and the old due time is long past.
    for (const step of ['r50', 'r80', 'due', 'esc_head', 'esc_coord', 'esc_leader']) {
      await db.insertInto('deadline_events').values({ inquiry_id: answered.id, kind: 'remind', step: `${step}-${answered.deadline_seq}`, fired_at: STAMP }).execute();
    }
    clock.advance(7 * DAY_MS); // Monday a week later, 09:00
    const answer = bot.inbox(REPORTER).find((m) => m.text.includes('Có 12 ca'))!;
    await bot.say(REPORTER, 'Có ca tử vong nào không?', answer.messageId);
    const reopened = await inquiry();
    expect(reopened).toMatchObject({
      status: 'acknowledged', closed_at: null, reopened_at: clock.now().toISOString(), clock_from_at: clock.now().toISOString(),
      due_at: '2026-12-02T17:00:00.000Z', // routine: 2 working days from Monday 30 Nov, 24:00 Wed 2 Dec
      deadline_seq: answered.deadline_seq + 1, period_seq: answered.deadline_seq + 1, received_at: answered.received_at,
    });
    expect(bot.last(HEALTH).text).toContain('Hạn trả lời mới (tính từ lúc nhận câu hỏi thêm): hết ngày 02/12/2026 (thứ Tư), còn 2 ngày làm việc');
    expect(bot.last(REPORTER).text).toContain('Hạn trả lời mới');
    expect(bot.deadlineSyncs.at(-1)).toBe(reopened.id);

    const [row] = await findDeadlineInquiries(db, [reopened.id]);
    const steps = (await plannedSteps({ db, calendar: await loadCalendar(db), settings: defaultDeadlineSettings(), now: clock.now() }, [row!])).get(reopened.id) ?? [];
    const seq = reopened.deadline_seq;
    expect(steps.map((s) => s.step).sort()).toEqual([`due-${seq}`, `esc_coord-${seq}`, `esc_head-${seq}`, `esc_leader-${seq}`, `od20261204-${seq}`, `r50-${seq}`, `r80-${seq}`]);
    expect(steps.every((s) => s.fireAt.getTime() > clock.now().getTime())).toBe(true);
    // Redis lost its jobs and the new due time passed meanwhile: the escalations of the new period
    // are caught up, although the same rungs fired for the first answer.
    const late = new Date('2026-12-03T03:00:00.000Z'); // Thu 10:00, the morning after the new due time
    const caughtUp = (await plannedSteps({ db, calendar: await loadCalendar(db), settings: defaultDeadlineSettings(), now: late }, [row!])).get(reopened.id) ?? [];
    expect(caughtUp.filter((s) => s.fireAt.getTime() <= late.getTime()).map((s) => s.step).sort()).toEqual([`due-${seq}`, `esc_head-${seq}`]);
    expect(await fireDeadlineStep(db, reopened.id, `due-${seq}`, late, 'vi')).toHaveLength(1);
  });

  it('a follow-up on an open inquiry changes no deadline', async () => {
    await ask('Câu hỏi?');
    await bot.press(HEALTH, 'Hỏi lại');
    await bot.say(HEALTH, 'Bạn hỏi bệnh viện nào?');
    const clarify = bot.last(REPORTER);
    await bot.say(REPORTER, 'Bệnh viện tỉnh.', clarify.messageId);
    const before = await inquiry();
    // Replying to the clarification again, now that it is answered, is a follow-up on an open inquiry.
    await bot.say(REPORTER, 'Thêm: bệnh viện trung ương.', clarify.messageId);
    const after = await inquiry();
    expect(after).toMatchObject({ status: before.status, due_at: before.due_at, deadline_seq: before.deadline_seq, period_seq: before.period_seq });
    expect(bot.last(HEALTH).text).toContain('bệnh viện trung ương');
    expect(bot.last(HEALTH).text).not.toContain('Hạn trả lời mới');
  });

  it('a complaint\'s conclusion: the coordinator sets the class, the spokesperson enters the date, the deadline counts from it', async () => {
    await ask('Kết quả giải quyết khiếu nại của bà N. mà báo đã chuyển?');
    const code = (await inquiry()).code!;
    await bot.command(REPORTER, 'class', code);
    expect(bot.last(REPORTER).text).toContain('không có quyền');
    await bot.command(COORD, 'class', code);
    expect(bot.last(COORD).buttons.flat()).toHaveLength(6);
    await bot.press(COORD, 'Thông báo kết luận khiếu nại');
    expect(bot.last(COORD).text).toContain('tạm tính từ lúc nhận câu hỏi');
    const classified = await inquiry();
    expect(classified).toMatchObject({ deadline_class: 'complaint_conclusion', class_confirmed: 1, conclusion_on: null });
    expect(classified.due_at).toBe('2026-11-30T17:00:00.000Z'); // provisional: 5 working days from receipt
    expect(bot.last(HEALTH).buttons.flat().map((b) => b.label)).toContain('Nhập ngày kết luận');

    await bot.press(HEALTH, 'Nhập ngày kết luận');
    expect(bot.last(HEALTH).text).toContain('ngày/tháng/năm');
    for (const bad of ['31/02/2026', '2026-11-20', '24/11/2026', 'hôm qua']) {
      await bot.say(HEALTH, bad);
      expect(bot.last(HEALTH).text, bad).toContain('không sau hôm nay (23/11/2026)');
    }
    expect((await inquiry()).conclusion_on).toBeNull();
    await bot.say(HEALTH, '20/11/2026');
    const concluded = await inquiry();
    expect(concluded).toMatchObject({
      conclusion_on: '2026-11-20', clock_from_at: '2026-11-19T17:00:00.000Z', due_at: '2026-11-27T17:00:00.000Z', // 24:00 Fri 27: 5 working days after Fri 20
      deadline_seq: classified.deadline_seq + 1, period_seq: classified.deadline_seq + 1, legal_basis: 'Nghị định 237/2026/NĐ-CP, Điều 18(2)',
    });
    expect(bot.last(HEALTH).text).toContain('ngày kết luận khiếu nại 20/11/2026');
    expect(bot.last(REPORTER).text).toContain('hết ngày 27/11/2026 (thứ Sáu)');
    const entry = await db.selectFrom('inquiry_entries').select(['kind', 'text']).where('kind', '=', 'conclusion').executeTakeFirst();
    expect(entry).toEqual({ kind: 'conclusion', text: '2026-11-20' });
  });

  it('a conclusion date only applies to a complaint\'s conclusion, and only for the agency or a coordinator', async () => {
    await ask('Câu hỏi thường?');
    const code = (await inquiry()).code!;
    await bot.command(HEALTH, 'conclusion', code);
    expect(bot.last(HEALTH).text).toContain('thời hạn không tính từ ngày kết luận');
    await bot.command(FINANCE, 'conclusion', code);
    expect(bot.last(FINANCE).text).toContain('không có quyền');
    expect((await inquiry()).conclusion_on).toBeNull();
  });

  it('says plainly who acted first; a clarification that loses to the answer is neither recorded nor forwarded', async () => {
    await ask('Bệnh viện nào quá tải?');
    await bot.press(HEALTH, 'Hỏi lại');
    await bot.say(HEALTH, 'Tuyến tỉnh hay tuyến xã?');
    const stale = await inquiry();
    await bot.say(HEALTH, 'Bệnh viện Trung ương Huế.', bot.inbox(HEALTH).find((m) => m.text.includes('Bệnh viện nào'))!.messageId);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    await bot.press(HEALTH, 'Nhận xử lý');
    expect(bot.last(HEALTH).text).toBe(`Thao tác không còn hiệu lực: câu hỏi ${stale.code} đã được bạn trả lời lúc 23/11/2026 09:00.`);
    const sentToHealth = await outboxTo(HEALTH);
    // The reporter's reply to the clarification was read before the answer committed.
    const replies = await asReporter((ctx) => onClarificationReply(ctx, stale, 'Tuyến tỉnh.'));
    expect(replies).toEqual([`Thao tác không còn hiệu lực: câu hỏi ${stale.code} đã được Lê Văn Y Tế trả lời lúc 23/11/2026 09:00.`]);
    expect(await db.selectFrom('inquiry_entries').select('kind').where('kind', '=', 'clarification_reply').execute()).toEqual([]);
    expect(await outboxTo(HEALTH)).toBe(sentToHealth);
    expect((await inquiry()).status).toBe('answered');
  });

  it('a follow-up that loses the race to reopen is not recorded twice', async () => {
    await ask('Câu hỏi?');
    await bot.say(HEALTH, 'Trả lời.', bot.last(HEALTH).messageId);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    const answered = await inquiry();
    const answer = bot.last(REPORTER);
    await bot.say(REPORTER, 'Hỏi thêm lần một?', answer.messageId);
    const sentToHealth = await outboxTo(HEALTH);
    const replies = await asReporter((ctx) => onFollowup(ctx, answered, 'Hỏi thêm lần hai?'));
    expect(replies[0]).toContain('đã được bạn hỏi thêm lúc');
    expect((await db.selectFrom('inquiry_entries').select('text').where('kind', '=', 'followup').execute()).map((e) => e.text)).toEqual(['Hỏi thêm lần một?']);
    expect(await outboxTo(HEALTH)).toBe(sentToHealth);
  });

  it('checks transfer and routing targets: in force, not the same, someone to receive it, within scope', async () => {
    const org = async (code: string, validTo: string | null = null, parentId: number | null = net.cityId) => (await db.insertInto('orgs').values({
      code, name: `Sở ${code}`, name_en: null, type: 'department', parent_id: parentId, predecessor_id: null, valid_from: null, valid_to: validTo, screening: 0, created_at: STAMP, updated_at: STAMP,
    }).returning('id').executeTakeFirstOrThrow()).id;
    const empty = await org('XD');
    const gone = await org('CU', '2025-06-30');
    await ask('Ngân sách y tế?');
    const q = await inquiry();
    await bot.press(HEALTH, 'Chuyển đơn vị');
    const offered = bot.last(HEALTH).buttons.flat().map((b) => b.label);
    expect(offered).toContain('Sở Tài chính');
    expect(offered.some((l) => l.includes('XD') || l.includes('CU') || l === 'Sở Y tế')).toBe(false);
    for (const [orgId, why] of [[empty, 'chưa có người phát ngôn'], [gone, 'không còn hoạt động'], [net.healthId, 'chính cơ quan này'], [999, 'không tìm thấy']] as const) {
      await bot.pressRaw(HEALTH, 'trt', `${q.id}.${orgId}`);
      expect(bot.last(HEALTH).text, String(orgId)).toContain(why);
    }
    expect((await inquiry()).org_id).toBe(net.healthId);

    // A coordinator scoped to the health department may not route elsewhere.
    const narrow = await db.insertInto('persons').values({ code: 'dm2', full_name: 'Điều Phối Y Tế', outlet_id: null, outlet_name: null, press_card: null, phone: null, tags: null, locale: null, invite_code: hashInviteCode('inv-dm2'), invite_used_at: null, created_at: STAMP, updated_at: STAMP }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('role_assignments').values({ person_id: narrow.id, role: 'coordinator', kind: null, org_id: net.healthId, status: 'active', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: STAMP, updated_at: STAMP }).execute();
    await bot.command('302', 'start', 'inv-dm2');
    const screened = await db.updateTable('inquiries').set({ status: 'screening', org_id: null }).where('id', '=', q.id).returningAll().executeTakeFirstOrThrow();
    await bot.pressRaw('302', 'sco', `${screened.id}.${net.financeId}`);
    expect(bot.last('302').text).toContain('ngoài phạm vi');
    await bot.pressRaw('302', 'sc', String(screened.id));
    expect(bot.last('302').buttons.flat().map((b) => b.label)).toEqual(['Sở Y tế']);
  });
});
