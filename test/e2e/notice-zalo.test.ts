import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tgUser } from '../helpers/e2e-app.js';
import { createZaloE2E, type ZaloE2E } from '../helpers/zalo-oa-e2e.js';

const ZALO_CONTACT = '5720398470283746999';
const coord = tgUser('Diệp');

describe('a notice to a contact on Zalo OA (no buttons): "reply 1 to confirm"', () => {
  let z: ZaloE2E;
  beforeAll(async () => {
    z = await createZaloE2E();
    await z.say(ZALO_CONTACT, '/start xa-thuanhoa-01', 'Xin chào');
    await z.e.say(coord, '/start dpv-vhtt-01', 'Xin chào');
  });
  afterAll(async () => { await z.close(); });

  it('arrives with the numbered acknowledgement, and a reply "1" records it', async () => {
    await z.e.say(coord, '/notice', 'Gửi tiêu đề');
    await z.e.say(coord, 'Lịch cắt điện', 'nội dung');
    await z.e.say(coord, 'Thứ Bảy cắt điện từ 7 giờ đến 11 giờ.', 'đường link');
    await z.e.say(coord, '-', 'Gửi cho ai');
    const preview = await z.e.say(coord, 'org:P-THUANHOA', 'Xem trước thông báo');
    expect(preview.text).toContain('Zalo OA: 1 người');
    await z.e.press(coord, 'Gửi', 'Đang gửi thông báo');
    const notice = await z.nextTo(ZALO_CONTACT, 0, 'Lịch cắt điện');
    expect(notice.text).toMatch(/1\. ✅ Đã nhận/);
    await z.choose(ZALO_CONTACT, notice, 'Đã nhận', 'đã ghi nhận');
    const row = await z.e.app.db.db.selectFrom('notice_recipients').select(['status', 'acked_at', 'platform']).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', platform: 'zalo_oa' });
    expect(row.acked_at).not.toBeNull();
  });
});
