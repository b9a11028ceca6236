import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OA_ERRORS } from '../fakes/zalo-oa/server.js';
import { tgUser } from '../helpers/e2e-app.js';
import { createZaloE2E, type ZaloE2E } from '../helpers/zalo-oa-e2e.js';

const ZALO_REPORTER = '5720398470283746511';
const health = tgUser('Tuấn');
const coord = tgUser('Diệp');
const admin = tgUser('Quản trị');
const HOUR = 3_600_000;

/** A Zalo reporter asks on the health topic by numbered replies; resolves with the code and the question's msg_id. */
async function askOnZalo(z: ZaloE2E, question: string) {
  const menu = await z.say(ZALO_REPORTER, question, 'lĩnh vực nào');
  const confirm = await z.choose(ZALO_REPORTER, menu, 'Y tế', 'Xác nhận gửi');
  const accepted = await z.choose(ZALO_REPORTER, confirm, 'Gửi', 'Đã tiếp nhận');
  // The due day as that day, with its weekday and the time left; never "00:00" of the next day.
  expect(accepted.text).toMatch(/Hạn trả lời: hết ngày \d{2}\/\d{2}\/\d{4} \([^)]+\), còn \d+ /);
  return { code: /Q-\d+/.exec(accepted.text)![0], questionMsgId: menu.userMsgId, accepted };
}

/** Pretends the reporter last wrote `hours` ago (the only way to move 48 hours in a real-clock e2e). */
async function lastWroteHoursAgo(z: ZaloE2E, hours: number): Promise<void> {
  await z.e.app.db.db.updateTable('identities').set({ last_inbound_at: new Date(Date.now() - hours * HOUR).toISOString() })
    .where('platform', '=', 'zalo_oa').where('platform_user_id', '=', ZALO_REPORTER).execute();
}

