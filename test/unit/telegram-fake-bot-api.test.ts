import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeTelegram, type FakeTelegram } from '../fakes/telegram-bot-api.js';

// The fake is test infrastructure other suites trust: pin its Bot API behaviour over raw HTTP.
const TOKEN = '42:fake-token';
const LAN = { id: 501, first_name: 'Lan', language_code: 'vi' };

describe('fake Telegram Bot API', () => {
  let fake: FakeTelegram;
  const call = async (method: string, params: Record<string, unknown> = {}, token = TOKEN) => {
    const res = await fetch(`${fake.apiRoot}/bot${token}/${method}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params),
    });
    return { status: res.status, body: await res.json() as Record<string, unknown> & { result?: unknown } };
  };

  beforeEach(async () => {
    fake = createFakeTelegram({ token: TOKEN, webhookRetry: { attempts: 3, retryDelayMs: 1 } });
    await fake.start();
  });
  afterEach(async () => { await fake.stop(); });

  it('answers 401 to a wrong token and 404 to an unknown method, like Telegram', async () => {
    expect(await call('getMe', {}, '42:wrong')).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect(await call('sendRocket')).toEqual({ status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
    expect((await call('getMe')).body.result).toMatchObject({ is_bot: true, username: 'liaison_test_bot' });
  });

  it('reads parameters from the query string and urlencoded bodies', async () => {
    fake.userSends(LAN, 'chào');
    const res = await fetch(`${fake.apiRoot}/bot${TOKEN}/sendMessage?chat_id=${LAN.id}`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ text: 'Đã nhận', reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'OK', callback_data: 'ok|1' }]] }) }),
    });
    expect(res.status).toBe(200);
    expect(fake.sent).toEqual([expect.objectContaining({ chatId: LAN.id, text: 'Đã nhận', replyMarkup: { inline_keyboard: [[{ text: 'OK', callback_data: 'ok|1' }]] } })]);
  });

  it('returns full messages with per-chat increasing ids and the replied-to message', async () => {
    const asked = fake.userSends(LAN, 'Khi nào?');
    const first = (await call('sendMessage', { chat_id: LAN.id, text: 'Tháng 12', reply_parameters: { message_id: asked.message_id } })).body.result;
    const second = (await call('sendMessage', { chat_id: String(LAN.id), text: 'Thêm', reply_to_message_id: 99, allow_sending_without_reply: true })).body.result;
    expect(first).toMatchObject({ message_id: asked.message_id + 1, chat: { id: LAN.id, type: 'private' }, from: { is_bot: true }, reply_to_message: { message_id: asked.message_id, text: 'Khi nào?' } });
    expect(second).toMatchObject({ message_id: asked.message_id + 2 });
    expect(second).not.toHaveProperty('reply_to_message');
    const reply = fake.userSends(LAN, 'Cảm ơn', { replyTo: (first as { message_id: number }).message_id });
    expect(reply.reply_to_message).toMatchObject({ text: 'Tháng 12', from: { is_bot: true } });
    expect(reply.reply_to_message).not.toHaveProperty('reply_to_message');
  });

  it('refuses what Telegram refuses: unknown chat, missing reply target, empty or long text, big button data', async () => {
    expect((await call('sendMessage', { chat_id: 777, text: 'a' })).body.description).toBe('Bad Request: chat not found');
    fake.userSends(LAN, 'x');
    const refusals = await Promise.all([
      call('sendMessage', { chat_id: LAN.id, text: 'a', reply_parameters: { message_id: 99 } }),
      call('sendMessage', { chat_id: LAN.id, text: ' ' }),
      call('sendMessage', { chat_id: LAN.id, text: 'a'.repeat(4097) }),
      call('sendMessage', { chat_id: LAN.id, text: 'a', reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: 'x'.repeat(65) }]] } }),
    ]);
    expect(refusals.map((r) => [r.status, r.body.description])).toEqual([
      [400, 'Bad Request: message to be replied not found'],
      [400, 'Bad Request: message text is empty'],
      [400, 'Bad Request: message is too long'],
      [400, 'Bad Request: BUTTON_DATA_INVALID'],
    ]);
    expect(fake.sent).toEqual([]);
  });

  it('long-polls: getUpdates waits, returns as soon as an update arrives, and offset confirms', async () => {
    const polling = call('getUpdates', { timeout: 20 });
    await fake.waitFor(() => fake.longPollWaiting, { description: 'the long poll to wait' });
    fake.userSends(LAN, 'một');
    const first = (await polling).body.result as Array<{ update_id: number }>;
    expect(first).toHaveLength(1);
    fake.userSends(LAN, 'hai');
    fake.userSends(LAN, 'ba');
    const limited = (await call('getUpdates', { offset: first[0]!.update_id, limit: 1 })).body.result as Array<{ update_id: number }>;
    expect(limited.map((u) => u.update_id)).toEqual([first[0]!.update_id]);
    const rest = (await call('getUpdates', { offset: first[0]!.update_id + 1 })).body.result as unknown[];
    expect(rest).toHaveLength(2);
    expect(fake.pendingUpdateCount).toBe(2);
  });

  it('filters by allowed_updates and refuses getUpdates while a webhook is set', async () => {
    fake.injectUpdate({ edited_message: { message_id: 1 } }, { assignUpdateId: true });
    fake.userSends(LAN, 'tin');
    const { body } = await call('getUpdates', { allowed_updates: ['message'] });
    expect((body.result as Array<Record<string, unknown>>).map((u) => Object.keys(u)[1])).toEqual(['message']);
    await call('setWebhook', { url: 'http://127.0.0.1:9/hook' });
    expect(await call('getUpdates')).toMatchObject({ status: 409 });
    expect((await call('getWebhookInfo')).body.result).toMatchObject({ url: 'http://127.0.0.1:9/hook' });
  });

  it('scripts failures: failNext for n calls of one chat, blockChat for good', async () => {
    fake.userSends(LAN, 'x');
    fake.failNext({ method: 'sendMessage', chatId: LAN.id, times: 2, error: { error_code: 429, description: 'Too Many Requests: retry after 5', retry_after: 5 } });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call('sendMessage', { chat_id: LAN.id, text: 'a' })).body);
    expect(statuses.slice(0, 2)).toEqual([0, 1].map(() => ({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 5', parameters: { retry_after: 5 } })));
    expect(statuses[2]).toMatchObject({ ok: true });
    fake.blockChat(LAN.id);
    expect((await call('sendMessage', { chat_id: LAN.id, text: 'a' })).body).toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    expect(fake.calls.filter((c) => c.method === 'sendMessage').map((c) => c.status)).toEqual([429, 429, 200, 403]);
  });

  it('edits bot messages and answers a callback query once', async () => {
    fake.userSends(LAN, 'x');
    const sent = (await call('sendMessage', { chat_id: LAN.id, text: 'Chọn', reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a|1' }]] } })).body.result as { message_id: number };
    const edited = await call('editMessageText', { chat_id: LAN.id, message_id: sent.message_id, text: 'Đã chọn A' });
    expect(edited.body.result).toMatchObject({ text: 'Đã chọn A', edit_date: expect.any(Number) });
    expect(edited.body.result).not.toHaveProperty('reply_markup');
    expect((await call('editMessageReplyMarkup', { chat_id: LAN.id, message_id: sent.message_id })).status).toBe(400);
    const queryId = fake.userPresses(LAN, sent.message_id, 'a|1');
    expect((await call('answerCallbackQuery', { callback_query_id: queryId, text: 'OK' })).status).toBe(200);
    expect((await call('answerCallbackQuery', { callback_query_id: queryId })).status).toBe(400);
    expect(fake.callbackAnswers).toEqual([expect.objectContaining({ callbackQueryId: queryId, text: 'OK' })]);
  });

  it('waitForSent rejects on timeout instead of hanging', async () => {
    await expect(fake.waitForSent(() => true, { timeoutMs: 20 })).rejects.toThrow(/timed out after 20 ms/);
  });

  describe('webhook push', () => {
    let receiver: Server;
    const received: Array<{ secret: string | undefined; body: string }> = [];
    let failures = 0;

    beforeEach(async () => {
      received.length = 0;
      failures = 0;
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({ secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined, body: Buffer.concat(chunks).toString() });
          res.writeHead(failures-- > 0 ? 500 : 200).end();
        });
      });
      await new Promise<void>((resolve) => { receiver.listen(0, '127.0.0.1', resolve); });
    });
    afterEach(async () => { await new Promise((resolve) => { receiver.close(resolve); }); });

    const url = () => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    it('pushes pending and new updates with the secret header, retrying non-2xx a bounded number of times', async () => {
      fake.userSends(LAN, 'trước');
      await call('setWebhook', { url: url(), secret_token: 's3cret' });
      await fake.waitFor(() => fake.webhookDeliveries.length === 1);
      failures = 5;
      fake.userSends(LAN, 'sau');
      await fake.waitFor(() => fake.webhookDeliveries.length === 4);
      expect(fake.webhookDeliveries.map((d) => [d.attempt, d.status])).toEqual([[1, 200], [1, 500], [2, 500], [3, 500]]);
      expect(received.map((r) => r.secret)).toEqual(['s3cret', 's3cret', 's3cret', 's3cret']);
      expect(JSON.parse(received[0]!.body)).toMatchObject({ message: { text: 'trước' } });
      expect((await call('getWebhookInfo')).body.result).toMatchObject({ pending_update_count: 0, last_error_message: expect.stringContaining('500') });
    });
  });
});
