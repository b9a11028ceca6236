import { Writable } from 'node:stream';
import { createTelegramAdapter, type TelegramAdapter, type TelegramAdapterOptions } from '../../../adapters/telegram/index.js';
import { decodeButtonData, encodeButtonData, type Button } from '../../../adapters/types.js';
import { createLogger, type Logger } from '../../../src/logger.js';
import { createEventCollector, fetchedBy, type ContractHarness, type SendFailureKind, type SentView } from '../../helpers/adapter-contract.js';
import { createFakeTelegram, type FakeTelegram } from '../telegram-bot-api.js';
import type { FakeApiError, FakeUser, SentRecord, TgInlineKeyboard } from './types.js';

/** A token of the real shape, so telegraf's own redaction would apply too. */
export const TEST_TOKEN = '7000001:AAHfake-Token_for_tests_only';

/** A pino logger (without secrets configured, so the adapter must scrub itself) and its lines. */
export function createCapturedLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) { lines.push(String(chunk)); done(); },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

/** The {@link FakeUser} a contract user id stands for. */
export function toFakeUser(userId: string): FakeUser {
  return { id: Number(userId), first_name: 'Phóng viên', last_name: userId, language_code: 'vi' };
}

/** A contract harness over the Telegram fake, plus the fake itself and the captured log lines. */
export type TelegramHarness = ContractHarness & { adapter: TelegramAdapter; fake: FakeTelegram; logLines: string[] };

/** Starts a fake Bot API and a polling Telegram adapter against it. */
export async function createTelegramHarness(
  overrides: Partial<Omit<TelegramAdapterOptions, 'apiRoot' | 'logger'>> = {},
): Promise<TelegramHarness> {
  const fake = createFakeTelegram({ token: TEST_TOKEN });
  await fake.start();
  const { logger, lines } = createCapturedLogger();
  const adapter = createTelegramAdapter({
    token: TEST_TOKEN, mode: 'polling', pollingTimeoutS: 10, ...overrides, apiRoot: fake.apiRoot, logger,
  });
  const collector = createEventCollector();
  await adapter.start(collector.onEvent);
  const userMessage = async (userId: string, text: string, replyTo?: string) => {
    const message = fake.userSends(toFakeUser(userId), text, replyTo === undefined ? {} : { replyTo: Number(replyTo) });
    return { messageId: String(message.message_id) };
  };
  return {
    adapter, fake, logLines: lines, events: collector.events, waitForEvent: collector.waitForEvent,
    userMessage,
    userCommand: (userId, command, args) => userMessage(userId, `/${command} ${args}`),
    readReceivedFile: fetchedBy(adapter),
    userFile: async (userId, f) => {
      const message = fake.userSendsFile(toFakeUser(userId), {
        kind: f.kind === 'image' ? 'photo' : 'document', bytes: f.bytes, mimeType: f.mimeType,
        ...(f.name ? { name: f.name } : {}), ...(f.caption ? { caption: f.caption } : {}),
      });
      return { messageId: String(message.message_id) };
    },
    userPress: async (userId, messageId, action, payload) => {
      fake.userPresses(toFakeUser(userId), Number(messageId), encodeButtonData(action, payload));
    },
    sentTo: (chatId) => fake.sent.filter((s) => String(s.chatId) === chatId).map(toSentView),
    failNextSend: (chatId, kind, retryAfterMs) => {
      fake.failNext({ method: 'sendMessage', chatId: Number(chatId), times: 1, error: toFakeError(kind, retryAfterMs) });
    },
    teardown: async () => {
      await adapter.stop();
      await fake.stop();
    },
  };
}

/** The Bot API refusal for each contract failure kind, with Telegram's real descriptions. */
export function toFakeError(kind: SendFailureKind, retryAfterMs = 1000): FakeApiError {
  switch (kind) {
    case 'rate_limit': {
      const retryAfterS = Math.ceil(retryAfterMs / 1000);
      return { error_code: 429, description: `Too Many Requests: retry after ${retryAfterS}`, retry_after: retryAfterS };
    }
    case 'blocked': return { error_code: 403, description: 'Forbidden: bot was blocked by the user' };
    case 'not_found': return { error_code: 400, description: 'Bad Request: chat not found' };
    case 'server_error': return { error_code: 502, description: 'Bad Gateway' };
  }
}

function toSentView(sent: SentRecord): SentView {
  const view: SentView = { messageId: String(sent.messageId), text: sent.text };
  if (sent.replyToMessageId !== undefined) view.replyTo = String(sent.replyToMessageId);
  if (sent.replyMarkup) view.buttons = toButtons(sent.replyMarkup);
  if (sent.file) view.file = { sha256: sent.file.sha256, ...(sent.file.name ? { name: sent.file.name } : {}) };
  return view;
}

function toButtons(markup: TgInlineKeyboard): Button[][] {
  return markup.inline_keyboard.map((row) => row.map((button) => {
    const decoded = decodeButtonData(button.callback_data ?? '');
    return { label: button.text, action: decoded?.action ?? '', payload: decoded?.payload ?? button.callback_data ?? '' };
  }));
}
