/**
 * One fault-suite session: the bot as `npm start` runs it (a child `liaison start`), on SQLite or
 * on a database of a private PostgreSQL server, with a private redis-server, Telegram in polling
 * mode against the fake Bot API through a hold proxy (which can keep a delivered send unanswered),
 * optionally the Zalo OA channel against the fake OA server, and a steady load of reporters (on
 * Telegram and the OA) and a Telegram spokesperson (test/helpers/crash-load.ts, zalo-load.ts).
 * Test code only.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from '../../db/client.js';
import { botEnvironment, freePort, runLiaison, startBot, type BotProcess } from '../bench/bot-process.js';
import { reportersCsv } from '../bench/inquiry-session.js';
import { SentWatch } from '../bench/sent-watch.js';
import { createFakeTelegram, type FakeApiError, type FakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.js';
import { TEST_APP_ID, TEST_APP_SECRET, TEST_OA_SECRET } from '../fakes/zalo-oa/harness.js';
import { createFakeZaloOa, type FakeZaloOa, type OaScriptedError } from '../fakes/zalo-oa/server.js';
import { InquiryLoad } from '../helpers/crash-load.js';
import { startHoldProxy, type HoldProxy } from '../helpers/hold-proxy.js';
import type { PrivatePostgres } from '../helpers/private-postgres.js';
import type { TestRedis } from '../helpers/private-redis.js';
import { ZaloLoad } from './zalo-load.js';

export type DbKind = 'sqlite' | 'postgres';

const TOKEN = '555777999:FaultSuiteTokenForTheFakeBotApi_abc';
const SPOKESPERSON: FakeUser = { id: 8_000_001, first_name: 'Tuấn', language_code: 'vi' };

/** One outbox row as the accounting needs it (times in ms since the epoch, the bot's own stamps). */
export interface OutboxView {
  id: number;
  chat_id: string;
  text: string;
  status: string;
  lease_owner: string | null;
  createdAt: number;
  sentAt: number | undefined;
  resent_in_flight: number;
}

/** A log line of the bot: its pino `time` (ms) and `msg`. */
export interface LogLine {
  at: number;
  msg: string;
  line: string;
}

export interface SessionOptions {
  db: DbKind;
  /** Required for `postgres`: the private server the session's database is created on. */
  pg?: PrivatePostgres;
  redis: TestRedis;
  reporters: number;
  /** Reporters on the Zalo OA (besides the Telegram ones); default 0 (no OA channel). */
  zaloReporters?: number;
  /** Pause of each reporter between questions, in ms. */
  pauseMs: number;
  /** Ceiling of every wait, in ms (a ceiling, not a measure). */
  waitMs: number;
  log: (message: string) => void;
}

/** The running session; see the module comment. */
export class FaultSession {
  readonly spokesperson = SPOKESPERSON;
  readonly lines: LogLine[] = [];
  bot: BotProcess | undefined;
  /** Times a bot process exited by itself (not killed or stopped by the suite). */
  unexpectedExits = 0;
  private platformFault: FakeApiError | undefined;

  private constructor(
    readonly o: SessionOptions, readonly dir: string, readonly dbUrl: string, readonly fake: FakeTelegram,
    readonly proxy: HoldProxy, readonly watch: SentWatch, readonly env: NodeJS.ProcessEnv, readonly load: InquiryLoad,
    private readonly reporterUsers: FakeUser[], readonly oa?: FakeZaloOa, readonly zalo?: ZaloLoad,
  ) {
    fake.addInterceptor((call) => (call.method === 'sendMessage' ? this.platformFault : undefined));
  }

