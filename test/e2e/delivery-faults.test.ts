import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deletePrefix } from '../helpers/redis.js';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';
import type { FakeUser } from '../fakes/telegram-bot-api.js';

async function linkSample(e: E2E, pairs: Array<[FakeUser, string]>): Promise<void> {
  for (const [user, code] of pairs) await e.say(user, `/start ${code}`, 'Xin chào');
}

/** Asks on the health topic; resolves with the spokesperson's notification. */
async function askHealth(e: E2E, reporter: FakeUser, health: FakeUser, question: string) {
  const n = e.fake.sent.length;
  await e.say(reporter, question, 'lĩnh vực nào');
  await e.press(reporter, 'Y tế', 'Xác nhận gửi');
  const accepted = await e.press(reporter, 'Gửi', 'Đã tiếp nhận');
  const code = /Q-\d+/.exec(accepted.text)![0];
  return { code, notice: await e.nextTo(health, n, code) };
}

describe('delivery faults (real adapter, fake Bot API, SQLite, Redis)', () => {
  let e: E2E;
  const reporter = tgUser('Thư');
  const health = tgUser('Tuấn');
  const coord = tgUser('Diệp');
  beforeEach(async () => {
    e = await createE2E();
    await linkSample(e, [[reporter, 'pv-hue-01'], [health, 'pn-syte-01'], [coord, 'dpv-vhtt-01']]);
  });
  afterEach(async () => { await e.close(); });

  it('a 429 storm while delivering the answer: it still arrives, exactly once', async () => {
    const { code, notice } = await askHealth(e, reporter, health, 'Câu hỏi trong lúc nghẽn mạng?');
    e.fake.failNext({ method: 'sendMessage', chatId: reporter.id, times: 3, error: { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 } });
    const n = e.fake.sent.length;
    await e.answer(health, 'Câu trả lời sau khi nghẽn.', notice.messageId);
    await e.nextTo(reporter, n, `Trả lời câu hỏi ${code}`);
    expect(e.sentTo(reporter, `Trả lời câu hỏi ${code}`)).toHaveLength(1);
    const refused = e.fake.calls.filter((c) => c.method === 'sendMessage' && c.status === 429 && Number(c.params.chat_id) === reporter.id);
    expect(refused).toHaveLength(3);
    // retry_after was honoured: the accepted send came at least ~1 s after the first refusal.
    const accepted = e.fake.sent.find((s) => s.chatId === reporter.id && s.text.includes(`Trả lời câu hỏi ${code}`))!;
    expect(accepted.at.getTime() - refused[0]!.at.getTime()).toBeGreaterThanOrEqual(900);
  });

  it('a reporter who blocked the bot (403) is marked unreachable and the coordinator is told', async () => {
    const { code, notice } = await askHealth(e, reporter, health, 'Câu hỏi rồi chặn bot?');
    e.fake.blockChat(reporter.id);
    const n = e.fake.sent.length;
    await e.answer(health, 'Trả lời không tới được.', notice.messageId);
    const told = await e.nextTo(coord, n, 'Không gửi được tin nhắn');
    expect(told.text).toContain('Trần Thị Minh Thư');
    expect(told.text).toContain(code);
    const identity = await e.app.db.db.selectFrom('identities').select(['unreachable_at', 'unreachable_reason']).where('platform_user_id', '=', String(reporter.id)).executeTakeFirstOrThrow();
    expect(identity.unreachable_reason).toBe('blocked');
    const row = await e.app.db.db.selectFrom('outbox').select('status').where('chat_id', '=', String(reporter.id)).where('text', 'like', '%Trả lời không tới được%').executeTakeFirstOrThrow();
    expect(row.status).toBe('unreachable');
    // Not retried: exactly one refused attempt for that message.
    expect(e.fake.calls.filter((c) => c.method === 'sendMessage' && c.status === 403)).toHaveLength(1);
  });

  it('the bot restarted between the answer and its delivery (Redis lost too) delivers exactly once', async () => {
    const { code, notice } = await askHealth(e, reporter, health, 'Câu hỏi trước khi khởi động lại?');
    // The row's retry_after is kept on the row (not only in Redis), so it survives both.
    e.fake.failNext({ method: 'sendMessage', chatId: reporter.id, times: 1, error: { error_code: 429, description: 'Too Many Requests: retry after 3', retry_after: 3 } });
    const n = e.fake.sent.length;
    await e.answer(health, 'Trả lời giữa lúc khởi động lại.', notice.messageId);
    await e.fake.waitFor(() => e.fake.calls.some((c) => c.status === 429), { description: 'the refused send' });
    await e.stopBot();
    await deletePrefix(e.prefix);
    await e.restartBot();
    const answer = await e.nextTo(reporter, n, `Trả lời câu hỏi ${code}`);
    const refused = e.fake.calls.find((c) => c.status === 429)!;
    expect(answer.at.getTime() - refused.at.getTime()).toBeGreaterThanOrEqual(2900);
    await e.say(reporter, '/my', 'Các câu hỏi của bạn');
    expect(e.sentTo(reporter, `Trả lời câu hỏi ${code}`)).toHaveLength(1);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe('webhook mode', () => {
  const secret = 'e2e-webhook-secret-0123456789';
  let e: E2E;
  let port: number;
  beforeEach(async () => {
    port = await freePort();
    e = await createE2E({ env: { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: secret, PUBLIC_URL: `http://127.0.0.1:${port}`, HTTP_PORT: String(port) } });
  });
  afterEach(async () => { await e.close(); });

  it('receives updates pushed with the secret, and refuses calls without it, storing nothing', async () => {
    const reporter = tgUser('Nam');
    await e.say(reporter, '/start pv-tto-01', 'Xin chào');
    expect(e.fake.webhookDeliveries.every((d) => d.status === 200)).toBe(true);
    const count = async () => (await e.app.db.db.selectFrom('inbound_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const before = Number(await count());
    const url = `http://127.0.0.1:${port}/webhooks/telegram`;
    const update = JSON.stringify({ update_id: 42, message: { message_id: 5, date: 1, chat: { id: reporter.id, type: 'private' }, from: { id: reporter.id, first_name: 'X' }, text: '/help' } });
    const none = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: update });
    const wrong = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong-secret-0123456789' }, body: update });
    const garbage = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body: '{"update_id": ' });
    expect([none.status, wrong.status, garbage.status]).toEqual([401, 401, 400]);
    expect(Number(await count())).toBe(before);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
  });
});
