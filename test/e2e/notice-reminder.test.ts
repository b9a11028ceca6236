import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';

const coord = tgUser('Diệp');
const early = tgUser('Phúc');
const late = tgUser('Nhung');

describe('the one reminder to contacts who have not acknowledged', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await createE2E({ env: { NOTICE_REMIND_AFTER_MS: '5000' } });
    await e.say(coord, '/start dpv-vhtt-01', 'Xin chào');
    await e.say(early, '/start xa-thuanhoa-01', 'Xin chào');
    await e.say(late, '/start xa-phuxuan-01', 'Xin chào');
  });
  afterAll(async () => { await e.close(); });

  it('reminds only the one who has not pressed Đã nhận, once; the reminder\'s button acknowledges the notice', async () => {
    await e.say(coord, '/notice', 'Gửi tiêu đề');
    await e.say(coord, 'Họp giao ban', 'nội dung');
    await e.say(coord, 'Họp giao ban trực tuyến lúc 8 giờ thứ Hai.', 'đường link');
    await e.say(coord, '-', 'Gửi cho ai');
    await e.say(coord, 'org:P-THUANHOA,P-PHUXUAN', 'Xem trước thông báo');
    await e.press(coord, 'Gửi', 'Đang gửi thông báo');
    await e.nextTo(early, 0, 'Họp giao ban');
    await e.press(early, 'Đã nhận', 'đã ghi nhận');
    const reminder = await e.nextTo(late, 0, 'Nhắc lại');
    expect(reminder.text).toContain('Họp giao ban');
    await e.press(late, 'Đã nhận', 'đã ghi nhận');
    const rows = await e.app.db.db.selectFrom('notice_recipients').select(['notice_id', 'acked_at']).where('notice_id', '=', 1).execute();
    expect(rows.every((r) => r.acked_at !== null)).toBe(true);
    expect(e.sentTo(early, 'Nhắc lại')).toHaveLength(0);
    await e.restartBot();
    await e.say(coord, '/notice status 1', 'Đã xác nhận: 2');
    expect(e.sentTo(late, 'Nhắc lại')).toHaveLength(1);
  });
});
