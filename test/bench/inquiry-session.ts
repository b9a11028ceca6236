/**
 * One benchmark session: a fake Bot API in this process, the bot as a child process on a fresh
 * database and Redis prefix, N extra verified reporters imported before the start, and the
 * helpers that play reporters and the Sở Y tế spokesperson against it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createFakeTelegram, type FakeTelegram, type FakeUser, type SentRecord } from '../fakes/telegram-bot-api.js';
import { deletePrefix, TEST_REDIS_URL } from '../helpers/redis.js';
import { mapLimit } from './bench-helpers.js';
import { benchPrefix, createPostgresDatabase, sqliteDatabase, type BenchDatabase } from './bench-db.js';
import { botEnvironment, freePort, readDbCounters, runLiaison, startBot, type BotProcess, type DbCounters } from './bot-process.js';
import { findButton, SentWatch } from './sent-watch.js';

const TOKEN = '987654321:BenchTokenForTheFakeBotApi_abcdef';
const SPOKESPERSON_INVITE = 'pn-syte-01';
const TOPIC_LABEL = 'Y tế';
const SEND_LABEL = 'Gửi';
const WELCOME = 'Xin chào';
const ACCEPTED = 'Đã tiếp nhận câu hỏi';
const TOKEN_PATTERN = /\[bench:([a-z0-9-]+)\]/;
const CODE_PATTERN = /Q-\d+/;
/** How long one step of the (untimed) preparation may take. */
const STEP_TIMEOUT_MS = 60_000;
/** Dialogs prepared (or reporters linked) in parallel. */
const SETUP_CONCURRENCY = 100;

/** Which database the session runs on. */
export type SessionDatabase = { kind: 'sqlite' } | { kind: 'postgres'; serverUrl: string };

/** An inquiry ready to be sent: the reporter only has to press "Gửi". */
export interface PreparedInquiry {
  reporter: FakeUser;
  token: string;
  questionMessageId: number;
  confirmMessageId: number;
  sendData: string;
}

/** What is known about one prepared inquiry once its "Gửi" was pressed. */
export interface InquiryOutcome {
  pressedAt?: number;
  /** `performance.now()` when the fake accepted the spokesperson's notification. */
  notifiedAt?: number;
  /** The code in the spokesperson's notification. */
  notifiedCode?: string;
  /** The code in the reporter's "Đã tiếp nhận" confirmation. */
  acceptedCode?: string;
  /** `performance.now()` when the fake accepted that confirmation (its `Date`, so ms resolution). */
  acceptedAt?: number;
}

/**
 * The inquiry tokens a spokesperson's message carries, each with its code: one for a notice, one
 * per line for a digest (`• Q-12: <question excerpt> [bench:…]`).
 */
export function tokensOf(text: string): Array<{ token: string; code: string | undefined }> {
  const lines = text.split('\n').filter((l) => TOKEN_PATTERN.test(l));
  if (lines.length > 1) return lines.map((l) => ({ token: TOKEN_PATTERN.exec(l)![1]!, code: CODE_PATTERN.exec(l)?.[0] }));
  const token = TOKEN_PATTERN.exec(text)?.[1];
  return token ? [{ token, code: CODE_PATTERN.exec(text)?.[0] }] : [];
}

/** Records, per inquiry token, the press and the resulting messages. */
export class InquiryTracker {
  readonly outcomes = new Map<string, InquiryOutcome>();
  private readonly callAt = new Map<string, number>();
  private readonly byQuestion = new Map<string, string>();
  /** Messages the spokesperson's chat received that carried inquiries, and how many of them were digests. */
  spokespersonMessages = 0;
  digests = 0;

  constructor(watch: SentWatch, private readonly spokespersonChat: number) {
    watch.onSendCall((chatId, text, at) => {
      if (chatId !== spokespersonChat) return;
      // The latest attempt: the accepted one is read (from the record) before any retry could happen.
      for (const { token } of tokensOf(text)) this.callAt.set(token, at);
    });
    watch.onRecord((sent) => this.onRecord(sent));
  }

  /** Remembers which question message belongs to which token (to match the reporter's confirmation). */
  expect(p: PreparedInquiry): void {
    this.byQuestion.set(`${p.reporter.id}:${p.questionMessageId}`, p.token);
    this.outcomes.set(p.token, {});
  }

  /** The outcome of `token` (created on first use). */
  outcome(token: string): InquiryOutcome {
    let o = this.outcomes.get(token);
    if (!o) this.outcomes.set(token, (o = {}));
    return o;
  }

