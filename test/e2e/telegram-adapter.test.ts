import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter, type TelegramAdapter } from '../../adapters/telegram/index.js';
import {
  AuthError, BadRequestError, TransientError,
  type ButtonEvent, type InboundEvent, type MessageEvent, type WebhookRequest,
} from '../../adapters/types.js';
import { createFakeTelegram, type FakeTelegram } from '../fakes/telegram-bot-api.js';
import {
  TEST_TOKEN, createCapturedLogger, createTelegramHarness, toFakeUser, type TelegramHarness,
} from '../fakes/telegram/harness.js';
import { createEventCollector, runAdapterContract, type EventCollector } from '../helpers/adapter-contract.js';

const USER = toFakeUser('1001');
const SECRET = 'wh_Secret-0123456789';

runAdapterContract('telegram (polling)', () => createTelegramHarness());

/** A private text message update as Telegram sends it, without update_id. */
function privateMessage(text: string, messageId = 900): Record<string, unknown> {
  const from = { id: USER.id, is_bot: false, first_name: USER.first_name };
  return { message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: USER.id, type: 'private' }, from, text } };
}

describe('telegram adapter, polling', () => {
  let h: TelegramHarness;
  beforeEach(async () => { h = await createTelegramHarness(); });
  afterEach(async () => { await h.teardown(); });

  it('long-polls with pollingTimeoutS and asks only for messages and callback queries', async () => {
    h.fake.userSends(USER, 'xin chào');
    await h.waitForEvent((e) => e.kind === 'message');
    const poll = await h.fake.waitFor(() => h.fake.calls.find((c) => c.method === 'getUpdates' && c.status === 200));
    expect(poll.params).toMatchObject({ timeout: 10, allowed_updates: ['message', 'callback_query'] });
  });

  it('delivers an update injected while running, with eventId = update_id', async () => {
    const updateId = h.fake.injectUpdate(privateMessage('cập nhật'), { assignUpdateId: true });
    const event = await h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && e.text === 'cập nhật');
    expect(event.eventId).toBe(String(updateId));
  });

  it('skips malformed and unsupported updates, keeps polling, and answers foreign button presses', async () => {
    const valid = privateMessage('x').message as Record<string, unknown>;
    const malformed: unknown[] = [
      { message: null },
      { message: { ...valid, from: undefined } },
      { message: { ...valid, chat: { id: -100123, type: 'supergroup' } } },
      { message: { ...valid, text: 42 } },
      { message: { ...valid, date: 'hôm qua' } },
      {},
    ];
    for (const raw of malformed) h.fake.injectUpdate(raw, { assignUpdateId: true });
    h.fake.userSends(USER, 'mở chat');
    await h.waitForEvent((e) => e.kind === 'message');
    const sent = await h.adapter.send(String(USER.id), { text: 'nút', buttons: [[{ label: 'A', action: 'ans', payload: '1' }]] });
    const foreignQueryId = h.fake.userPresses(USER, Number(sent.messageId), 'https://example.com/not-ours');
    h.fake.userSends(USER, 'vẫn chạy');
    await h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && e.text === 'vẫn chạy');
    await h.fake.waitFor(() => h.fake.callbackAnswers.find((a) => a.callbackQueryId === foreignQueryId));
    expect(h.events.map((e) => e.kind === 'message' && e.text)).toEqual(['mở chat', 'vẫn chạy']);
    const skipped = h.logLines.filter((line) => line.includes('telegram update skipped'));
    expect(skipped).toHaveLength(malformed.length + 1);
    expect(h.logLines.join('')).not.toContain(TEST_TOKEN);
  });

  it('refuses sends to unknown or blocking chats and invalid buttons, sending nothing', async () => {
    await expect(h.adapter.send('555', { text: 'ai đó' })).rejects.toMatchObject({ name: 'UnreachableError', reason: 'chat_not_found' });
    h.fake.userSends(USER, 'chào');
    await h.waitForEvent((e) => e.kind === 'message');
    const tooLong = [[{ label: 'x', action: 'ans', payload: 'p'.repeat(70) }]];
    await expect(h.adapter.send(String(USER.id), { text: 'a', buttons: tooLong })).rejects.toBeInstanceOf(BadRequestError);
    h.fake.blockChat(USER.id);
    for (let i = 0; i < 2; i += 1) {
      await expect(h.adapter.send(String(USER.id), { text: 'b' })).rejects.toMatchObject({ name: 'UnreachableError', reason: 'blocked' });
    }
    expect(h.fake.sent).toEqual([]);
  });
});

