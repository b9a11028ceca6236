import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Telegram, TelegramError } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useJsonTransport } from '../../adapters/telegram/transport.js';
import { createFakeTelegram, type FakeTelegram } from '../fakes/telegram-bot-api.js';

const TOKEN = '123456789:AAJsonTransportTestToken_0123456789';
const USER = { id: 7001, first_name: 'Lan' };

/**
 * The Bot API's JSON calls over the undici pool, against the fake Bot API behind a counting TCP
 * relay (to see the connections the pool opens).
 */
describe('telegram JSON transport', () => {
  let fake: FakeTelegram;
  let relay: Server;
  const sockets: Socket[] = [];
  let connections = 0;
  let telegram: Telegram;

  beforeAll(async () => {
    fake = createFakeTelegram({ token: TOKEN });
    await fake.start();
    const target = new URL(fake.apiRoot);
    relay = createServer((client) => {
      connections += 1;
      const upstream = connect(Number(target.port), target.hostname);
      sockets.push(client, upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    telegram = new Telegram(TOKEN, { apiRoot: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`, webhookReply: false });
    useJsonTransport(telegram, { apiRoot: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`, token: TOKEN });
    fake.openChat(USER);
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => relay.close(resolve));
    await fake.stop();
  });

  it('sends one after another over kept-alive connections, each accepted in order', async () => {
    const before = connections;
    const sentBefore = fake.sent.length;
    for (let i = 0; i < 30; i++) await telegram.sendMessage(USER.id, `Câu hỏi ${i} 🙂`);
    expect(fake.sent.slice(sentBefore).map((s) => s.text)).toEqual(Array.from({ length: 30 }, (_, i) => `Câu hỏi ${i} 🙂`));
    // Kept alive: a second one may open while the first is being released, never one per call.
    expect(connections - before).toBeLessThanOrEqual(2);
  });

  it('leaves null and undefined fields out of the request, as telegraf does', async () => {
    const sent = await telegram.callApi('sendMessage', { chat_id: USER.id, text: 'không có nút', reply_markup: null, reply_to_message_id: undefined } as never) as { message_id: number };
    const record = fake.sent.find((s) => s.messageId === sent.message_id);
    expect(record?.text).toBe('không có nút');
    expect(record?.replyMarkup).toBeUndefined();
    expect(record?.replyToMessageId).toBeUndefined();
  });

  it('turns a refusal into telegraf\'s TelegramError with Telegram\'s code and retry_after', async () => {
    fake.failNext({ method: 'sendMessage', times: 1, error: { error_code: 429, description: 'Too Many Requests: retry after 3', retry_after: 3 } });
    const refused = await telegram.sendMessage(USER.id, 'x').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(TelegramError);
    expect((refused as TelegramError).code).toBe(429);
    expect((refused as TelegramError).parameters?.retry_after).toBe(3);
  });

  it('turns a 5xx into a TelegramError carrying the status, and the next call goes through', async () => {
    fake.failNext({ method: 'answerCallbackQuery', times: 1, error: { error_code: 502, description: 'Bad Gateway' } });
    const failed = await telegram.answerCbQuery('1').catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(TelegramError);
    expect((failed as TelegramError).code).toBe(502);
    await expect(telegram.sendMessage(USER.id, 'sau lỗi')).resolves.toMatchObject({ text: 'sau lỗi' });
  });

  it('keeps telegraf\'s own multipart request for an upload', async () => {
    const sent = await telegram.sendDocument(USER.id, { source: Buffer.from('công văn số 12'), filename: 'cong-van.txt' });
    const record = fake.sent.find((s) => s.messageId === sent.message_id);
    expect(record?.file).toMatchObject({ method: 'sendDocument', uploaded: true, name: 'cong-van.txt', sizeBytes: Buffer.byteLength('công văn số 12') });
  });

  it('aborts a call when its signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(telegram.callApi('getMe', {}, { signal: controller.signal } as never)).rejects.toThrow();
  });
});