  private onRecord(sent: SentRecord): void {
    if (sent.chatId === this.spokespersonChat) {
      const carried = tokensOf(sent.text);
      if (carried.length === 0) return;
      this.spokespersonMessages += 1;
      if (carried.length > 1) this.digests += 1;
      for (const { token, code } of carried) {
        const o = this.outcome(token);
        if (o.notifiedAt !== undefined) continue;
        // The interceptor's stamp is taken in the tick the fake accepts the call; the record's Date is the fallback.
        o.notifiedAt = this.callAt.get(token) ?? sent.at.getTime() - performance.timeOrigin;
        o.notifiedCode = code;
      }
      return;
    }
    if (sent.replyToMessageId === undefined || !sent.text.includes(ACCEPTED)) return;
    const token = this.byQuestion.get(`${sent.chatId}:${sent.replyToMessageId}`);
    if (!token) return;
    const o = this.outcome(token);
    o.acceptedCode = CODE_PATTERN.exec(sent.text)?.[0];
    o.acceptedAt = sent.at.getTime() - performance.timeOrigin;
  }
}

/** A running session; see the module comment. */
export interface Session {
  label: string;
  fake: FakeTelegram;
  watch: SentWatch;
  bot: BotProcess;
  tracker: InquiryTracker;
  reporters: FakeUser[];
  /** Races `promise` against the bot dying. */
  guard<T>(promise: Promise<T>): Promise<T>;
  /** Prepares one inquiry per reporter given (question sent, topic chosen, confirmation shown). */
  prepare(reporters: readonly FakeUser[], batch: string): Promise<PreparedInquiry[]>;
  /** Presses "Gửi" of `p` and records the moment (t0). */
  press(p: PreparedInquiry): void;
  /** What the bot counted of its database work so far (`db_statements_total`, `db_commits_total`). */
  counters(): Promise<DbCounters>;
}

/** What {@link withSession} returns: the body's result and the bot's memory figures. */
export interface SessionResult<T> {
  result: T;
  /** Resident set right after the start (sample and reporters in the database, nobody linked yet). */
  startRssBytes: number;
  /** Peak resident set (VmHWM), read just before the stop. */
  peakRssBytes: number;
  session: Session;
  /** Why the bot's exit on SIGTERM was not clean (code ≠ 0), if it was not. */
  stopProblem?: string;
}

/** Options of {@link withSession}. */
export interface SessionOptions {
  database: SessionDatabase;
  reporterCount: number;
  log: (message: string) => void;
}

/**
 * Sets up a session, runs `body` in it, and always tears it down (bot stopped, database dropped,
 * Redis keys deleted, temp dir removed). `body` gets the session; its result is returned with
 * the bot's memory figures.
 */
