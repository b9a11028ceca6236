import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.js';
import { botEnvironment, runLiaison, startBot, type BotProcess } from '../bench/bot-process.js';
import { findButton } from '../bench/sent-watch.js';
import { createFakeTelegram, type FakeTelegram, type FakeUser, type SentRecord } from '../fakes/telegram-bot-api.js';
import { startHoldProxy, type HoldProxy } from '../helpers/hold-proxy.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const TOKEN = '555666778:AnswerCrashTokenForTheFakeBotApi_abc';
const WAIT_MS = 25_000;
const REPORTER: FakeUser = { id: 8_200_001, first_name: 'Thư', language_code: 'vi' };
const SPOKESPERSON: FakeUser = { id: 8_200_002, first_name: 'Tuấn', language_code: 'vi' };

/**
 * kill -9 around a confirmed answer and its correction (issue 14), with real bot processes in
 * front of the fake Bot API: what was confirmed is delivered once, a correction edits the
 * reporter's message once, and nothing is sent twice.
 */
describe('confirmed answers and corrections under kill -9 (real bot processes, fake Bot API, SQLite, Redis)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-answer-crash-'));
  const prefix = uniquePrefix('answer-crash');
  const dbUrl = join(dir, 'bot.sqlite');
  let fake: FakeTelegram;
  let proxy: HoldProxy;
  let env: NodeJS.ProcessEnv;
  let bot: BotProcess | undefined;

  const waitTo = (user: FakeUser, since: number, needle: string): Promise<SentRecord> =>
    fake.waitFor(() => fake.sent.slice(since).find((s) => s.chatId === user.id && s.text.includes(needle)), { timeoutMs: WAIT_MS, description: `${user.first_name}: ${needle}` });
  const say = async (user: FakeUser, text: string, needle: string, replyTo?: number): Promise<SentRecord> => {
    const n = fake.sent.length;
    fake.userSends(user, text, replyTo ? { replyTo } : {});
    return waitTo(user, n, needle);
  };
  const press = async (user: FakeUser, message: SentRecord, label: string, needle: string): Promise<SentRecord> => {
    const button = findButton(message, label);
    if (!button) throw new Error(`no button ${label} on: ${message.text}`);
    const n = fake.sent.length;
    fake.userPresses(user, message.messageId, button.callback_data);
    return waitTo(user, n, needle);
  };
  const rows = async <T>(read: (db: ReturnType<typeof createDb>['db']) => Promise<T>): Promise<T> => {
    const handle = createDb({ url: dbUrl });
    try {
      return await read(handle.db);
    } finally {
      await handle.close();
    }
  };
  /** kill -9, then a new process on the same database and Redis. */
  const killAndRestart = async (): Promise<void> => {
    process.kill(bot!.pid, 'SIGKILL');
    await bot!.stop(5000);
    proxy.dropHeld();
    await fake.waitFor(() => !fake.longPollWaiting, { timeoutMs: WAIT_MS, description: 'the dead process\'s long poll closed' });
    bot = await startBot(env, () => fake.longPollWaiting);
  };

  beforeAll(async () => {
    fake = createFakeTelegram({ token: TOKEN, bot: { username: 'hue_answer_crash_bot' } });
    await fake.start();
    proxy = await startHoldProxy(fake.apiRoot);
    env = botEnvironment({
      TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: proxy.root, TELEGRAM_MODE: 'polling', DATABASE_URL: dbUrl,
      REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, HTTP_HOST: '127.0.0.1', HTTP_PORT: '0', DATA_DIR: dir,
      LOG_LEVEL: 'warn', WEB_ENABLED: 'false',
    });
    await runLiaison(['sample'], env);
    bot = await startBot(env, () => fake.longPollWaiting);
    await say(REPORTER, '/start pv-hue-01', 'Xin chào');
    await say(SPOKESPERSON, '/start pn-syte-01', 'Xin chào');
  }, 120_000);

  afterAll(async () => {
    await bot?.stop(5000);
    await proxy?.close();
    await fake?.stop();
    await deletePrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('killed after [Gửi câu trả lời] and before the send: the answer arrives once; a correction whose edit the platform made but the dead process never heard of is not repeated', async () => {
    const topics = await say(REPORTER, 'Lịch tiêm vắc-xin sởi đợt này?', 'lĩnh vực nào');
    const confirm = await press(REPORTER, topics, 'Y tế', 'Xác nhận gửi');
    const accepted = await press(REPORTER, confirm, 'Gửi', 'Đã tiếp nhận');
    const code = /Q-\d+/.exec(accepted.text)![0];
    const notice = await waitTo(SPOKESPERSON, 0, code);
    const preview = await say(SPOKESPERSON, 'Đợt tiêm bắt đầu thứ Hai.', 'CHƯA GỬI', notice.messageId);

    // Confirmed and committed; the send to the reporter is refused for a while (kept on the row), and the process dies.
    fake.failNext({ method: 'sendMessage', chatId: REPORTER.id, times: 1, error: { error_code: 429, description: 'Too Many Requests: retry after 4', retry_after: 4 } });
    const n = fake.sent.length;
    const sent = await press(SPOKESPERSON, preview, 'Gửi câu trả lời', 'Đã gửi câu trả lời chính thức');
    await fake.waitFor(() => fake.calls.some((c) => c.method === 'sendMessage' && c.status === 429), { timeoutMs: WAIT_MS, description: 'the refused send' });
    await killAndRestart();
    const answer = await waitTo(REPORTER, n, `Trả lời câu hỏi ${code}`);
    expect(answer.text).toContain('— Hoàng Minh Tuấn, Phó Giám đốc Sở Y tế');
    // The preview's button again, after the restart: the draft was taken with the confirmation.
    await press(SPOKESPERSON, preview, 'Gửi câu trả lời', 'Không còn bản nháp');
    await say(REPORTER, '/my', 'Các câu hỏi của bạn');
    expect(fake.sent.filter((s) => s.chatId === REPORTER.id && s.text.includes('Đợt tiêm bắt đầu'))).toHaveLength(1);
    expect(await rows((db) => db.selectFrom('inquiry_entries').select('text').where('kind', '=', 'answer').execute())).toEqual([{ text: 'Đợt tiêm bắt đầu thứ Hai.' }]);

    // The correction: the fake makes the edit, but its answer is held and the process dies.
    const prompt = await press(SPOKESPERSON, sent, 'Sửa câu trả lời', 'Gõ nội dung đã sửa');
    expect(prompt.text).toContain(code);
    const corrected = await say(SPOKESPERSON, 'Đợt tiêm bắt đầu thứ Ba.', 'Xem trước bản sửa');
    const held = proxy.holdNext((c) => c.path.endsWith('/editMessageText') && String(c.params.chat_id) === String(REPORTER.id));
    fake.userPresses(SPOKESPERSON, corrected.messageId, findButton(corrected, 'Gửi câu trả lời')!.callback_data);
    await held;
    await killAndRestart();
    const edits = () => fake.calls.filter((c) => c.method === 'editMessageText' && Number(c.params.chat_id) === REPORTER.id);
    // The new process edits again; Telegram says "not modified", which counts as done.
    await fake.waitFor(() => edits().length >= 2 || undefined, { timeoutMs: WAIT_MS, description: 'the edit retried' });
    const row = async () => rows((db) => db.selectFrom('outbox').select(['status', 'edit_of_outbox_id']).where('edit_of_outbox_id', 'is not', null).execute());
    for (let i = 0; i < 100 && (await row()).some((r) => r.status !== 'sent'); i++) await new Promise((r) => setTimeout(r, 100));
    expect((await row()).map((r) => r.status)).toEqual(['sent']);
    expect(edits().filter((c) => c.status === 200)).toHaveLength(1);
    expect(edits().map((c) => String(c.params.text))).toEqual([expect.stringContaining('(đã sửa)'), expect.stringContaining('(đã sửa)')]);
    // No second message: the reporter's answer was edited in place, once.
    expect(fake.sent.filter((s) => s.chatId === REPORTER.id && s.text.includes('bắt đầu thứ Ba'))).toHaveLength(0); // due days name weekdays too
    const entries = await rows((db) => db.selectFrom('inquiry_entries').select(['kind', 'text']).where('kind', 'in', ['answer', 'answer_correction']).orderBy('id').execute());
    expect(entries).toEqual([{ kind: 'answer', text: 'Đợt tiêm bắt đầu thứ Hai.' }, { kind: 'answer_correction', text: 'Đợt tiêm bắt đầu thứ Ba.' }]);
  }, 180_000);
});
