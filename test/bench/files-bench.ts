/**
 * `--only files` (issue #13): a 20 MB document from a reporter on Telegram reaches the spokesperson
 * on the web page as a question's file (downloaded there, same SHA-256), and a 10 MB PDF answer
 * uploaded on the web page reaches the reporter on Telegram. The bot runs as a child process
 * (`liaison start`, SQLite, Redis) against the fake Bot API; the spokesperson is a web client of
 * its HTTP API. Figures: each leg's end-to-end time, and how much the bot's peak resident set grew
 * while the files went through (files are streamed: it must not grow by a file's size).
 */
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createFakeTelegram, type FakeTelegram, type FakeUser, type SentRecord } from '../fakes/telegram-bot-api.js';
import { createWebClient, type WebClient } from '../fakes/web/client.js';
import { sample, sha256 } from '../helpers/files.js';
import { deletePrefix, TEST_REDIS_URL } from '../helpers/redis.js';
import { round, type BenchRow } from './bench-helpers.js';
import { benchPrefix } from './bench-db.js';
import { botEnvironment, startBot, type BotProcess } from './bot-process.js';
import { findButton } from './sent-watch.js';

const TOKEN = '987654321:BenchTokenForTheFakeBotApi_files1';
const MB = 1024 * 1024;
const STEP_TIMEOUT_MS = 120_000;
const reporter: FakeUser = { id: 8_200_001, first_name: 'Thư', language_code: 'vi' };

interface Timeline {
  id: string; text: string; from: string; files?: Array<{ id: string; sha256?: string; sizeBytes: number }>;
  buttons?: Array<Array<{ label: string; action: string; payload: string }>>;
}

