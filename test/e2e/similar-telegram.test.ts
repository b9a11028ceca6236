import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';

const thu = tgUser('Thư');
const nam = tgUser('Nam');
const health = tgUser('Tuấn');
const coord = tgUser('Diệp');

/**
 * A similar question offered before sending, on Telegram (the real adapter against the fake Bot
 * API, SQLite, Redis): the confirmation names it with [Theo dõi Q-n]; pressing it follows that
 * question, sends nothing, and its answer reaches the follower.
 */
describe('similar questions before sending, on Telegram', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await createE2E();
    for (const [user, code] of [[thu, 'pv-hue-01'], [nam, 'pv-tto-01'], [health, 'pn-syte-01'], [coord, 'dpv-vhtt-01']] as const) await e.say(user, `/start ${code}`, 'Xin chào');
  });
  afterAll(async () => { await e.close(); });

  it('offers the open question of the same topic, follows it instead of sending, and brings its answer', async () => {
    await e.say(thu, 'Lịch tiêm vắc-xin sởi cho trẻ dưới 5 tuổi tại Huế thế nào?', 'lĩnh vực nào');
    await e.press(thu, 'Y tế', 'Xác nhận gửi');
    const code = /Q-\d+/.exec((await e.press(thu, 'Gửi', 'Đã tiếp nhận')).text)![0];

    await e.say(nam, 'Tiem vac xin soi cho tre duoi 5 tuoi tai Hue lich the nao?', 'lĩnh vực nào');
    const confirm = await e.press(nam, 'Y tế', 'Xác nhận gửi');
    expect(confirm.text).toContain(`Đã có câu hỏi tương tự ${code}, đang chờ trả lời — theo dõi câu hỏi đó?`);
    expect(confirm.text).not.toContain('Trần Thị Minh Thư');
    expect(confirm.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Gửi', expect.any(String), expect.any(String), `Theo dõi ${code}`, 'Hủy']);
    const followed = await e.press(nam, `Theo dõi ${code}`, 'câu hỏi của bạn không được gửi');
    expect(followed.text).toContain(`Khi ${code} có câu trả lời, bạn sẽ nhận được tại đây`);
    // The prompt is settled like any choice: on Telegram its keyboard is edited, the press marked.
    await e.fake.waitFor(() => e.fake.edits.find((x) => x.chatId === nam.id && x.messageId === confirm.messageId), { description: 'the settled confirmation' });
    expect(e.sentTo(nam, 'Đã tiếp nhận')).toHaveLength(0);

    await e.nextTo(health, 0, (s) => s.text.includes(code));
    const n = e.fake.sent.length;
    await e.answer(health, 'Trạm y tế các phường tiêm vào thứ Năm hằng tuần.', (await e.nextTo(health, 0, (s) => s.text.includes(code))).messageId);
    const got = await e.nextTo(nam, n, `Câu hỏi ${code} bạn đang theo dõi đã có trả lời`);
    expect(got.text).toContain('Trạm y tế các phường tiêm vào thứ Năm hằng tuần.');
  });

  it('the coordinator\'s screening notice names the likely duplicate of its topic; [Gộp vào Q-n] merges it and only that button stays, chosen', async () => {
    await e.say(thu, 'Đường Lê Lợi bị ngập sâu sau mưa lớn, khi nào khắc phục?', 'lĩnh vực nào');
    await e.press(thu, 'Khác / chưa rõ', 'Xác nhận gửi');
    const first = /Q-\d+/.exec((await e.press(thu, 'Gửi', 'Đã tiếp nhận')).text)![0];
    await e.say(nam, 'Duong Le Loi ngap sau sau mua lon bao gio khac phuc?', 'lĩnh vực nào');
    await e.press(nam, 'Khác / chưa rõ', `Đã có câu hỏi tương tự ${first}`);
    const n = e.fake.sent.length;
    const dup = /Q-\d+/.exec((await e.press(nam, 'Gửi', 'Đã tiếp nhận')).text)![0];
    const notice = await e.nextTo(coord, n, (s) => s.text.includes(dup) && s.text.includes('Có thể trùng'));
    expect(notice.text).toContain(`Có thể trùng: ${first} (“Đường Lê Lợi bị ngập sâu`);
    await e.press(coord, `Gộp vào ${first}`, `đã gộp vào ${first}`);
    const settled = await e.fake.waitFor(() => e.fake.edits.find((x) => x.chatId === coord.id && x.messageId === notice.messageId), { description: 'the settled notice' });
    expect(settled.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toEqual([`✓ Gộp vào ${first}`]);
  });
});