describe('a reporter on Zalo OA, the spokesperson on Telegram (real adapters, fakes, SQLite, Redis)', () => {
  let z: ZaloE2E;
  beforeAll(async () => {
    z = await createZaloE2E();
    await z.say(ZALO_REPORTER, '/start pv-tto-01', 'Xin chào');
    for (const [user, code] of [[health, 'pn-syte-01'], [coord, 'dpv-vhtt-01'], [admin, 'admin-01']] as const) await z.e.say(user, `/start ${code}`, 'Xin chào');
  });
  afterAll(async () => { await z.close(); });

  it('ask with numbered replies → told about the window → answer by reply on Telegram → quoted in the Zalo thread → follow-up → rating', async () => {
    const { code, questionMsgId, accepted } = await askOnZalo(z, 'Số ca sốt xuất huyết tuần này?');
    expect(accepted.text).toContain('48 giờ');
    expect(accepted.text).toContain('"xem"');
    const notice = await z.e.nextTo(health, 0, (s) => s.text.includes(code));
    const n = z.fake.sent.length;
    await z.e.answer(health, 'Tuần này có 12 ca.', notice.messageId);
    const answer = await z.nextTo(ZALO_REPORTER, n, `Trả lời câu hỏi ${code}`);
    expect(answer.quote).toBe(questionMsgId);
    expect(answer.text).toContain('12 ca');
    expect(answer.text).toMatch(/1\. Hài lòng/);
    const m = z.e.fake.sent.length;
    await z.say(ZALO_REPORTER, 'Bao nhiêu ca nặng?', 'Đã chuyển', answer.messageId);
    await z.e.nextTo(health, m, 'Bao nhiêu ca nặng?');
    await z.choose(ZALO_REPORTER, answer, 'Hài lòng', 'Cảm ơn bạn đã đánh giá');
    const row = await z.e.app.db.db.selectFrom('inquiries').select('rating').where('code', '=', code).executeTakeFirstOrThrow();
    expect(row.rating).toBe('satisfied');
    expect(z.driver.deliveries.every((d) => d.status === 200)).toBe(true);
  });

  it('a correction cannot edit a Zalo message: it arrives as a new message "Câu trả lời Q-n đã được sửa:" quoting the answer, once', async () => {
    const { code } = await askOnZalo(z, 'Giờ mở cửa bể bơi thành phố?');
    const notice = await z.e.nextTo(health, 0, (s) => s.text.includes(code));
    const n = z.fake.sent.length;
    const sent = await z.e.answer(health, 'Mở cửa từ 6 giờ sáng.', notice.messageId);
    const answer = await z.nextTo(ZALO_REPORTER, n, 'Mở cửa từ 6 giờ sáng.');
    await z.e.press(health, 'Sửa câu trả lời', 'Gõ nội dung đã sửa', health);
    expect(sent.text).toContain('Sửa câu trả lời');
    await z.e.say(health, 'Mở cửa từ 5 giờ 30 sáng.', 'Xem trước bản sửa');
    await z.e.press(health, 'Gửi câu trả lời', 'Đã gửi bản sửa');
    const corrected = await z.nextTo(ZALO_REPORTER, n, `Câu trả lời ${code} đã được sửa:`);
    expect(corrected.text).toContain('Mở cửa từ 5 giờ 30 sáng.');
    expect(corrected.text).toContain('— Hoàng Minh Tuấn, Phó Giám đốc Sở Y tế');
    expect(corrected.quote).toBe(answer.messageId);
    await z.say(ZALO_REPORTER, '/help', 'Mạng lưới phát ngôn');
    expect(z.fake.sent.filter((s) => s.text.includes('5 giờ 30'))).toHaveLength(1);
  });

  it('an answer after the window is held, listed for coordinators, then delivered exactly once when the reporter writes "xem"', async () => {
    const { code } = await askOnZalo(z, 'Lịch tiêm chủng tháng 12?');
    const notice = await z.e.nextTo(health, 0, (s) => s.text.includes(code));
    await lastWroteHoursAgo(z, 49);
    const n = z.fake.sent.length;
    const m = z.e.fake.sent.length;
    await z.e.answer(health, 'Tiêm từ ngày 5/12.', notice.messageId);
    await z.e.nextTo(health, m, 'Đã gửi câu trả lời');
    const held = await z.e.app.db.db.selectFrom('outbox').select(['id', 'status']).where('platform', '=', 'zalo_oa').where('text', 'like', '%Tiêm từ ngày 5/12.%').executeTakeFirstOrThrow();
    await expect.poll(async () => (await z.e.app.db.db.selectFrom('outbox').select('status').where('id', '=', held.id).executeTakeFirstOrThrow()).status).toBe('held');
    const list = await z.e.say(coord, '/held', 'Tin đang được giữ lại');
    expect(list.text).toContain(code);
    expect(list.text).toContain('chờ người nhận nhắn lại');
    expect(z.fake.sent.slice(n).filter((s) => s.userId === ZALO_REPORTER && s.text.includes('5/12'))).toEqual([]);
    const k = z.fake.sent.length;
    await z.say(ZALO_REPORTER, 'xem', 'Các câu hỏi của bạn');
    const after = z.fake.sent.slice(k).filter((s) => s.userId === ZALO_REPORTER).map((s) => s.text);
    // The held answer first, then the reply to "xem" (which starts no question).
    expect(after.findIndex((t) => t.includes('Tiêm từ ngày 5/12.'))).toBe(0);
    expect(after.some((t) => t.includes('lĩnh vực nào'))).toBe(false);
    expect(z.fake.sent.filter((s) => s.userId === ZALO_REPORTER && s.text.includes('Tiêm từ ngày 5/12.'))).toHaveLength(1);
  });

  it('a -232 refusal inside our own window estimate also holds the answer, and the next message releases it once', async () => {
    const { code } = await askOnZalo(z, 'Kinh phí chống dịch năm 2027?');
    const notice = await z.e.nextTo(health, 0, (s) => s.text.includes(code));
    z.fake.closeWindow(ZALO_REPORTER);
    await z.e.answer(health, 'Kinh phí 20 tỷ đồng.', notice.messageId);
    await z.fake.waitFor(() => z.fake.calls.some((c) => c.userId === ZALO_REPORTER && c.error === OA_ERRORS.outsideWindowFree.code), 10_000, 'the refused send');
    await expect.poll(async () => (await z.e.app.db.db.selectFrom('outbox').select('status').where('ref_kind', '=', 'answer').where('text', 'like', '%20 tỷ đồng%').executeTakeFirstOrThrow()).status).toBe('held');
    await z.say(ZALO_REPORTER, 'xem', (s) => s.text.includes('20 tỷ đồng'));
    await z.say(ZALO_REPORTER, '/help', 'Mạng lưới phát ngôn');
    expect(z.fake.sent.filter((s) => s.text.includes('20 tỷ đồng'))).toHaveLength(1);
  });

  it('a replayed webhook (same msg_id, same signature) is processed once', async () => {
    const n = z.fake.sent.length;
    const { msgId } = await z.driver.userText(ZALO_REPORTER, '/my');
    await z.nextTo(ZALO_REPORTER, n, 'Các câu hỏi của bạn');
    const replay = await z.driver.replay(msgId);
    expect(replay.status).toBe(200);
    await z.say(ZALO_REPORTER, '/help', 'Mạng lưới phát ngôn');
    expect(z.fake.sent.slice(n).filter((s) => s.text.includes('Các câu hỏi của bạn'))).toHaveLength(1);
    const rows = await z.e.app.db.db.selectFrom('inbound_events').select('event_id').where('event_id', '=', msgId).execute();
    expect(rows).toHaveLength(1);
  });

  it('a bad or missing signature is refused with 401 and nothing is stored; a signed event older than ZALO_OA_LATE_EVENT_MAX_HOURS (24) is acknowledged and dropped', async () => {
    const count = async () => Number((await z.e.app.db.db.selectFrom('inbound_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const { rawBody, timestamp } = z.driver.buildText(ZALO_REPORTER, '/my');
    const good = z.driver.signedHeaders(rawBody, timestamp);
    const tooOld = z.driver.buildText(ZALO_REPORTER, '/my', new Date(Date.now() - 25 * HOUR));
    const results = await Promise.all([
      z.driver.postRaw(rawBody, {}),
      z.driver.postRaw(rawBody, { 'x-zevent-signature': 'mac=0000' }),
      z.driver.postRaw(rawBody.replace('/my', '/help'), good),
      z.driver.postRaw(tooOld.rawBody, z.driver.signedHeaders(tooOld.rawBody, tooOld.timestamp)),
    ]);
    expect(results.map((r) => r.status)).toEqual([401, 401, 401, 200]);
    expect(await count()).toBe(before);
  });

  it('a signed event Zalo re-delivers 3 hours late (after an outage of ours) is answered', async () => {
    const n = z.fake.sent.length;
    const late = await z.driver.userText(ZALO_REPORTER, '/help', { at: new Date(Date.now() - 3 * HOUR) });
    expect(late.status).toBe(200);
    await z.nextTo(ZALO_REPORTER, n, 'Mạng lưới phát ngôn');
  });

  it('a reused refresh token alerts the admins once (in their Telegram chat) and does not loop', async () => {
    z.fake.expireAccessTokens();
    z.fake.revokeRefreshToken();
    const calls = z.fake.tokenCalls;
    const m = z.e.fake.sent.length;
    await z.driver.userText(ZALO_REPORTER, '/my');
    await z.driver.userText(ZALO_REPORTER, '/help');
    await z.e.nextTo(admin, m, 'mất quyền gửi tin');
    await z.e.say(admin, '/help', 'Mạng lưới phát ngôn');
    expect(z.fake.tokenCalls - calls).toBe(1);
    expect(z.e.sentTo(admin, 'mất quyền gửi tin')).toHaveLength(1);
    const state = await z.e.app.db.db.selectFrom('zalo_oa_tokens').select('state').executeTakeFirstOrThrow();
    expect(state.state).toBe('refresh_rejected');
  });
});

describe('reply window with another linked chat', () => {
  const LINKED = '6620398470283746512';
  const reporterTg = tgUser('Nam');
  const spokes = tgUser('Tuấn');
  let z: ZaloE2E;
  beforeAll(async () => {
    z = await createZaloE2E();
    await z.e.say(reporterTg, '/start pv-tto-01', 'Xin chào');
    await z.e.say(spokes, '/start pn-syte-01', 'Xin chào');
    const code = /[A-Z0-9]{4}-[A-Z0-9]{4}/.exec((await z.e.say(reporterTg, '/link', 'Mã liên kết')).text)![0];
    await z.say(LINKED, code, 'Đã liên kết');
  });
  afterAll(async () => { await z.close(); });

  it('an answer to a Zalo question after the window goes to the reporter\'s Telegram chat instead, once', async () => {
    const menu = await z.say(LINKED, 'Hỏi về dự án đường vành đai 3?', 'lĩnh vực nào');
    const confirm = await z.choose(LINKED, menu, 'Y tế', 'Xác nhận gửi');
    const code = /Q-\d+/.exec((await z.choose(LINKED, confirm, 'Gửi', 'Đã tiếp nhận')).text)![0];
    const notice = await z.e.nextTo(spokes, 0, (s) => s.text.includes(code));
    await z.e.app.db.db.updateTable('identities').set({ last_inbound_at: new Date(Date.now() - 49 * HOUR).toISOString() })
      .where('platform', '=', 'zalo_oa').where('platform_user_id', '=', LINKED).execute();
    const m = z.e.fake.sent.length;
    const n = z.fake.sent.length;
    await z.e.answer(spokes, 'Dự án khởi công tháng 3.', notice.messageId);
    const redirected = await z.e.nextTo(reporterTg, m, 'khởi công tháng 3');
    expect(redirected.text).toContain(code);
    const rows = () => z.e.app.db.db.selectFrom('outbox').select(['platform', 'status']).where('ref_kind', '=', 'answer').where('text', 'like', '%khởi công tháng 3%').orderBy('id').execute();
    await expect.poll(rows).toEqual([{ platform: 'zalo_oa', status: 'redirected' }, { platform: 'telegram', status: 'sent' }]);
    await z.say(LINKED, 'xem', 'Các câu hỏi của bạn');
    expect(z.fake.sent.slice(n).filter((s) => s.text.includes('khởi công tháng 3'))).toEqual([]);
  });
});

describe('Zalo OA refusals in the whole bot (fake OA, SQLite, Redis)', () => {
  let z: ZaloE2E;
  beforeAll(async () => {
    z = await createZaloE2E();
    await z.say(ZALO_REPORTER, '/start pv-tto-01', 'Xin chào');
    for (const [user, code] of [[health, 'pn-syte-01'], [admin, 'admin-01']] as const) await z.e.say(user, `/start ${code}`, 'Xin chào');
  });
  afterAll(async () => { await z.close(); });

  it('Zalo refusing the quote field: the answer arrives anyway, the question quoted in its text', async () => {
    z.fake.refuseField('react_message_id');
    const { code } = await askOnZalo(z, 'Nước máy quận 4 có an toàn không?');
    const notice = await z.e.nextTo(health, 0, (s) => s.text.includes(code));
    const n = z.fake.sent.length;
    await z.e.answer(health, 'Nước đạt chuẩn QCVN 01-1.', notice.messageId);
    const answer = await z.nextTo(ZALO_REPORTER, n, 'QCVN 01-1');
    expect(answer.text.startsWith('«Nước máy quận 4 có an toàn không?»\n\n')).toBe(true);
    expect(answer.quote).toBeUndefined();
  });

  it('an OA set-up refusal (-224) holds the answer and alerts the admins once; it goes out once Zalo accepts again', async () => {
    const { code } = await askOnZalo(z, 'Kế hoạch phun thuốc diệt muỗi?');
    const notice = await z.e.nextTo(health, 0, (s) => s.text.includes(code));
    const m = z.e.fake.sent.length;
    z.fake.failNext(ZALO_REPORTER, OA_ERRORS.oaPackage, 2);
    await z.e.answer(health, 'Phun vào sáng Chủ nhật.', notice.messageId);
    await z.e.nextTo(admin, m, 'mã -224');
    const row = () => z.e.app.db.db.selectFrom('outbox').select(['status', 'held_reason']).where('platform', '=', 'zalo_oa').where('text', 'like', '%sáng Chủ nhật%').executeTakeFirstOrThrow();
    await expect.poll(row).toEqual({ status: 'held', held_reason: 'credentials' });
    // A second refusal (the next send) alerts no one again; the one after is accepted and releases the answer.
    const n = z.fake.sent.length;
    await z.driver.userText(ZALO_REPORTER, '/help');
    await z.driver.userText(ZALO_REPORTER, '/help');
    await z.nextTo(ZALO_REPORTER, n, 'sáng Chủ nhật');
    await expect.poll(row).toEqual({ status: 'sent', held_reason: null });
    expect(z.e.sentTo(admin, 'mã -224')).toHaveLength(1);
    expect(z.fake.sent.filter((s) => s.text.includes('sáng Chủ nhật'))).toHaveLength(1);
  });
});

describe('Zalo domain verification in the whole bot', () => {
  const CODE = 'MeVd6DceSpupfjWIxOznI1I4v7FuyZOgD3Gp';
  it.each([
    ['the web channel on: the file only; / stays the chat page', 'true', 302],
    ['the web channel off: the file, and the meta tag at /', 'false', 200],
  ] as const)('%s', async (_name, web, rootStatus) => {
    const z = await createZaloE2E({ ZALO_OA_DOMAIN_VERIFICATION: `zalo_verifier${CODE}.html`, WEB_ENABLED: web });
    try {
      const origin = `http://127.0.0.1:${z.e.app.httpPort}`;
      const file = await fetch(`${origin}/zalo_verifier${CODE}.html`);
      expect(file.status).toBe(200);
      expect(await file.text()).toContain(`content="${CODE}"`);
      const root = await fetch(`${origin}/`, { redirect: 'manual' });
      expect(root.status).toBe(rootStatus);
      if (rootStatus === 200) expect(await root.text()).toContain(`name="zalo-platform-site-verification" content="${CODE}"`);
      expect((await fetch(`${origin}/webhooks/zalo-oa`)).status).toBe(200);
    } finally {
      await z.close();
    }
  });
});
