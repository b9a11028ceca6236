import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';

const coord = tgUser('Diệp');
const contacts = [tgUser('Phúc'), tgUser('Nhung'), tgUser('Tài'), tgUser('Thúy')];
const codes = ['xa-thuanhoa-01', 'xa-phuxuan-01', 'xa-kimlong-01', 'xa-vyda-01'];
const blocked = contacts[3]!;

/** Composes a notice to `audience` in chat and returns the preview message. */
async function compose(e: E2E, title: string, audience: string) {
  await e.say(coord, '/notice', 'Gửi tiêu đề');
  await e.say(coord, title, 'nội dung');
  await e.say(coord, `Nội dung của ${title}: từ ngày 1/12 áp dụng quy định mới.`, 'đường link');
  await e.say(coord, 'https://hue.gov.vn/tb', 'Gửi cho ai');
  return e.say(coord, audience, 'Xem trước thông báo');
}

describe('policy notices over the fake Bot API (real adapter, SQLite, Redis, notices queue)', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await createE2E({ env: { NOTICE_PROGRESS_INTERVAL_MS: '500', NOTICE_CHAT_INTERVAL_MS: '200', OUTBOX_CREDENTIALS_RECHECK_MS: '1000' } });
    await e.say(coord, '/start dpv-vhtt-01', 'Xin chào');
    for (const [i, user] of contacts.entries()) await e.say(user, `/start ${codes[i]!}`, 'Xin chào');
    e.fake.blockChat(blocked.id);
  });
  afterAll(async () => { await e.close(); });

  it('a contact cannot send a notice', async () => {
    const reply = await e.say(contacts[0]!, '/notice', 'không có quyền');
    expect(reply.text).not.toContain('tiêu đề');
    const rows = await e.app.db.db.selectFrom('notices').select('id').execute();
    expect(rows).toHaveLength(0);
  });

  it('previews counts, sends nothing before confirming, then reaches exactly the joined contacts of the province once each, through 429s', async () => {
    const preview = await compose(e, 'Thông báo thuế đất', 'org:HUE');
    expect(preview.text).toContain('Telegram: 4 người');
    expect(preview.text).toMatch(/Chưa tham gia \(chưa dùng mã mời\): 16/);
    expect(e.fake.sent.filter((s) => s.text.includes('📢'))).toHaveLength(0);

    e.fake.failNext({ method: 'sendMessage', times: 2, error: { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 } });
    await e.press(coord, 'Gửi', 'Đang gửi thông báo');
    const summary = await e.nextTo(coord, 0, 'Tổng kết thông báo');
    expect(summary.text).toContain('Đã gửi: 3/20');
    expect(summary.text).toContain('Không liên lạc được: 1');
    expect(summary.text).toContain('Chưa tham gia: 16');
    for (const user of contacts.slice(0, 3)) {
      const got = e.sentTo(user, 'Thông báo thuế đất');
      expect(got).toHaveLength(1);
      expect(got[0]!.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['✅ Đã nhận']);
    }
    expect(e.fake.calls.filter((c) => c.method === 'sendMessage' && c.status === 429)).toHaveLength(2);
    const edits = () => e.fake.calls.filter((c) => c.method === 'editMessageText' && c.status === 200);
    // The progress message's final edit may land just after the summary: wait for it.
    await expect.poll(() => String(edits().at(-1)?.params.text ?? ''), { timeout: 30_000 }).toContain('Đã gửi xong');
    // The final progress and the summary show the same tally, line for line.
    const tally = (text: string) => text.split('\n').filter((l) => /^[^:]+: \d/.test(l)).join('\n');
    expect(tally(summary.text)).toContain('Đã gửi: 3/20');
    expect(tally(String(edits().at(-1)!.params.text))).toBe(tally(summary.text));
  });

  it('marks a blocked contact unreachable and does not retry it', async () => {
    const row = await e.app.db.db.selectFrom('notice_recipients as r').innerJoin('identities as i', 'i.id', 'r.identity_id')
      .select(['r.status', 'r.attempts', 'i.unreachable_at']).where('i.chat_id', '=', String(blocked.id)).executeTakeFirstOrThrow();
    expect(row.status).toBe('unreachable');
    expect(row.attempts).toBe(1);
    expect(row.unreachable_at).not.toBeNull();
  });

  it('counts acknowledgements and reports rates per province and commune', async () => {
    await e.press(contacts[0]!, 'Đã nhận', 'đã ghi nhận');
    await e.press(contacts[0]!, 'Đã nhận', 'đã xác nhận thông báo này rồi');
    const acked = await e.app.db.db.selectFrom('notice_recipients').select('acked_at').where('acked_at', 'is not', null).execute();
    expect(acked).toHaveLength(1);
    const status = await e.say(coord, '/notice status 1', 'Tỉ lệ xác nhận theo tỉnh');
    expect(status.text).toContain('Đã xác nhận: 1 (33%)');
    expect(status.text).toContain('Thành phố Huế: 1/3');
    expect(status.text).toContain('Phường Thuận Hóa: 1/1');
  });

  it('keeps the finished broadcast\'s progress message showing acknowledgements that arrive later', async () => {
    const edited = await e.fake.waitFor(
      () => e.fake.calls.find((c) => c.method === 'editMessageText' && c.status === 200 && String(c.params.text).includes('Đã xác nhận: 1 (33%)')),
      { timeoutMs: 10_000, description: 'the progress message edited with the acknowledgement' },
    );
    expect(String(edited.params.text)).toContain('Đã gửi xong');
    await e.press(contacts[1]!, 'Đã nhận', 'đã ghi nhận');
    await e.fake.waitFor(
      () => e.fake.calls.find((c) => c.method === 'editMessageText' && c.status === 200 && String(c.params.text).includes('Đã xác nhận: 2 (67%)')),
      { timeoutMs: 10_000, description: 'the progress message edited with the second acknowledgement' },
    );
  });

  it('chooses the audience with buttons: ticks a commune on the list, «Xong» previews for it', async () => {
    await e.say(coord, '/notice', 'Gửi tiêu đề');
    await e.say(coord, 'Lịch thu gom rác', 'nội dung');
    await e.say(coord, 'Thu gom rác lúc 19 giờ.', 'đường link');
    const ask = await e.say(coord, '-', 'Gửi cho ai');
    const labels = ask.replyMarkup?.inline_keyboard.flat().map((b) => b.text) ?? [];
    expect(labels[0]).toBe('Tỉnh/thành phố của tôi (Thành phố Huế)');
    expect(labels).toContain('Nhãn: do-thi');
    // 21 communes in the sample, one of them dissolved (Phường Thủy Dương): 20 offered, 3 pages.
    expect(labels).toContain('Chọn xã/phường (20)…');
    const list = await e.press(coord, 'Chọn xã/phường', '20 xã/phường, 3 trang');
    // Ticking and turning pages edit the list's own keyboard (editMessageReplyMarkup): no new message.
    const sentBefore = e.fake.sent.filter((s) => s.chatId === coord.id).length;
    const keyboard = () => [...e.fake.edits].reverse().find((x) => x.messageId === list.messageId)?.replyMarkup ?? list.replyMarkup!;
    const labelsNow = () => keyboard().inline_keyboard.flat().map((b) => b.text);
    // The list's row is recorded as sent before the press is read (a press on a message the bot does not know yet would be sent anew).
    await expect.poll(async () => (await e.app.db.db.selectFrom('outbox').select('status').where('sent_message_id', '=', String(list.messageId)).executeTakeFirst())?.status, { timeout: 10_000 }).toBe('sent');
    const pressOnList = async (label: string, expectLabel: string) => {
      const editsBefore = e.fake.edits.length;
      const button = keyboard().inline_keyboard.flat().find((b) => b.text === label)!;
      e.fake.userPresses(coord, list.messageId, button.callback_data!);
      await e.fake.waitFor(() => e.fake.edits.slice(editsBefore).find((x) => x.messageId === list.messageId && x.replyMarkup?.inline_keyboard.flat().some((b) => b.text === expectLabel)), { timeoutMs: 10_000, description: `the list edited to show ${expectLabel}` });
    };
    await pressOnList('Phường Kim Long', '✓ Phường Kim Long');
    expect(labelsNow()).toContain('Xong (1 đã chọn)');
    await pressOnList('Trang 2/3 ▶', '◀ Trang 1/3');
    expect(labelsNow()).not.toContain('✓ Phường Kim Long'); // page 2 holds other communes
    await pressOnList('◀ Trang 1/3', '✓ Phường Kim Long');
    expect(e.fake.edits.filter((x) => x.messageId === list.messageId).map((x) => x.method)).toEqual(['editMessageReplyMarkup', 'editMessageReplyMarkup', 'editMessageReplyMarkup']);
    expect(e.fake.sent.filter((s) => s.chatId === coord.id)).toHaveLength(sentBefore);
    const done = keyboard().inline_keyboard.flat().find((b) => b.text === 'Xong (1 đã chọn)')!;
    const n = e.fake.sent.length;
    e.fake.userPresses(coord, list.messageId, done.callback_data!);
    const preview = await e.nextTo(coord, n, 'Xem trước thông báo');
    expect(preview.text).toContain('org:P-KIMLONG');
    await e.press(coord, 'Hủy', 'Đã hủy thông báo');
  });

  it('a delivery still held when the broadcast finished settles later: the final summary is edited too, as the progress message is', async () => {
    const nhung = contacts[1]!;
    await compose(e, 'Lịch cắt nước', 'org:P-PHUXUAN');
    // Telegram refuses our token for her (the notice, then the outbox it is handed to, and each
    // re-check's probe) until the summary is out: held for the channel. A refusal of a fixed number
    // of sends would let the 1 s re-check deliver it before a slow machine finished the broadcast.
    let refusing = true;
    e.fake.addInterceptor((call) => (refusing && call.method === 'sendMessage' && call.chatId === nhung.id ? { error_code: 401, description: 'Unauthorized' } : undefined));
    await e.press(coord, 'Gửi', 'Đang gửi thông báo');
    const summary = await e.nextTo(coord, 0, (m) => m.text.includes('Tổng kết thông báo') && m.text.includes('Lịch cắt nước'));
    expect(summary.text).toContain('Đã gửi: 0/1');
    expect(summary.text).toContain('Đang giữ chờ kênh: 1');
    refusing = false;
    // The channel works again (the periodic check releases what it held): she gets it once…
    await e.fake.waitFor(() => e.sentTo(nhung, 'Lịch cắt nước')[0], { timeoutMs: 15_000, description: 'the held notice delivered' });
    // …and the summary already sent is edited to say so (editMessageText on its own message).
    const edited = await e.fake.waitFor(
      () => [...e.fake.edits].reverse().find((x) => x.messageId === summary.messageId && x.text?.includes('Đã gửi: 1/1')),
      { timeoutMs: 15_000, description: 'the final summary edited after the held delivery settled' },
    );
    expect(edited.method).toBe('editMessageText');
    expect(edited.text).not.toContain('Đang giữ chờ kênh');
    expect(e.sentTo(nhung, 'Lịch cắt nước')).toHaveLength(1);
    expect(e.fake.sent.filter((m) => m.chatId === coord.id && m.text.includes('Tổng kết thông báo') && m.text.includes('Lịch cắt nước'))).toHaveLength(1);
  });

  it('a delivery held for days settles: the final summary is still edited (what it shows is kept with the notice, not for three days in Redis)', async () => {
    const nhung = contacts[1]!;
    let refusing = true;
    // Telegram refuses our token for her until the test says otherwise: held for the channel, re-tried and held again.
    e.fake.addInterceptor((call) => (refusing && call.method === 'sendMessage' && call.chatId === nhung.id ? { error_code: 401, description: 'Unauthorized' } : undefined));
    await compose(e, 'Lịch tiêm chủng', 'org:P-PHUXUAN');
    await e.press(coord, 'Gửi', 'Đang gửi thông báo');
    const summary = await e.nextTo(coord, 0, (m) => m.text.includes('Tổng kết thông báo') && m.text.includes('Lịch tiêm chủng'));
    expect(summary.text).toContain('Đang giữ chờ kênh: 1');
    const notice = () => e.app.db.db.selectFrom('notices').select(['id', 'summary_held', 'finished_at']).where('title', '=', 'Lịch tiêm chủng').executeTakeFirstOrThrow();
    expect((await notice()).summary_held).toBe(1);
    // Five days pass before the channel works again: past the three days acknowledgements are followed.
    const fiveDaysAgo = new Date(Date.now() - 5 * 24 * 3_600_000).toISOString();
    await e.app.db.db.updateTable('notices').set({ finished_at: fiveDaysAgo }).where('id', '=', (await notice()).id).execute();
    refusing = false;
    await e.fake.waitFor(() => e.sentTo(nhung, 'Lịch tiêm chủng')[0], { timeoutMs: 15_000, description: 'the held notice delivered' });
    const edited = await e.fake.waitFor(
      () => [...e.fake.edits].reverse().find((x) => x.messageId === summary.messageId && x.text?.includes('Đã gửi: 1/1')),
      { timeoutMs: 15_000, description: 'the final summary edited after the held delivery settled' },
    );
    expect(edited.text).not.toContain('Đang giữ chờ kênh');
    await expect.poll(async () => (await notice()).summary_held, { timeout: 10_000 }).toBe(0);
    expect(e.sentTo(nhung, 'Lịch tiêm chủng')).toHaveLength(1);
  });

  it('a coordinator can cancel a draft; nothing is sent', async () => {
    const before = e.fake.sent.length;
    await compose(e, 'Bản nháp bỏ đi', 'org:P-KIMLONG');
    await e.press(coord, 'Hủy', 'Đã hủy thông báo');
    expect(e.fake.sent.slice(before).filter((s) => s.text.includes('📢'))).toHaveLength(0);
  });
});