export async function withSession<T>(o: SessionOptions, body: (s: Session) => Promise<T>): Promise<SessionResult<T>> {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-bench-'));
  const prefix = benchPrefix();
  const fake = createFakeTelegram({ token: TOKEN, bot: { username: 'hue_lienlac_bench_bot' } });
  let db: BenchDatabase | undefined;
  let bot: BotProcess | undefined;
  let watch: SentWatch | undefined;
  try {
    await fake.start();
    watch = new SentWatch(fake);
    db = o.database.kind === 'sqlite' ? sqliteDatabase(dir) : await createPostgresDatabase(o.database.serverUrl);
    const httpPort = await freePort();
    const env = botEnvironment({
      TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, TELEGRAM_MODE: 'polling', DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(httpPort), DATA_DIR: dir,
      // Investigation knob: BENCH_BOT_LOG_LEVEL=debug (the notes then count the bot's log messages).
      LOG_LEVEL: process.env.BENCH_BOT_LOG_LEVEL ?? 'warn',
      // Investigation knob: BENCH_LOW_MEMORY=false measures the bot with V8 favouring speed.
      ...(process.env.BENCH_LOW_MEMORY ? { LOW_MEMORY: process.env.BENCH_LOW_MEMORY } : {}),
    });
    const reporters = await importReporters(env, dir, o.reporterCount, o.log);
    o.log(`${db.label}: starting the bot`);
    bot = await startBot(env, () => fake.longPollWaiting, botNodeArgs());
    const startRssBytes = bot.rssBytes();
    const session = createSession(db.label, fake, watch, bot, reporters, () => readDbCounters(httpPort));
    await linkEveryone(session, o.log);
    const result = await body(session);
    const peakRssBytes = bot.peakRssBytes();
    const code = await bot.stop();
    // The figures stand; a stop that failed (e.g. "graceful stop timed out" under load) is reported beside them.
    const stopProblem = code === 0 ? undefined : `the bot exited with code ${String(code)} on SIGTERM: ${bot.problems.slice(-3).join(' | ').slice(0, 600)}`;
    return { result, startRssBytes, peakRssBytes, session, ...(stopProblem ? { stopProblem } : {}) };
  } finally {
    await bot?.stop(5000).catch(() => undefined);
    watch?.close();
    await fake.stop().catch(() => undefined);
    await db?.drop().catch((err: unknown) => o.log(`could not drop the bench database: ${String(err)}`));
    await deletePrefix(prefix).catch((err: unknown) => o.log(`could not delete Redis prefix ${prefix}: ${String(err)}`));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Extra `node` options for the bot process only, from BENCH_BOT_NODE_ARGS (space-separated), for
 * investigations: e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` or `--max-old-space-size=128`.
 */
function botNodeArgs(): string[] {
  return (process.env.BENCH_BOT_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}

/** Loads the sample, then imports `count` verified reporters of Báo Huế; returns them as fake users. */
async function importReporters(env: NodeJS.ProcessEnv, dir: string, count: number, log: (m: string) => void): Promise<FakeUser[]> {
  log(`importing the sample and ${count} bench reporters`);
  await runLiaison(['sample'], env);
  const file = join(dir, 'bench-people.csv');
  writeFileSync(file, reportersCsv(count));
  await runLiaison(['import', 'people', file], env);
  return Array.from({ length: count }, (_, i) => ({ id: 8_100_001 + i, first_name: `PV${pad(i + 1)}`, language_code: 'vi' }));
}

/** The people CSV of `count` reporters with invite codes `bench-r-0001`…. */
export function reportersCsv(count: number): string {
  const header = 'person_code,full_name,role,kind,org_code,outlet_code,press_card,phone,locale,invite_code,valid_from,valid_to,case_code';
  const lines = Array.from({ length: count }, (_, i) => {
    const n = pad(i + 1);
    return `BENCH-R-${n},Phóng viên Bench ${n},reporter,,,HUE,BENCH-CARD-${n},,vi,${inviteOf(i)},,,`;
  });
  return `${[header, ...lines].join('\n')}\n`;
}

function inviteOf(index: number): string {
  return `bench-r-${pad(index + 1)}`;
}

function pad(n: number): string {
  return String(n).padStart(4, '0');
}

const SPOKESPERSON: FakeUser = { id: 8_000_001, first_name: 'Tuấn', language_code: 'vi' };

function createSession(label: string, fake: FakeTelegram, watch: SentWatch, bot: BotProcess, reporters: FakeUser[], counters: () => Promise<DbCounters>): Session {
  const tracker = new InquiryTracker(watch, SPOKESPERSON.id);
  const session: Session = {
    label, fake, watch, bot, tracker, reporters, counters,
    guard: (promise) => Promise.race([promise, bot.died]),
    prepare: (users, batch) => session.guard(mapLimit(users, SETUP_CONCURRENCY, (u, i) => prepareOne(session, u, `${batch}-${pad(i + 1)}`))),
    press: (p) => {
      tracker.outcome(p.token).pressedAt = performance.now();
      fake.userPresses(p.reporter, p.confirmMessageId, p.sendData);
    },
  };
  return session;
}

/** `/start <invite>` for the spokesperson and every reporter; waits for each welcome. */
async function linkEveryone(s: Session, log: (m: string) => void): Promise<void> {
  log(`${s.label}: linking the spokesperson and ${s.reporters.length} reporters`);
  const link = async (user: FakeUser, invite: string) => {
    const welcome = s.watch.next(user.id, (m) => m.text.includes(WELCOME), STEP_TIMEOUT_MS, `welcome after /start ${invite}`);
    s.fake.userSends(user, `/start ${invite}`);
    await welcome;
  };
  await s.guard(link(SPOKESPERSON, SPOKESPERSON_INVITE));
  await s.guard(mapLimit(s.reporters, SETUP_CONCURRENCY, (u, i) => link(u, inviteOf(i))));
}

/** Question → topic "Y tế" → confirmation with "Gửi" (the press itself is left to the caller). */
async function prepareOne(s: Session, reporter: FakeUser, token: string): Promise<PreparedInquiry> {
  const prompt = s.watch.next(reporter.id, (m) => findButton(m, TOPIC_LABEL) !== undefined, STEP_TIMEOUT_MS, 'topic prompt');
  const question = s.fake.userSends(reporter, `Số ca sốt xuất huyết tại Huế tuần này là bao nhiêu? [bench:${token}]`);
  const topicMessage = await prompt;
  const confirm = s.watch.next(reporter.id, (m) => findButton(m, SEND_LABEL) !== undefined, STEP_TIMEOUT_MS, 'confirmation');
  s.fake.userPresses(reporter, topicMessage.messageId, findButton(topicMessage, TOPIC_LABEL)!.callback_data);
  const confirmation = await confirm;
  const prepared: PreparedInquiry = {
    reporter, token, questionMessageId: question.message_id,
    confirmMessageId: confirmation.messageId, sendData: findButton(confirmation, SEND_LABEL)!.callback_data,
  };
  s.tracker.expect(prepared);
  return prepared;
}
