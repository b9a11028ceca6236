import type { Agent as HttpsAgent } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ZcaClient } from '../../adapters/zalo-personal/zca.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startApp, type App, type ProcessRole } from '../../src/main.js';
import { systemClock } from '../../src/time/clock.js';
import { createFakeTelegram, type FakeUser, type SentRecord, type TgMessage } from '../fakes/telegram-bot-api.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from './redis.js';

export const E2E_TOKEN = '123456789:AAE2eTestTokenForTheFakeBotApi_0123';

/** Options for {@link createE2E}. */
export interface E2EOptions {
  /** Extra environment for the bot's configuration. */
  env?: Record<string, string>;
  /** The zca-js seam for the personal Zalo account (a fake), when `ZALO_PERSONAL_ENABLED` is set. */
  zcaClient?: ZcaClient;
  /** Which parts the bot process runs (`liaison start --role`). Default `all`. */
  role?: ProcessRole;
  /** Collects every log line (level debug, after the logger's scrubbing), e.g. to assert what is never logged. */
  logLines?: string[];
  /** TLS agent for Web Push (trusts the local fake push service). */
  webPushAgent?: HttpsAgent;
}

/**
 * The whole bot as `npm start` builds it (real telegraf adapter, SQLite file, Redis, BullMQ), in
 * front of a fake Bot API server; plus helpers to play users in it.
 */
export async function createE2E(options: E2EOptions = {}) {
  const fake = createFakeTelegram({ token: E2E_TOKEN, bot: { username: 'hue_lienlac_bot' } });
  await fake.start();
  const dir = mkdtempSync(join(tmpdir(), 'liaison-e2e-'));
  const prefix = uniquePrefix('e2e');
  const env = {
    TELEGRAM_BOT_TOKEN: E2E_TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: join(dir, 'bot.sqlite'),
    REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, HTTP_PORT: '0', DATA_DIR: dir, LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
    OUTBOX_BACKOFF_MAX_MS: '2000', ...options.env,
  };
  const config: Readonly<Config> = loadConfig(env);
  const lines = options.logLines;
  const logger = lines
    ? createLogger({ level: 'debug', secrets: config.secrets, destination: { write: (line: string) => { lines.push(line); } } })
    : createLogger({ level: config.logLevel, secrets: config.secrets });
  const zca = { ...(options.zcaClient ? { zcaClient: options.zcaClient } : {}), ...(options.webPushAgent ? { webPushAgent: options.webPushAgent } : {}) };
  const role = options.role ?? 'all';
  let app: App | undefined = await startApp({ config, logger, clock: systemClock, role, ...zca });

  const newSince = (count: number, user: FakeUser, pred: (s: SentRecord) => boolean) =>
    fake.sent.slice(count).find((s) => s.chatId === user.id && pred(s));

  const h = {
    fake, config, logger, dir, prefix,
    get app(): App {
      if (!app) throw new Error('app stopped');
      return app;
    },
    /** Stops the bot (keeps the database and Redis). */
    async stopBot(): Promise<void> {
      await app?.stop();
      app = undefined;
    },
    /** Starts the bot again on the same database and Redis (a process restart). */
    async restartBot(): Promise<void> {
      await h.stopBot();
      app = await startApp({ config, logger, clock: systemClock, role, ...zca });
    },
    /** The user writes; resolves with the bot's next message to them matching `expect` (text substring or predicate). */
    async say(user: FakeUser, text: string, expect: string | ((s: SentRecord) => boolean), replyTo?: number): Promise<SentRecord> {
      const n = fake.sent.length;
      const m: TgMessage = fake.userSends(user, text, replyTo ? { replyTo } : {});
      h.lastUserMessage.set(user.id, m.message_id);
      return h.nextTo(user, n, expect);
    },
    /** Waits for a message to `user` among those sent after index `since`. */
    async nextTo(user: FakeUser, since: number, expect: string | ((s: SentRecord) => boolean)): Promise<SentRecord> {
      const pred = typeof expect === 'string' ? (s: SentRecord) => s.text.includes(expect) : expect;
      // A ceiling that bounds a hang, not the machine's speed (a loaded CI machine once took over 10 s).
      try {
        return await fake.waitFor(() => newSince(since, user, pred), { timeoutMs: 60_000, description: `message to ${user.first_name}: ${String(expect)}` });
      } catch (err) {
        // What the user got instead (a reply other than the one expected) tells a wrong answer from a hang.
        const got = fake.sent.slice(since).filter((s) => s.chatId === user.id).map((s) => s.text.slice(0, 160));
        throw new Error(`${err instanceof Error ? err.message : String(err)}; sent to ${user.first_name} meanwhile: ${JSON.stringify(got)}`, { cause: err });
      }
    },
    /** Presses the button labelled `label` on the newest message to `user` that has it. */
    async press(user: FakeUser, label: string, expect: string | ((s: SentRecord) => boolean), chatOf: FakeUser = user): Promise<SentRecord> {
      const target = [...fake.sent].reverse().find((s) => s.chatId === chatOf.id && s.replyMarkup?.inline_keyboard.flat().some((b) => b.text.includes(label)));
      const button = target?.replyMarkup?.inline_keyboard.flat().find((b) => b.text.includes(label));
      if (!target || !button?.callback_data) throw new Error(`no button "${label}" for ${user.first_name}`);
      const n = fake.sent.length;
      fake.userPresses(user, target.messageId, button.callback_data);
      return h.nextTo(user, n, expect);
    },
    /** A spokesperson replies to `replyTo` with an answer, sees its preview, and confirms it ([Gửi câu trả lời]). */
    async answer(user: FakeUser, text: string, replyTo: number): Promise<SentRecord> {
      await h.say(user, text, 'CHƯA GỬI', replyTo);
      return h.press(user, 'Gửi câu trả lời', 'Đã gửi câu trả lời chính thức');
    },
    lastUserMessage: new Map<number, number>(),
    /** Sent records to a user whose text contains `needle`. */
    sentTo: (user: FakeUser, needle: string) => fake.sent.filter((s) => s.chatId === user.id && s.text.includes(needle)),
    async close(): Promise<void> {
      await h.stopBot();
      await fake.stop();
      await deletePrefix(prefix);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

export type E2E = Awaited<ReturnType<typeof createE2E>>;

let nextUserId = 7_000_000;
/** A Telegram user the test plays. */
export function tgUser(firstName: string, languageCode = 'vi'): FakeUser {
  return { id: nextUserId++, first_name: firstName, language_code: languageCode };
}
