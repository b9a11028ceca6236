import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tgUser } from '../helpers/e2e-app.js';
import { createZaloE2E, type ZaloE2E } from '../helpers/zalo-oa-e2e.js';

const REPORTER = '5720398470283746533';
/** The sample reporter `pv-tto-01` (Lê Hoàng Nam) has this phone in the directory. */
const PHONE = '0900000002';
const TEMPLATE_ID = '314159';
const health = tgUser('Tuấn');
const HOUR = 3_600_000;

describe('ZNS "your answer is ready" for an answer held outside the 48-hour window (fake OA + ZNS, SQLite, Redis)', () => {
  let z: ZaloE2E;
  const logLines: string[] = [];
  beforeAll(async () => {
    z = await createZaloE2E({ ZALO_OA_ZNS_TEMPLATE_ID: TEMPLATE_ID }, { logLines });
    await z.say(REPORTER, '/start pv-tto-01', 'Xin chào');
    await z.e.say(health, '/start pn-syte-01', 'Xin chào');
  });
  afterAll(async () => { await z.close(); });

  it('one ZNS request with the template and the inquiry code, to the normalised phone; never the phone in a log line; the answer goes out once when the reporter writes', async () => {
    const menu = await z.say(REPORTER, 'Khi nào có kết quả xét nghiệm nước sinh hoạt?', 'lĩnh vực nào');
    const confirm = await z.choose(REPORTER, menu, 'Y tế', 'Xác nhận gửi');
    const code = /Q-\d+/.exec((await z.choose(REPORTER, confirm, 'Gửi', 'Đã tiếp nhận')).text)![0];
    const notice = await z.e.nextTo(health, 0, (s) => s.text.includes(code));
    await z.e.app.db.db.updateTable('identities').set({ last_inbound_at: new Date(Date.now() - 49 * HOUR).toISOString() })
      .where('platform', '=', 'zalo_oa').where('platform_user_id', '=', REPORTER).execute();

    await z.e.answer(health, 'Có kết quả vào thứ Sáu.', notice.messageId);
    const zns = await z.fake.waitFor(() => z.fake.zns[0], 10_000, 'the ZNS request');
    const held = await z.e.app.db.db.selectFrom('outbox').select(['id', 'status', 'held_reason'])
      .where('platform', '=', 'zalo_oa').where('text', 'like', '%thứ Sáu%').executeTakeFirstOrThrow();
    expect(held).toMatchObject({ status: 'held', held_reason: 'reply_window' });
    expect(zns).toEqual({ phone: '84900000002', templateId: TEMPLATE_ID, templateData: { inquiry_code: code }, trackingId: `outbox-${held.id}` });
    await expect.poll(async () => (await z.e.app.db.db.selectFrom('zalo_oa_zns_sends').select('status').where('outbox_id', '=', held.id).executeTakeFirstOrThrow()).status).toBe('sent');

    await z.say(REPORTER, 'xem', 'Có kết quả vào thứ Sáu.');
    await z.say(REPORTER, '/help', 'Mạng lưới phát ngôn');
    expect(z.fake.sent.filter((s) => s.text.includes('Có kết quả vào thứ Sáu.'))).toHaveLength(1);
    expect(z.fake.zns).toHaveLength(1);
    expect(logLines.some((l) => l.includes('answer ready') && l.includes(String(held.id)))).toBe(true);
    expect(logLines.filter((l) => l.includes(PHONE.slice(1)))).toEqual([]);
  });

  it('a phone with no Zalo account (ZNS -118) fails that ZNS at once and says so; the answer stays held', async () => {
    z.fake.phoneWithoutZalo('84900000002');
    const menu = await z.say(REPORTER, 'Lịch cắt nước tuần sau?', 'lĩnh vực nào');
    const confirm = await z.choose(REPORTER, menu, 'Y tế', 'Xác nhận gửi');
    const code = /Q-\d+/.exec((await z.choose(REPORTER, confirm, 'Gửi', 'Đã tiếp nhận')).text)![0];
    const notice = await z.e.nextTo(health, 0, (s) => s.text.includes(code));
    await z.e.app.db.db.updateTable('identities').set({ last_inbound_at: new Date(Date.now() - 49 * HOUR).toISOString() })
      .where('platform', '=', 'zalo_oa').where('platform_user_id', '=', REPORTER).execute();
    const calls = z.fake.calls.length;
    await z.e.answer(health, 'Cắt nước thứ Ba.', notice.messageId);
    await expect.poll(async () => z.e.app.db.db.selectFrom('outbox').select('status')
      .where('platform', '=', 'zalo_oa').where('text', 'like', '%Cắt nước thứ Ba%').executeTakeFirst()).toEqual({ status: 'held' });
    await expect.poll(async () => (await z.e.app.db.db.selectFrom('zalo_oa_zns_sends').select(['status', 'error']).orderBy('outbox_id', 'desc').executeTakeFirstOrThrow()))
      .toMatchObject({ status: 'failed', error: expect.stringContaining('-118') });
    expect(z.fake.calls.slice(calls).filter((c) => c.path === '/message/template').map((c) => c.error)).toEqual([-118]);
    expect(logLines.some((l) => l.includes('no Zalo account'))).toBe(true);
  });
});