/** Runs the two legs once (`quick`: 5 MB and 2 MB files instead of 20 and 10). */
export async function benchFiles(options: { quick: boolean; log: (m: string) => void }): Promise<BenchRow[]> {
  const questionBytes = options.quick ? 5 * MB : 20 * MB;
  const answerBytes = options.quick ? 2 * MB : 10 * MB;
  const dir = mkdtempSync(join(tmpdir(), 'liaison-bench-files-'));
  const prefix = benchPrefix();
  const fake = createFakeTelegram({ token: TOKEN, bot: { username: 'hue_files_bench_bot' } });
  let bot: BotProcess | undefined;
  try {
    await fake.start();
    const port = await freePort();
    const env = botEnvironment({
      TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, TELEGRAM_MODE: 'polling', DATABASE_URL: join(dir, 'bot.sqlite'),
      REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port), DATA_DIR: dir,
      LOG_LEVEL: process.env.BENCH_BOT_LOG_LEVEL ?? 'warn',
    });
    options.log('files: starting the bot');
    bot = await startBot(env, () => fake.longPollWaiting);
    const running = bot;
    const guard = <T>(p: Promise<T>): Promise<T> => Promise.race([p, running.died]);
    const base = `http://127.0.0.1:${port}`;
    const web = await guard(signInSpokesperson(base));
    await guard(say(fake, reporter, '/start pv-hue-01', 'Xin chào'));
    // The same two legs with small files first: what a transfer costs in buffers and garbage
    // whatever its size is then already in the peak; a file held whole would add its size again.
    options.log('files: warm-up with 4 MB and 2 MB files');
    const peakCold = bot.peakRssBytes();
    const warm = await guard(askWithDocument(fake, web, base, 4 * MB));
    await guard(answerWithPdf(fake, web, warm.noticeId, 2 * MB));
    const peakBefore = bot.peakRssBytes();
    options.log(`files: ${questionBytes / MB} MB question`);
    const question = await guard(askWithDocument(fake, web, base, questionBytes));
    options.log(`files: ${answerBytes / MB} MB answer`);
    const answer = await guard(answerWithPdf(fake, web, question.noticeId, answerBytes));
    const peakAfter = bot.peakRssBytes();
    const code = await bot.stop();
    if (code !== 0) throw new Error(`the bot exited with code ${String(code)}:\n${bot.output()}`);
    const growthMb = round(Math.max(0, peakAfter - peakBefore) / MB);
    const warmMb = round(Math.max(0, peakBefore - peakCold) / MB);
    return [
      { name: `files: ${questionBytes / MB} MB document in (Telegram getFile → checked, stored)`, value: round(question.inMs / 1000, 2), unit: 's', bound: '≤ 10' },
      { name: `files: question with it → spokesperson on the web (listed, downloaded, same SHA-256)`, value: round(question.toWebMs / 1000, 2), unit: 's', bound: '≤ 15' },
      { name: `files: ${answerBytes / MB} MB PDF answer, web upload → reporter on Telegram`, value: round(answer.ms / 1000, 2), unit: 's', bound: '≤ 15' },
      { name: 'files: bot peak RSS growth over the warm-up (first transfers: buffers, garbage)', value: warmMb, unit: 'MB', bound: '–' },
      {
        name: `files: bot peak RSS growth over both (after a 4 MB + 2 MB warm-up)`, value: growthMb, unit: 'MB', bound: `< ${questionBytes / MB}`,
        figure: `${growthMb} MB (peak ${round(peakBefore / MB)} → ${round(peakAfter / MB)} MB)`,
      },
    ];
  } finally {
    await bot?.stop(5000).catch(() => undefined);
    await fake.stop().catch(() => undefined);
    await deletePrefix(prefix).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The question: the document with a caption, then topic and "Gửi"; times the fetch-and-store and the way to the web page. */
async function askWithDocument(fake: FakeTelegram, web: WebClient, base: string, size: number): Promise<{ inMs: number; toWebMs: number; noticeId: string }> {
  const bytes = sample.pdf(size, 13);
  const n = fake.sent.length;
  const t0 = performance.now();
  fake.userSendsFile(reporter, { kind: 'document', bytes, name: 'ho-so-du-an.pdf', mimeType: 'application/pdf', caption: 'Hồ sơ dự án đường ven biển, Sở trả lời giúp?' });
  const topic = await next(fake, n, (s) => s.text.includes('lĩnh vực nào'));
  const inMs = performance.now() - t0;
  const confirm = await press(fake, topic, 'Y tế', (s) => s.text.includes('Xác nhận gửi'));
  const seen = lastId(await web.get('/web/api/messages'));
  const t1 = performance.now();
  await press(fake, confirm, 'Gửi', (s) => s.text.includes('Đã tiếp nhận'));
  const entries = await poll(async () => {
    const list = (await web.get(`/web/api/messages?after=${seen}`)).body.messages as Timeline[];
    return list.some((m) => m.files?.length) ? list : undefined;
  });
  const file = entries.find((m) => m.files?.length)!.files![0]!;
  const res = await fetch(`${base}/web/api/file?id=${file.id}`, { headers: { cookie: web.cookie! } });
  const got = sha256(Buffer.from(await res.arrayBuffer()));
  if (got !== sha256(bytes)) throw new Error('the spokesperson downloaded different bytes');
  const notice = entries.find((m) => /Q-\d+/.test(m.text))!;
  return { inMs, toWebMs: performance.now() - t1, noticeId: notice.id };
}

/** The answer: the spokesperson uploads the PDF on the web page and replies to the notification with it. */
async function answerWithPdf(fake: FakeTelegram, web: WebClient, noticeId: string, size: number): Promise<{ ms: number }> {
  const bytes = sample.pdf(size, 14);
  const t0 = performance.now();
  const up = await web.post('/web/api/files', undefined, { raw: bytes, contentType: 'application/pdf', headers: { 'x-file-name': encodeURIComponent('Công văn trả lời.pdf') } });
  if (up.status !== 200) throw new Error(`upload refused: ${up.status} ${JSON.stringify(up.body)}`);
  const seen = lastId(await web.get('/web/api/messages'));
  const sent = await web.post('/web/api/messages', { text: 'Sở gửi công văn trả lời kèm theo.', replyTo: noticeId, clientId: web.newClientId(), files: [up.body.ref] });
  if (sent.status !== 200) throw new Error(`answer refused: ${sent.status} ${JSON.stringify(sent.body)}`);
  // The answer is previewed first; it goes out with [Gửi câu trả lời].
  const preview = await poll(async () => ((await web.get(`/web/api/messages?after=${seen}`)).body.messages as Timeline[]).find((m) => m.text.includes('CHƯA GỬI')));
  const button = preview.buttons?.flat().find((b) => b.label === 'Gửi câu trả lời');
  if (!button) throw new Error('no [Gửi câu trả lời] on the preview');
  const pressed = await web.post('/web/api/buttons', { messageId: preview.id, action: button.action, payload: button.payload, clientId: web.newClientId() });
  if (pressed.status !== 200) throw new Error(`confirmation refused: ${pressed.status} ${JSON.stringify(pressed.body)}`);
  await next(fake, 0, (s) => s.chatId === reporter.id && s.file?.sha256 === sha256(bytes));
  return { ms: performance.now() - t0 };
}

async function signInSpokesperson(base: string): Promise<WebClient> {
  const web = createWebClient(base);
  const signed = await web.signIn('pn-syte-01');
  if (signed.status !== 200) throw new Error(`web sign-in: ${signed.status} ${JSON.stringify(signed.body)}`);
  await poll(async () => ((await web.get('/web/api/messages')).body.messages as Timeline[]).find((m) => m.text.includes('Xin chào')));
  return web;
}

function lastId(reply: { body: Record<string, unknown> }): number {
  const list = reply.body.messages as Timeline[];
  return Number(list.at(-1)?.id ?? 0);
}

async function say(fake: FakeTelegram, user: FakeUser, text: string, expect: string): Promise<SentRecord> {
  const n = fake.sent.length;
  fake.userSends(user, text);
  return next(fake, n, (s) => s.chatId === user.id && s.text.includes(expect));
}

async function press(fake: FakeTelegram, on: SentRecord, label: string, expect: (s: SentRecord) => boolean): Promise<SentRecord> {
  const button = findButton(on, label);
  if (!button) throw new Error(`no button ${label}`);
  const n = fake.sent.length;
  fake.userPresses(reporter, on.messageId, button.callback_data);
  return next(fake, n, (s) => s.chatId === reporter.id && expect(s));
}

function next(fake: FakeTelegram, since: number, pred: (s: SentRecord) => boolean): Promise<SentRecord> {
  return fake.waitFor(() => fake.sent.slice(since).find((s) => pred(s)), { timeoutMs: STEP_TIMEOUT_MS, description: 'a message of the files bench' });
}

async function poll<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('files bench: timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
