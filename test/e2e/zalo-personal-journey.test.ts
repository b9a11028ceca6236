import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRETS_KEY, testBox } from '../helpers/secrets.js';
import { ZaloApiError } from 'zca-js';
import { writeCredentials } from '../../adapters/zalo-personal/credentials.js';
import { FakeZalo, type FakeSend } from '../fakes/zalo-personal/fake-zca.js';
import { waitUntil } from '../fakes/zalo-personal/harness.js';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';

const reporter = tgUser('Thư');
const coord = tgUser('Diệp');
const admin = tgUser('Quản trị');
/** The health spokesperson, on the bot's personal Zalo account. */
const HEALTH = '4000000000000000123';

describe('personal Zalo account in the whole bot (fake zca-js seam, fake Bot API, SQLite, Redis)', () => {
  let e: E2E;
  let fake: FakeZalo;
  let dir: string;

  /** Waits for the bot's next Zalo message to `threadId` after index `since` whose text contains `needle`. */
  async function zaloTo(threadId: string, since: number, needle: string): Promise<FakeSend> {
    let found: FakeSend | undefined;
    await waitUntil(() => (found = fake.sends.slice(since).find((s) => s.threadId === threadId && s.text.includes(needle))) !== undefined, `zalo message containing "${needle}"`, 10_000);
    return found!;
  }

  beforeAll(async () => {
    fake = new FakeZalo();
    dir = mkdtempSync(join(tmpdir(), 'zalo-e2e-'));
    const credentials = join(dir, 'credentials.json');
    await writeCredentials(credentials, { cookie: fake.cookies, imei: 'fake-imei-0001', userAgent: 'Mozilla/5.0 (fake)' }, testBox);
    e = await createE2E({
      zcaClient: fake,
      env: { ZALO_PERSONAL_ENABLED: 'true', ZALO_PERSONAL_CREDENTIALS_FILE: credentials, SECRETS_KEY: TEST_SECRETS_KEY, ZALO_PERSONAL_SEND_INTERVAL_MS: '0', ZALO_PERSONAL_SEND_JITTER_MS: '0' },
    });
    await waitUntil(() => fake.connected, 'the Zalo socket');
    for (const [user, code] of [[reporter, 'pv-hue-01'], [coord, 'dpv-vhtt-01'], [admin, 'admin-01']] as const) {
      await e.say(user, `/start ${code}`, 'Xin chào');
    }
    fake.userSends(HEALTH, '/start pn-syte-01');
    await zaloTo(HEALTH, 0, 'Xin chào');
  });
  afterAll(async () => {
    await e.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the spokesperson answers by quoting the notification on Zalo; the reporter gets it on Telegram as a reply to the question', async () => {
    const since = fake.sends.length;
    await e.say(reporter, 'Số ca sốt xuất huyết tại Huế tuần này?', 'lĩnh vực nào');
    const questionId = e.lastUserMessage.get(reporter.id)!;
    await e.press(reporter, 'Y tế', 'Xác nhận gửi');
    const accepted = await e.press(reporter, 'Gửi', 'Đã tiếp nhận');
    const code = /Q-\d+/.exec(accepted.text)![0];
    const notice = await zaloTo(HEALTH, since, code);
    expect(notice.text).toContain('sốt xuất huyết');
    expect(notice.text).toMatch(/Hạn trả lời: hết ngày \d{2}\/\d{2}\/\d{4} \((thứ|Chủ nhật)/);
    // No buttons on this channel: the notification carries them as numbered choices.
    expect(notice.text).toContain('1. Nhận xử lý');
    expect(notice.text).toMatch(/Trả lời 1, 2, .* để chọn/);

    const n = e.fake.sent.length;
    const beforePreview = fake.sends.length;
    fake.userSends(HEALTH, 'Tuần này có 12 ca, giảm 30%.', { quoteMsgId: notice.msgId });
    // Previewed first, its buttons as numbered choices; nothing reaches the reporter before "1".
    const preview = await zaloTo(HEALTH, beforePreview, 'CHƯA GỬI');
    expect(preview.text).toContain('1. Gửi câu trả lời');
    expect(preview.text).toContain('— Hoàng Minh Tuấn, Phó Giám đốc Sở Y tế');
    expect(e.fake.sent.slice(n).filter((s) => s.chatId === reporter.id && s.text.includes('giảm 30%'))).toHaveLength(0);
    fake.userSends(HEALTH, '1', { quoteMsgId: preview.msgId });
    const answer = await e.nextTo(reporter, n, `Trả lời câu hỏi ${code}`);
    expect(answer.replyToMessageId).toBe(questionId);
    expect(answer.text).toContain('giảm 30%');
    const row = await e.app.db.db.selectFrom('inquiries').select('status').where('code', '=', code).executeTakeFirstOrThrow();
    expect(row.status).toBe('answered');
  });

  it('error 123 marks the Zalo identity unreachable through the outbox, and the coordinator is told', async () => {
    fake.failNextSend(HEALTH, new ZaloApiError('Không thể nhận tin nhắn từ bạn.', 123));
    const n = e.fake.sent.length;
    fake.userSends(HEALTH, '/help');
    await e.nextTo(coord, n, 'Không gửi được tin nhắn');
    const identity = await e.app.db.db.selectFrom('identities').select(['unreachable_at', 'unreachable_reason'])
      .where('platform', '=', 'zalo_personal').where('platform_user_id', '=', HEALTH).executeTakeFirstOrThrow();
    expect(identity.unreachable_reason).toBe('zalo_123_cannot_receive');
    expect(identity.unreachable_at).not.toBeNull();
    const rows = await e.app.db.db.selectFrom('outbox').select('status').where('platform', '=', 'zalo_personal').where('status', '=', 'unreachable').execute();
    expect(rows).toHaveLength(1);
  });

  it('session expiry: every admin is told in chat to scan a new QR, once', async () => {
    fake.expireSession();
    const n = e.fake.sent.length;
    fake.userSends(HEALTH, '/my');
    const alert = await e.nextTo(admin, n, 'liaison zalo login');
    expect(alert.text).toContain('Zalo cá nhân');
    fake.userSends(HEALTH, '/help');
    await e.say(admin, '/help', 'Mạng lưới phát ngôn');
    expect(e.sentTo(admin, 'liaison zalo login')).toHaveLength(1);
    const audits = await e.app.db.db.selectFrom('audit_events').select('id').where('action', '=', 'channel.needs_login').execute();
    expect(audits).toHaveLength(1);
  });
});