describe('telegram adapter, lifecycle and failures outside the API', () => {
  it('confirms an update only after onEvent resolved, and stop waits for it (idempotently)', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let received: () => void = () => undefined;
    const handlerEntered = new Promise<void>((resolve) => { received = resolve; });
    const fake = createFakeTelegram({ token: TEST_TOKEN });
    await fake.start();
    const adapter = createTelegramAdapter({ token: TEST_TOKEN, apiRoot: fake.apiRoot, mode: 'polling', logger: createCapturedLogger().logger });
    const order: string[] = [];
    await adapter.start(async () => { order.push('received'); received(); await gate; order.push('persisted'); });
    fake.userSends(USER, 'chậm');
    await handlerEntered;
    expect(fake.pendingUpdateCount).toBe(1);
    const stopped = adapter.stop().then(() => { order.push('stopped'); });
    release();
    await Promise.all([stopped, adapter.stop()]);
    expect(order).toEqual(['received', 'persisted', 'stopped']);
    expect(fake.pendingUpdateCount).toBe(0);
    await fake.stop();
  });

  it('start with a refused token rejects with AuthError that does not contain the token', async () => {
    const fake = createFakeTelegram({ token: 'the-real-token' });
    await fake.start();
    const { logger, lines } = createCapturedLogger();
    const adapter = createTelegramAdapter({ token: TEST_TOKEN, apiRoot: fake.apiRoot, mode: 'polling', logger });
    const error = await adapter.start(async () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(String((error as Error).message)).not.toContain(TEST_TOKEN);
    expect(fake.calls.filter((c) => c.method === 'getUpdates')).toEqual([]);
    expect(lines.join('')).not.toContain(TEST_TOKEN);
    await adapter.stop();
    await fake.stop();
  });

  it('a refused connection is a TransientError whose message and cause omit the token', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => { closed.listen(0, '127.0.0.1', resolve); });
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => { closed.close(resolve); });
    const adapter = createTelegramAdapter({ token: TEST_TOKEN, apiRoot: `http://127.0.0.1:${port}`, mode: 'polling', logger: createCapturedLogger().logger });
    const error = await adapter.send('1', { text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    const cause = (error as Error).cause as Error;
    expect(`${(error as Error).message} ${cause.message} ${cause.stack ?? ''}`).not.toContain(TEST_TOKEN);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });
});