  static async open(o: SessionOptions): Promise<FaultSession> {
    const dir = mkdtempSync(join(tmpdir(), `liaison-faults-${o.db}-`));
    let dbUrl = join(dir, 'bot.sqlite');
    if (o.db === 'postgres') {
      if (!o.pg) throw new Error('a postgres session needs a private server');
      dbUrl = await o.pg.createDatabase('faults');
    }
    const fake = createFakeTelegram({ token: TOKEN, bot: { username: 'hue_faults_bot' } });
    await fake.start();
    const proxy = await startHoldProxy(fake.apiRoot);
    const watch = new SentWatch(fake);
    const zaloCount = o.zaloReporters ?? 0;
    const oa = zaloCount > 0 ? createFakeZaloOa({ appId: TEST_APP_ID, appSecret: TEST_APP_SECRET }) : undefined;
    await oa?.start();
    const pair = oa?.issueTokens();
    const port = await freePort();
    const env = botEnvironment({
      TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: proxy.root, TELEGRAM_MODE: 'polling', DATABASE_URL: dbUrl,
      REDIS_URL: o.redis.url, QUEUE_PREFIX: 'faults', HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port), DATA_DIR: dir,
      LOG_LEVEL: 'info', WEB_ENABLED: 'false',
      // The load's spokesperson answers each notice by replying to it; a digest (which a slow,
      // loaded machine can trigger) carries only buttons to reopen them, so it is off here.
      OUTBOX_DIGEST_THRESHOLD: '0',
      ...(oa && pair ? {
        ZALO_OA_APP_ID: TEST_APP_ID, ZALO_OA_APP_SECRET: TEST_APP_SECRET, ZALO_OA_SECRET_KEY: TEST_OA_SECRET,
        ZALO_OA_OPENAPI_URL: oa.origin, ZALO_OA_OAUTH_URL: oa.origin, ZALO_OA_ZNS_URL: oa.origin,
        ZALO_OA_ACCESS_TOKEN: pair.access_token, ZALO_OA_REFRESH_TOKEN: pair.refresh_token,
      } : {}),
    });
    await runLiaison(['sample'], env);
    writeFileSync(join(dir, 'people.csv'), reportersCsv(o.reporters + zaloCount));
    await runLiaison(['import', 'people', join(dir, 'people.csv')], env);
    const reporters: FakeUser[] = Array.from({ length: o.reporters }, (_, i) => ({ id: 8_100_001 + i, first_name: `PV${i + 1}`, language_code: 'vi' }));
    const load = new InquiryLoad(fake, watch, reporters, SPOKESPERSON, o.pauseMs);
    load.running = false;
    const zaloUsers = Array.from({ length: zaloCount }, (_, i) => `71000000000000000${String(i + 1).padStart(2, '0')}`);
    const zalo = oa ? new ZaloLoad(oa, `http://127.0.0.1:${port}/webhooks/zalo-oa`, zaloUsers, load.state, o.pauseMs, () => load.running) : undefined;
    const s = new FaultSession(o, dir, dbUrl, fake, proxy, watch, env, load, reporters, oa, zalo);
    await s.startBot();
    const link = async (user: FakeUser, invite: string) => {
      const n = fake.sent.length;
      fake.userSends(user, `/start ${invite}`);
      await fake.waitFor(() => fake.sent.slice(n).find((m) => m.chatId === user.id && m.text.includes('Xin chào')), { timeoutMs: o.waitMs, description: `welcome ${invite}` });
    };
    const linkZalo = async (user: string, invite: string) => {
      const n = oa!.sent.length;
      await zalo!.send(user, invite);
      await oa!.waitFor(() => oa!.sent.slice(n).find((m) => m.userId === user && m.text.includes('Xin chào')), o.waitMs, `Zalo welcome ${invite}`);
    };
    await link(SPOKESPERSON, 'pn-syte-01');
    await Promise.all(reporters.map((r, i) => link(r, `bench-r-${String(i + 1).padStart(4, '0')}`)));
    await Promise.all(zaloUsers.map((u, i) => linkZalo(u, `bench-r-${String(o.reporters + i + 1).padStart(4, '0')}`)));
    return s;
  }

  /** Starts `liaison start`; resolves once its first long poll arrived. */
  async startBot(): Promise<void> {
    const bot = await startBot(this.env, () => this.fake.longPollWaiting, [], 120_000, (line) => this.onLine(line));
    this.bot = bot;
    bot.died.catch(() => { if (this.bot === bot) this.unexpectedExits += 1; });
  }

  /** SIGKILL, then waits for the exit and for its sockets to close (its long poll ends). */
  async kill9(): Promise<void> {
    const bot = this.bot!;
    this.bot = undefined;
    process.kill(bot.pid, 'SIGKILL');
    await bot.stop(5000);
    await this.fake.waitFor(() => !this.fake.longPollWaiting, { timeoutMs: this.o.waitMs, description: 'the dead process\'s long poll closed' });
  }

  /**
   * Every sendMessage is refused with `telegram` (429, 5xx…), and every OA send with `zalo`, until
   * {@link clearPlatformFault}.
   */
  setPlatformFault(telegram: FakeApiError, zalo: OaScriptedError): void {
    this.platformFault = telegram;
    this.oa?.failEverySend(zalo);
  }

  clearPlatformFault(): void {
    this.platformFault = undefined;
    this.oa?.failEverySend(undefined);
  }

  /** The first log line at or after `since` (ms) whose msg starts with `msg`. */
  loggedAfter(msg: string, since: number): LogLine | undefined {
    return this.lines.find((l) => l.at >= since && l.msg.startsWith(msg));
  }

  /** Interactive outbox rows (the load's messages), read through a short-lived connection. */
  async readRows(afterId = 0): Promise<OutboxView[]> {
    const handle = createDb({ url: this.dbUrl });
    try {
      const rows = await handle.db.selectFrom('outbox')
        .select(['id', 'chat_id', 'text', 'status', 'lease_owner', 'created_at', 'sent_at', 'resent_in_flight'])
        // An edit row (a settled keyboard, a corrected text) changes a message already counted: not a message of its own.
        .where('queue', '=', 'outbox').where('edit_of_outbox_id', 'is', null).where('id', '>', afterId).orderBy('id').execute();
      return rows.map((r) => ({
        id: Number(r.id), chat_id: r.chat_id, text: r.text, status: r.status, lease_owner: r.lease_owner,
        createdAt: Date.parse(r.created_at), sentAt: r.sent_at ? Date.parse(r.sent_at) : undefined, resent_in_flight: Number(r.resent_in_flight),
      }));
    } finally {
      await handle.close();
    }
  }

  async maxOutboxId(): Promise<number> {
    const rows = await this.readRows();
    return rows.length === 0 ? 0 : rows[rows.length - 1]!.id;
  }

  /** Resumes the load: every reporter asks a new question. */
  resumeLoad(): void {
    this.load.running = true;
    this.load.start();
    this.zalo?.start();
  }

  /**
   * Stops asking and waits until every question asked was answered, every Zalo event acknowledged,
   * no row is pending and the fakes have been quiet for a second.
   */
  async drain(): Promise<void> {
    this.load.running = false;
    const deadline = Date.now() + this.o.waitMs * 4;
    let lastCount = -1;
    let quietSince = Date.now();
    let reported = false;
    for (;;) {
      if (!reported && Date.now() > deadline - this.o.waitMs * 3.5) {
        reported = true;
        const missing = [...this.load.state.asked.keys()].filter((t) => !this.load.state.answered.has(t));
        this.o.log(`drain is slow: unanswered ${missing.join(', ')}; pending rows ${(await this.readRows()).filter((r) => r.status === 'pending').length}`);
      }
      if (this.deliveredCount() !== lastCount) {
        lastCount = this.deliveredCount();
        quietSince = Date.now();
      }
      if (this.load.allAnswered() && (this.zalo?.pendingPosts ?? 0) === 0 && Date.now() - quietSince > 1000) {
        const pending = (await this.readRows()).filter((r) => r.status === 'pending');
        if (pending.length === 0) return;
      }
      if (Date.now() > deadline) {
        const missing = [...this.load.state.asked.keys()].filter((t) => !this.load.state.answered.has(t));
        const zalo = missing.map((t) => this.zalo?.describe(t)).filter((d) => d !== undefined);
        throw new Error(`not drained: unanswered ${missing.join(', ')}${zalo.length > 0 ? `\n${zalo.join('\n')}` : ''}; bot output:\n${this.bot?.output().slice(-3000) ?? '(no bot)'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Messages the fake platforms accepted so far (Telegram and the Zalo OA). */
  deliveredCount(): number {
    return this.fake.sent.length + (this.oa?.sent.length ?? 0);
  }

  async close(): Promise<void> {
    await this.bot?.stop(10_000);
    this.bot = undefined;
    this.zalo?.stop();
    this.watch.close();
    await this.proxy.close();
    await this.fake.stop();
    await this.oa?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  get reporters(): readonly FakeUser[] {
    return this.reporterUsers;
  }

  private onLine(line: string): void {
    const json = line.indexOf('{');
    if (json < 0) return;
    try {
      const entry = JSON.parse(line.slice(json)) as { time?: string; msg?: string };
      if (entry.time && entry.msg) this.lines.push({ at: Date.parse(entry.time), msg: entry.msg, line });
    } catch {
      // A line that is not pino JSON (a stack trace): not a timed event.
    }
  }
}
