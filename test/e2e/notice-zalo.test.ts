import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installZaloTokens } from '../../db/repositories/zalo-oa-tokens.js';
import { loadSecretBox } from '../../src/secrets-key.js';
import { TEST_APP_ID } from '../fakes/zalo-oa/harness.js';
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

  it('outside the 48-hour window it is held (not marked unreachable), and arrives once when the contact writes', async () => {
    const db = z.e.app.db.db;
    const threeDaysAgo = new Date(Date.now() - 3 * 24 * 3_600_000).toISOString();
    await db.updateTable('identities').set({ last_inbound_at: threeDaysAgo }).where('platform_user_id', '=', ZALO_CONTACT).execute();
    const before = z.fake.sent.length;
    await z.e.say(coord, '/notice', 'Gửi tiêu đề');
    await z.e.say(coord, 'Lịch tiêm chủng', 'nội dung');
    await z.e.say(coord, 'Tiêm chủng mở rộng vào Chủ nhật.', 'đường link');
    await z.e.say(coord, '-', 'Gửi cho ai');
    await z.e.say(coord, 'org:P-THUANHOA', 'Xem trước thông báo');
    await z.e.press(coord, 'Gửi', 'Đang gửi thông báo');
    const noticeId = (await db.selectFrom('notices').select('id').where('title', '=', 'Lịch tiêm chủng').executeTakeFirstOrThrow()).id;
    await expect.poll(async () => (await db.selectFrom('notice_recipients').select('status').where('notice_id', '=', noticeId).executeTakeFirstOrThrow()).status).toBe('held');
    await expect.poll(async () => (await db.selectFrom('outbox').select('status').where('platform', '=', 'zalo_oa').where('text', 'like', '%Lịch tiêm chủng%').executeTakeFirstOrThrow()).status).toBe('held');
    expect(z.fake.sent.slice(before).filter((m) => m.text.includes('Lịch tiêm chủng'))).toEqual([]);
    const identity = await db.selectFrom('identities').select('unreachable_at').where('platform_user_id', '=', ZALO_CONTACT).executeTakeFirstOrThrow();
    expect(identity.unreachable_at).toBeNull();

    const k = z.fake.sent.length;
    await z.say(ZALO_CONTACT, 'xem', (m) => m.text.includes('Lịch tiêm chủng'));
    const notice = z.fake.sent.slice(k).filter((m) => m.userId === ZALO_CONTACT && m.text.includes('Lịch tiêm chủng'));
    expect(notice).toHaveLength(1);
    expect(notice[0]!.text).toMatch(/1\. ✅ Đã nhận/);
    await z.choose(ZALO_CONTACT, notice[0]!, 'Đã nhận', 'đã ghi nhận');
    const row = await db.selectFrom('notice_recipients').select(['status', 'acked_at', 'sent_message_id']).where('notice_id', '=', noticeId).executeTakeFirstOrThrow();
    expect(row.status).toBe('sent');
    expect(row.sent_message_id).toBe(notice[0]!.messageId);
    expect(row.acked_at).not.toBeNull();
  });
});

describe('a notice while the Zalo OA credentials are refused', () => {
  let z: ZaloE2E;
  const admin = tgUser('Quản trị');
  beforeAll(async () => {
    z = await createZaloE2E({ OUTBOX_CREDENTIALS_RECHECK_MS: '300' });
    await z.say(ZALO_CONTACT, '/start xa-thuanhoa-01', 'Xin chào');
    await z.e.say(coord, '/start dpv-vhtt-01', 'Xin chào');
    await z.e.say(admin, '/start admin-01', 'Xin chào');
  });
  afterAll(async () => { await z.close(); });

  it('is held, not failed, and reaches the contact once after new tokens are installed', async () => {
    const db = z.e.app.db.db;
    z.fake.expireAccessTokens();
    z.fake.revokeRefreshToken();
    await z.e.say(coord, '/notice', 'Gửi tiêu đề');
    await z.e.say(coord, 'Lịch họp dân', 'nội dung');
    await z.e.say(coord, 'Họp dân tối thứ Sáu tại nhà văn hóa.', 'đường link');
    await z.e.say(coord, '-', 'Gửi cho ai');
    await z.e.say(coord, 'org:P-THUANHOA', 'Xem trước thông báo');
    await z.e.press(coord, 'Gửi', 'Đang gửi thông báo');
    await expect.poll(async () => (await db.selectFrom('notice_recipients').select('status').executeTakeFirstOrThrow()).status, { timeout: 10_000 }).toBe('held');
    await expect.poll(async () => (await db.selectFrom('outbox').select('held_reason').where('platform', '=', 'zalo_oa').where('text', 'like', '%Lịch họp dân%').executeTakeFirstOrThrow()).held_reason, { timeout: 10_000 }).toBe('credentials');

    const pair = z.fake.issueTokens();
    await installZaloTokens(db, TEST_APP_ID, { accessToken: pair.access_token, refreshToken: pair.refresh_token, accessExpiresAt: new Date(Date.now() + 25 * 3_600_000), refreshExpiresAt: null }, new Date(), loadSecretBox(z.e.config.secretsKey));
    await z.nextTo(ZALO_CONTACT, 0, 'Lịch họp dân');
    await expect.poll(async () => (await db.selectFrom('notice_recipients').select('status').executeTakeFirstOrThrow()).status).toBe('sent');
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(z.fake.sent.filter((s) => s.text.includes('Lịch họp dân'))).toHaveLength(1);
  });
});
