import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundEvent, Platform } from '../../adapters/types.js';
import { preferredIdentity } from '../../db/repositories/directory.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { createInboundProcessor, type InboundProcessor } from '../../src/inbound/processor.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/outbox/index.js';
import { createManualClock } from '../../src/time/clock.js';
import { createDeadlinePolicy } from '../../src/time/deadline-policy.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { createMemoryAdapter, type DeliveredPart, type MemoryAdapter } from '../helpers/memory-adapter.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

/**
 * Flows on a channel without buttons (a buttonless stand-in for Zalo) beside one with buttons,
 * through the real inbound processor, outbox dispatcher and BullMQ: numbered choices, text
 * commands, invite and link codes typed as plain text.
 */
describe.each(testDialects())('channels without buttons on %s', (dialect) => {
  const clock = createManualClock('2026-11-23T02:00:00Z');
  let t: TestDb;
  let net: MiniNetwork;
  let zalo: MemoryAdapter;
  let tg: MemoryAdapter;
  let dispatcher: OutboxDispatcher;
  let inbound: InboundProcessor;
  let prefix: string;
  let seq = 0;

  beforeEach(async () => {
    t = await createTestDb(dialect);
    net = await seedMiniNetwork(t.db);
    prefix = uniquePrefix(`buttonless-${dialect}`);
    zalo = createMemoryAdapter('zalo_oa', { buttons: false, replies: true, maxTextLength: 2000 });
    tg = createMemoryAdapter('telegram', { startLinks: true });
    const logger = createLogger({ level: 'silent' });
    dispatcher = createOutboxDispatcher({
      db: t.db, redis: { url: TEST_REDIS_URL }, prefix, adapters: new Map<Platform, MemoryAdapter>([['zalo_oa', zalo], ['telegram', tg]]),
      logger, clock, concurrency: 4, maxAttempts: 3, backoffMaxMs: 1000, onUnreachable: async () => undefined,
    });
    await dispatcher.start();
    inbound = createInboundProcessor({
      db: t.db, clock, logger, enqueueOutbox: (ids) => dispatcher.enqueue(ids), syncDeadlines: async () => undefined,
      settings: {
        maxTextChars: 2000, defaultLocale: 'vi', deadlines: createDeadlinePolicy({ db: t.db, loadCalendar: (via) => loadCalendar(via ?? t.db) }),
        capabilities: (platform) => [zalo, tg].find((a) => a.platform === platform)?.capabilities,
      },
    });
    await zalo.start((e) => inbound.accept(e));
    await tg.start((e) => inbound.accept(e));
  });
  afterEach(async () => {
    await inbound.drain();
    await dispatcher.close();
    await deletePrefix(prefix);
    await t.drop();
  });

  /** Waits until every outbox row is settled, then returns what `user` received since `from`. */
  async function settle(): Promise<void> {
    await inbound.drain();
    for (let i = 0; i < 500; i++) {
      const left = await t.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
      if (left.length === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('outbox did not settle');
  }

  async function say(adapter: MemoryAdapter, user: string, text: string, replyTo?: string): Promise<{ messageId: string; got: DeliveredPart[] }> {
    const before = adapter.deliveredTo(user).length;
    const messageId = `u${++seq}`;
    const base = { platform: adapter.platform, eventId: `e${seq}`, from: { id: user }, chatId: user, at: clock.now(), raw: null };
    const event: InboundEvent = text.startsWith('/')
      ? { ...base, kind: 'command', messageId, command: text.slice(1).split(' ')[0]!.toLowerCase(), args: text.split(' ').slice(1).join(' ').trim() }
      : { ...base, kind: 'message', messageId, text, ...(replyTo ? { replyTo } : {}) };
    await adapter.emit(event);
    await settle();
    return { messageId, got: adapter.deliveredTo(user).slice(before) };
  }

  /** The number the last menu gives the choice whose label contains `label`. */
  function numberOf(part: DeliveredPart, label: string): string {
    const line = part.text.split('\n').find((l) => /^\d+\. /.test(l) && l.includes(label));
    if (!line) throw new Error(`no choice "${label}" in: ${part.text}`);
    return line.split('.')[0]!;
  }

  it('walks ask → answer → rating by numbers and text commands, the answer quoting the question', async () => {
    const joined = await say(zalo, 'z1', 'inv-pv1');
    expect(joined.got.at(-1)?.text).toContain('Trần Thị Phóng Viên');
    await say(tg, 't-syt', '/start inv-pn-syt');

    const asked = await say(zalo, 'z1', 'Bao giờ bệnh viện mới khai trương?');
    const topics = asked.got.at(-1)!;
    expect(topics.text).toMatch(/\n1\. .+\n2\. /);
    expect(topics.text).toContain('Trả lời 1');
    expect(zalo.sends.at(-1)?.message.buttons?.flat().length).toBeGreaterThan(1);

    const outOfRange = await say(zalo, 'z1', '42');
    expect(outOfRange.got.at(-1)?.text).toContain('từ 1 đến');

    const confirm = await say(zalo, 'z1', numberOf(topics, 'Y tế'));
    const sent = await say(zalo, 'z1', numberOf(confirm.got.at(-1)!, 'Gửi'));
    const inquiry = await t.db.selectFrom('inquiries').selectAll().executeTakeFirstOrThrow();
    expect(inquiry).toMatchObject({ topic_id: net.healthTopicId, origin_message_id: asked.messageId });
    expect(sent.got.at(-1)?.text).toContain(`Q-${inquiry.id}`);

    const notice = tg.deliveredTo('t-syt').at(-1)!;
    expect(notice.text).toContain('Bao giờ bệnh viện');
    expect(notice.text).not.toMatch(/\n1\. /);

    await say(tg, 't-syt', `/answer q-${inquiry.id}`);
    const before = zalo.deliveredTo('z1').length;
    const preview = await say(tg, 't-syt', 'Bệnh viện khai trương ngày 15/12.');
    expect(preview.got.at(-1)?.text).toContain('CHƯA GỬI');
    expect(zalo.deliveredTo('z1').length).toBe(before);
    // The button's word, typed, confirms it too.
    await say(tg, 't-syt', 'gửi');
    const answer = zalo.deliveredTo('z1').slice(before).find((p) => p.text.includes('15/12'));
    expect(answer?.replyTo).toBe(asked.messageId);

    const menu = zalo.deliveredTo('z1').at(-1)!;
    await say(zalo, 'z1', numberOf(menu, 'Hài lòng'));
    const rated = await t.db.selectFrom('inquiries').select(['rating', 'status']).where('id', '=', inquiry.id).executeTakeFirstOrThrow();
    expect(rated).toEqual({ rating: 'satisfied', status: 'answered' });
  });

  it('a number answers the menu the dialog waits on, not a rating menu that arrived meanwhile; quoting the rating still rates', async () => {
    await say(zalo, 'z1', 'inv-pv1');
    await say(tg, 't-syt', '/start inv-pn-syt');
    const first = (await say(zalo, 'z1', 'Bao giờ có lịch tiêm vắc-xin?')).got.at(-1)!;
    await say(zalo, 'z1', numberOf((await say(zalo, 'z1', numberOf(first, 'Y tế'))).got.at(-1)!, 'Gửi'));
    const inquiry = await t.db.selectFrom('inquiries').selectAll().executeTakeFirstOrThrow();

    // The reporter starts a second question; while they pick its topic, the first one is answered.
    const topics = (await say(zalo, 'z1', 'Trường học nào sẽ được sửa chữa?')).got.at(-1)!;
    await say(tg, 't-syt', `/answer q-${inquiry.id}`);
    await say(tg, 't-syt', 'Lịch tiêm bắt đầu thứ Hai.');
    await say(tg, 't-syt', 'gửi');
    const rating = zalo.deliveredTo('z1').at(-1)!;
    expect(rating.text).toContain('Hài lòng');
    const healthNumber = numberOf(topics, 'Y tế');
    expect(Number(healthNumber)).toBeGreaterThan(0);

    const confirm = (await say(zalo, 'z1', healthNumber)).got.at(-1)!;
    expect(confirm.text).toContain('Xác nhận gửi');
    expect((await t.db.selectFrom('inquiries').select('rating').where('id', '=', inquiry.id).executeTakeFirstOrThrow()).rating).toBeNull();

    await say(zalo, 'z1', numberOf(rating, 'Hài lòng'), rating.messageId);
    expect((await t.db.selectFrom('inquiries').select('rating').where('id', '=', inquiry.id).executeTakeFirstOrThrow()).rating).toBe('satisfied');
  });

  it('a spokesperson without buttons previews the answer and confirms it by number; cancelling sends nothing', async () => {
    await say(zalo, 'z1', 'inv-pv1');
    await say(zalo, 'zs', 'inv-pn-syt');
    const inquiryRow = async () => t.db.selectFrom('inquiries').selectAll().executeTakeFirst();
    const topics = (await say(zalo, 'z1', 'Bao giờ có lịch tiêm vắc-xin?')).got.at(-1)!;
    const confirm = (await say(zalo, 'z1', numberOf(topics, 'Y tế'))).got.at(-1)!;
    await say(zalo, 'z1', numberOf(confirm, 'Gửi'));
    const inquiry = (await inquiryRow())!;
    const notice = zalo.deliveredTo('zs').at(-1)!;
    expect(notice.text).toContain('lịch tiêm');
    const reporterBefore = zalo.deliveredTo('z1').length;

    const draft = (await say(zalo, 'zs', 'Lịch tiêm bắt đầu thứ Hai.', notice.messageId)).got.at(-1)!;
    expect(draft.text).toContain('CHƯA GỬI');
    expect(draft.text).toMatch(/\n1\. Gửi câu trả lời\n2\. Sửa\n3\. Hủy/);
    const cancelled = await say(zalo, 'zs', numberOf(draft, 'Hủy'));
    expect(cancelled.got.at(-1)?.text).toContain('Chưa có gì được gửi');
    expect(zalo.deliveredTo('z1').length).toBe(reporterBefore);
    expect((await inquiryRow())?.status).toBe('assigned');

    const again = (await say(zalo, 'zs', 'Lịch tiêm bắt đầu thứ Ba.', notice.messageId)).got.at(-1)!;
    await say(zalo, 'zs', numberOf(again, 'Gửi câu trả lời'));
    const answers = zalo.deliveredTo('z1').slice(reporterBefore).filter((p) => p.text.includes('Lịch tiêm bắt đầu'));
    expect(answers.map((p) => p.text)).toEqual([expect.stringContaining('thứ Ba')]);
    expect(await t.db.selectFrom('inquiry_entries').select('text').where('inquiry_id', '=', inquiry.id).where('kind', '=', 'answer').execute()).toEqual([{ text: 'Lịch tiêm bắt đầu thứ Ba.' }]);
    // "1" again, quoting the preview, finds no draft: nothing is sent twice.
    const repeat = await say(zalo, 'zs', numberOf(again, 'Gửi câu trả lời'), again.messageId);
    expect(repeat.got.at(-1)?.text).toContain('Không còn bản nháp');
    expect(zalo.deliveredTo('z1').slice(reporterBefore).filter((p) => p.text.includes('Lịch tiêm bắt đầu')).length).toBe(1);
  });

  it('a text command needs a known code, and checks the role like a press', async () => {
    await say(zalo, 'z1', 'inv-pv1');
    expect((await say(zalo, 'z1', '/answer')).got.at(-1)?.text).toContain('/answer Q-42');
    expect((await say(zalo, 'z1', '/answer Q-999')).got.at(-1)?.text).toContain('Q-999');
    const topics = (await say(zalo, 'z1', 'Câu hỏi về ngân sách y tế năm 2027?')).got.at(-1)!;
    const confirm = (await say(zalo, 'z1', numberOf(topics, 'Y tế'))).got.at(-1)!;
    await say(zalo, 'z1', numberOf(confirm, 'Gửi'));
    const inquiry = await t.db.selectFrom('inquiries').select('id').executeTakeFirstOrThrow();
    const refused = await say(zalo, 'z1', `/answer Q-${inquiry.id}`);
    expect(refused.got.at(-1)?.text).toContain('không có quyền');
    const dialog = await t.db.selectFrom('identities').select('dialog').where('platform_user_id', '=', 'z1').executeTakeFirstOrThrow();
    expect(dialog.dialog).toBeNull();
  });

  it('links a second chat with a one-time code and lets the person choose where notifications go', async () => {
    await say(zalo, 'z1', 'inv-pv1');
    const issued = await say(zalo, 'z1', '/link');
    const code = /Mã liên kết: ([A-Z0-9-]+)/.exec(issued.got.at(-1)!.text)?.[1];
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

    const linked = await say(tg, 't9', code!.toLowerCase().replace('-', ' '));
    expect(linked.got.at(-1)?.text).toContain('Đã liên kết Telegram');
    expect(zalo.deliveredTo('z1').at(-1)?.text).toContain('Đã liên kết Telegram');
    expect((await preferredIdentity(t.db, net.reporterId))?.platform).toBe('zalo_oa');

    expect((await say(tg, 't10', `/link ${code}`)).got.at(-1)?.text).toContain('đã được dùng');
    expect((await say(tg, 't9', `/link ${code}`)).got.at(-1)?.text).toContain('đã được liên kết với tài khoản của bạn');

    await say(tg, 't9', '/prefer');
    expect((await preferredIdentity(t.db, net.reporterId))?.platform).toBe('telegram');
  });

  it('an expired link code is refused with the reason', async () => {
    await say(zalo, 'z1', 'inv-pv1');
    const code = /Mã liên kết: ([A-Z0-9-]+)/.exec((await say(zalo, 'z1', '/link')).got.at(-1)!.text)?.[1];
    clock.advance(11 * 60_000);
    expect((await say(tg, 't9', `/link ${code}`)).got.at(-1)?.text).toContain('hết hạn');
    const row = await t.db.selectFrom('identities').select('person_id').where('platform_user_id', '=', 't9').executeTakeFirstOrThrow();
    expect(row.person_id).toBeNull();
  });

  it('tells an unregistered Zalo user to send the invite code as text, and a Telegram user to open the link', async () => {
    const onZalo = (await say(zalo, 'z7', 'Cho tôi hỏi về lịch tiêm vắc-xin?')).got.at(-1)!.text;
    expect(onZalo).toContain('gửi mã đó thành một tin nhắn');
    expect(onZalo).not.toContain('đường dẫn');
    const onTelegram = (await say(tg, 't7', 'Cho tôi hỏi về lịch tiêm vắc-xin?')).got.at(-1)!.text;
    expect(onTelegram).toContain('mở đường dẫn mời');
    expect((await say(zalo, 'z7', '/start khong-co-ma-nay')).got.at(-1)!.text).toContain('kiểm tra lại mã');
    expect((await say(tg, 't7', '/start khong-co-ma-nay')).got.at(-1)!.text).toContain('kiểm tra lại đường dẫn');
    // The code sent as text is what the Zalo user was told to do, and it works.
    expect((await say(zalo, 'z7', 'inv-pv1')).got.at(-1)!.text).toContain('Trần Thị Phóng Viên');
  });

  it.each([
    ['a zero-width space', '\u200B'], ['joiners, a BOM and a word joiner', '\u200D\u200C\uFEFF\u2060'],
    ['bidi marks and isolates', '\u200E\u200F\u202E\u2066\u2069'], ['only spaces', '   \u00A0 '],
  ])('refuses a question of %s as empty, and makes no inquiry of it', async (_name, blank) => {
    await say(zalo, 'z1', 'inv-pv1');
    const plain = (await say(zalo, 'z1', blank)).got.at(-1)!;
    expect(plain.text).toContain('Câu hỏi trống');
    expect(plain.text).not.toContain('Bot chỉ đọc được văn bản');
    // `/ask` followed by spaces alone is `/ask` with nothing after it: the bot asks for the question.
    const viaCommand = (await say(zalo, 'z1', `/ask ${blank}`)).got.at(-1)!.text;
    expect(viaCommand).toContain(blank.trim() === '' ? 'Vui lòng gõ nội dung câu hỏi' : 'Câu hỏi trống');
    await say(zalo, 'z1', '/ask');
    expect((await say(zalo, 'z1', blank)).got.at(-1)!.text).toContain('Câu hỏi trống');
    expect(await t.db.selectFrom('inquiries').select('id').execute()).toEqual([]);
    const dialog = await t.db.selectFrom('identities').select('dialog').where('platform_user_id', '=', 'z1').executeTakeFirstOrThrow();
    expect(dialog.dialog ?? '').not.toContain('ask_topic');
  });

  it('refuses an answer of only invisible characters as an empty message, and keeps the inquiry open', async () => {
    await say(zalo, 'z1', 'inv-pv1');
    await say(tg, 't-syt', '/start inv-pn-syt');
    const topics = (await say(zalo, 'z1', 'Khi nào có kết quả thanh tra?')).got.at(-1)!;
    const confirm = (await say(zalo, 'z1', numberOf(topics, 'Y tế'))).got.at(-1)!;
    await say(zalo, 'z1', numberOf(confirm, 'Gửi'));
    const notice = tg.deliveredTo('t-syt').at(-1)!;
    const refused = (await say(tg, 't-syt', '\u200B\u200D', notice.messageId)).got.at(-1)!;
    expect(refused.text).toContain('Tin nhắn trống');
    const inquiry = await t.db.selectFrom('inquiries').select('status').executeTakeFirstOrThrow();
    expect(inquiry.status).not.toBe('answered');
  });
});