describe('telegram adapter, webhook mode', () => {
  let fake: FakeTelegram;
  let adapter: TelegramAdapter;
  let server: Server;
  let webhookUrl: string;
  let collector: EventCollector;
  let failNextEvents = 0;

  async function post(body: string, headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': SECRET }) {
    const res = await fetch(webhookUrl, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    return { status: res.status, body: await res.text() };
  }

  beforeEach(async () => {
    failNextEvents = 0;
    fake = createFakeTelegram({ token: TEST_TOKEN, webhookRetry: { attempts: 3, retryDelayMs: 5 } });
    await fake.start();
    server = createServer((req, res) => {
      void readRequest(req).then(async (request) => {
        const webhook = adapter.webhook;
        const answer = webhook && req.url === webhook.path ? await webhook.handle(request) : { status: 404 };
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
    webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/telegram`;
    adapter = createTelegramAdapter({ token: TEST_TOKEN, apiRoot: fake.apiRoot, mode: 'webhook', webhookSecret: SECRET, webhookUrl, logger: createCapturedLogger().logger });
    collector = createEventCollector();
    await adapter.start(async (event: InboundEvent) => {
      if (failNextEvents > 0) { failNextEvents -= 1; throw new Error('database unavailable'); }
      await collector.onEvent(event);
    });
  });

  afterEach(async () => {
    await adapter.stop();
    await fake.stop();
    server.closeAllConnections();
    await new Promise((resolve) => { server.close(resolve); });
  });

  it('registers the webhook with its secret on start and never polls', () => {
    expect(adapter.webhook?.path).toBe('/webhooks/telegram');
    const setWebhook = fake.calls.find((c) => c.method === 'setWebhook');
    expect(setWebhook?.params).toMatchObject({ url: webhookUrl, secret_token: SECRET, allowed_updates: ['message', 'callback_query'] });
    expect(fake.calls.some((c) => c.method === 'getUpdates')).toBe(false);
  });

  it('delivers a pushed update carrying the right secret', async () => {
    const message = fake.userSends(USER, 'Qua webhook');
    const event = await collector.waitForEvent((e): e is MessageEvent => e.kind === 'message');
    expect(event).toMatchObject({ text: 'Qua webhook', messageId: String(message.message_id), chatId: String(USER.id) });
    await fake.waitFor(() => fake.webhookDeliveries.length > 0);
    expect(fake.webhookDeliveries.map((d) => d.status)).toEqual([200]);
  });

  it('answers 401 to a missing or wrong secret and never calls onEvent', async () => {
    const body = JSON.stringify({ update_id: 1, ...privateMessage('giả mạo') });
    expect((await post(body, {})).status).toBe(401);
    expect((await post(body, { 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(401);
    expect((await post(body, { 'x-telegram-bot-api-secret-token': SECRET.replace('w', 'W') })).status).toBe(401);
    fake.userSends(USER, 'thật');
    await collector.waitForEvent((e) => e.kind === 'message');
    expect(collector.events.map((e) => e.kind === 'message' && e.text)).toEqual(['thật']);
  });

  it('answers 400 to bodies that are not updates, and keeps serving', async () => {
    for (const body of ['{"update_id": 1, "message": ', '[1,2]', '"text"', '{"update_id":"5"}', '']) {
      expect(await post(body)).toEqual({ status: 400, body: '{"ok":false}' });
    }
    fake.userSends(USER, 'vẫn chạy');
    await collector.waitForEvent((e) => e.kind === 'message');
    expect(collector.events).toHaveLength(1);
  });

  it('hands a replayed update to onEvent again with the same eventId', async () => {
    fake.userSends(USER, 'một lần');
    const first = await collector.waitForEvent((e) => e.kind === 'message');
    fake.replayUpdate(Number(first.eventId));
    await fake.waitFor(() => fake.webhookDeliveries.length === 2);
    expect(collector.events.map((e) => e.eventId)).toEqual([first.eventId, first.eventId]);
  });

  it('answers 500 when onEvent fails, so the retried update is delivered', async () => {
    failNextEvents = 1;
    fake.userSends(USER, 'thử lại');
    const event = await collector.waitForEvent((e) => e.kind === 'message');
    await fake.waitFor(() => fake.webhookDeliveries.length >= 2);
    expect(fake.webhookDeliveries.map((d) => [d.updateId, d.status])).toEqual([[Number(event.eventId), 500], [Number(event.eventId), 200]]);
  });

  it('decodes a button press and answers the callback query', async () => {
    fake.userSends(USER, 'mở');
    const chat = await collector.waitForEvent((e) => e.kind === 'message');
    const sent = await adapter.send(chat.chatId, { text: 'Chọn', buttons: [[{ label: 'Nhận', action: 'take', payload: 'inq-9' }]] });
    const queryId = fake.userPresses(USER, Number(sent.messageId), 'take|inq-9');
    const press = await collector.waitForEvent((e): e is ButtonEvent => e.kind === 'button');
    expect(press).toMatchObject({ action: 'take', payload: 'inq-9', messageId: sent.messageId });
    await fake.waitFor(() => fake.callbackAnswers.find((a) => a.callbackQueryId === queryId));
  });

  it('answers 200 without an event to unsupported updates (group chats), and 503 after stop', async () => {
    const group = { ...(privateMessage('nhóm').message as object), chat: { id: -100777, type: 'supergroup' } };
    const updateId = fake.injectUpdate({ message: group }, { assignUpdateId: true });
    await fake.waitFor(() => fake.webhookDeliveries.find((d) => d.updateId === updateId && d.status === 200));
    expect(collector.events).toEqual([]);
    await adapter.stop();
    const late: WebhookRequest = { headers: { 'x-telegram-bot-api-secret-token': SECRET }, rawBody: Buffer.from(JSON.stringify({ update_id: 9, ...privateMessage('muộn') })) };
    expect((await adapter.webhook!.handle(late)).status).toBe(503);
    expect(collector.events).toEqual([]);
  });
});

async function readRequest(req: IncomingMessage): Promise<WebhookRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  return { headers, rawBody: Buffer.concat(chunks) };
}
