/**
 * Broadcast benchmark (issue #5): 12,000 recipients (`--quick`: fewer) over the fake Bot API,
 * the bot run as real child processes. (a) no platform limit: the bot's own throughput;
 * (b) the fake enforcing 30 msg/s (the bot paced at 28/s) overall and 1 msg/s per chat with 429s: completion time against
 * the floor N / 30 s, 429s, missed and duplicates, and an interactive reply's latency meanwhile;
 * (c) killed (SIGKILL) half-way and restarted: missed and duplicates against the in-flight re-sends;
 * (d) (b) with two processes (`start` + `start --role worker`): the limit still holds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from '../../db/client.js';
import { migrateToLatest } from '../../db/migrate.js';
import { createFakeTelegram, createRateLimiter, type FakeTelegram, type RateLimiter } from '../fakes/telegram-bot-api.js';
import { E2E_TOKEN } from '../helpers/e2e-app.js';
import { seedContacts } from '../helpers/notice-fixture.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { round, type BenchRow } from './bench-helpers.js';
import { botEnvironment, readStatusKb, REPO_ROOT, runLiaison, startBot, type BotProcess } from './bot-process.js';

const TITLE = 'Thông báo thử tải';
const LIMIT_PER_S = 30;
/** The bot's configured pace in the limited cases. */
const PACE_PER_S = 28;

interface Case {
  n: number;
  limited: boolean;
  workers: 1 | 2;
  killAtHalf?: boolean;
  log(m: string): void;
}

interface CaseResult {
  seconds: number;
  missed: number;
  duplicates: number;
  resent: number;
  refused: number;
  peakPerSecond: number;
  peakRssMb: number;
  interactiveMaxMs: number;
}

/** A `liaison start --role worker` child, ready once it logged its start-up reconciliation. */
function startWorker(env: NodeJS.ProcessEnv): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['src/liaison.mjs', 'start', '--role', 'worker'], { cwd: REPO_ROOT, env: { ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('worker did not start')), 60_000);
    child.stdout.on('data', (c: Buffer) => {
      if (c.toString().includes('reconciled undelivered')) {
        clearTimeout(timer);
        resolve({ pid: child.pid!, stop: async () => { child.kill('SIGTERM'); await exited; } });
      }
    });
    child.stderr.resume();
  });
}

/**
 * The notices the fake accepted so far, counted incrementally: the fake evaluates a wait's probe on
 * every call, and rescanning 12,000 records each time would slow the fake (and so the figures) down.
 */
function trackNotices(fake: FakeTelegram): () => { total: number; chats: Set<number>; lastAtMs: number } {
  const state = { total: 0, chats: new Set<number>(), lastAtMs: 0 };
  let scanned = 0;
  return () => {
    for (; scanned < fake.sent.length; scanned += 1) {
      const s = fake.sent[scanned]!;
      if (!s.text.includes(TITLE)) continue;
      state.total += 1;
      state.chats.add(s.chatId);
      state.lastAtMs = Math.max(state.lastAtMs, s.at.getTime());
    }
    return state;
  };
}

async function runCase(c: Case): Promise<CaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-notice-bench-'));
  const prefix = uniquePrefix('notice-bench');
  const fake: FakeTelegram = createFakeTelegram({ token: E2E_TOKEN });
  const limiter: RateLimiter | undefined = c.limited ? createRateLimiter({ overallPerSecond: LIMIT_PER_S, perChatPerSecond: 1 }) : undefined;
  if (limiter) fake.addInterceptor(limiter.interceptor);
  await fake.start();
  const bots: BotProcess[] = [];
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  let peakKb = 0;
  const sample = () => {
    for (const pid of [...bots.map((b) => b.pid), ...(worker ? [worker.pid] : [])]) {
      try { peakKb = Math.max(peakKb, readStatusKb(pid, 'VmHWM')); } catch { /* exited */ }
    }
  };
  try {
    const dbUrl = join(dir, 'bot.sqlite');
    const handle = createDb({ url: dbUrl });
    await migrateToLatest(handle.db);
    await seedContacts(handle.db, fake, c.n);
    await handle.close();
    const env = botEnvironment({
      TELEGRAM_BOT_TOKEN: E2E_TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: dbUrl, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix,
      HTTP_PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'warn', LOAD_SAMPLE_IF_EMPTY: 'false', WEB_ENABLED: 'false', NOTICE_REMIND_AFTER_MS: '0',
      // Just under the fake's 30/s: evenly spaced sends at exactly the limit meet a rolling window
      // with no room for network jitter, and every 429 costs a whole second (retry_after ≥ 1).
      NOTICE_RATE_PER_S: c.limited ? `telegram=${PACE_PER_S}` : 'telegram=0', NOTICE_SEND_LEASE_MS: '3000', NOTICE_CONCURRENCY: '32',
    });
    bots.push(await startBot(env, () => fake.longPollWaiting));
    if (c.workers === 2) worker = await startWorker(env);
    const file = join(dir, 'notice.md');
    writeFileSync(file, `# ${TITLE}\n\nNội dung thông báo chính sách dùng để đo tải.\n`);
    const seen = trackNotices(fake);
    const distinct = () => seen().chats.size;
    const t0 = Date.now();
    await runLiaison(['notice', 'send', '--audience', 'org:PX', '--file', file, '--yes'], env);
    const rss = setInterval(sample, 200);
    const probe = { id: 8_999_999, first_name: 'Phóng viên' };
    const latencies: number[] = [];
    const interactive = c.limited ? setInterval(() => {
      const since = fake.sent.length;
      const at = Date.now();
      fake.userSends(probe, '/help');
      void fake.waitFor(() => fake.sent.slice(since).find((s) => s.chatId === probe.id), { timeoutMs: 30_000 })
        .then(() => latencies.push(Date.now() - at), () => latencies.push(30_000));
    }, 5000) : undefined;
    if (c.killAtHalf) {
      await fake.waitFor(() => seen().total >= c.n / 2, { timeoutMs: 600_000, description: 'half delivered' });
      process.kill(bots[0]!.pid, 'SIGKILL');
      await bots[0]!.stop(5000);
      c.log(`notices: killed at ${seen().total}/${c.n}; restarting`);
      bots.push(await startBot(env, () => fake.longPollWaiting));
    }
    await fake.waitFor(() => distinct() >= c.n, { timeoutMs: 3_600_000, description: 'every recipient reached' });
    clearInterval(rss);
    if (interactive) clearInterval(interactive);
    sample();
    const check = createDb({ url: dbUrl });
    const confirmed = await check.db.selectFrom('notices').select('confirmed_at').where('id', '=', 1).executeTakeFirst().finally(() => check.close());
    const from = confirmed?.confirmed_at ? Date.parse(confirmed.confirmed_at) : t0;
    const seconds = (seen().lastAtMs - from) / 1000;
    const status = await runLiaison(['notice', 'status', '1'], env);
    const resent = Number(/possible repeats\): (\d+)/.exec(status)?.[1] ?? '0');
    return {
      seconds, missed: c.n - distinct(), duplicates: seen().total - distinct(), resent, refused: limiter?.refused ?? 0,
      peakPerSecond: limiter?.peakPerSecond ?? 0, peakRssMb: peakKb / 1024, interactiveMaxMs: latencies.length > 0 ? Math.max(...latencies) : Number.NaN,
    };
  } finally {
    for (const bot of bots) await bot.stop(10_000);
    await worker?.stop();
    await fake.stop();
    await deletePrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs (a)–(d); `quick` uses fewer recipients (the rate-limited cases then take ~20 s each). */
export async function benchNotices(o: { quick: boolean; log(m: string): void }): Promise<BenchRow[]> {
  const big = o.quick ? 2000 : 12_000;
  const limitedN = o.quick ? 600 : 12_000;
  const rows: BenchRow[] = [];
  let peakRss = 0;
  const label = (n: number) => n.toLocaleString('en-US');

  o.log(`notices: (a) ${label(big)} recipients, no platform limit`);
  const a = await runCase({ n: big, limited: false, workers: 1, log: o.log });
  peakRss = Math.max(peakRss, a.peakRssMb);
  const throughput = big / a.seconds;
  rows.push({ name: `notices (a): ${label(big)} recipients, no platform limit: throughput`, value: round(throughput, 0), unit: 'msg/s', bound: '≥ 500 msg/s' });
  rows.push({ name: 'notices (a): missed / duplicates', figure: `${a.missed} / ${a.duplicates}`, value: a.missed + a.duplicates, unit: '', bound: '= 0 (missed + duplicates)' });

  o.log(`notices: (b) ${label(limitedN)} recipients, fake at ${LIMIT_PER_S}/s overall, 1/s per chat`);
  const b = await runCase({ n: limitedN, limited: true, workers: 1, log: o.log });
  peakRss = Math.max(peakRss, b.peakRssMb);
  const floor = limitedN / LIMIT_PER_S;
  rows.push({ name: `notices (b): ${label(limitedN)} at ${LIMIT_PER_S}/s: completion (floor ${round(floor, 0)} s)`, figure: `${round(b.seconds, 1)} s = ${round(b.seconds / floor, 2)}× floor`, value: b.seconds / floor, unit: '× floor', bound: '≤ 1.1× floor' });
  rows.push({ name: 'notices (b): 429s received', value: b.refused, unit: '', bound: 'report' });
  rows.push({ name: 'notices (b): peak accepted per second at the fake', value: b.peakPerSecond, unit: 'msg/s', bound: `≤ ${LIMIT_PER_S}` });
  rows.push({ name: 'notices (b): missed / duplicates', figure: `${b.missed} / ${b.duplicates}`, value: b.missed + b.duplicates, unit: '', bound: '= 0 (missed + duplicates)' });
  rows.push({ name: 'notices (b): interactive reply during the broadcast, max', value: round(b.interactiveMaxMs, 0), unit: 'ms', bound: '< 2000 ms' });

  o.log(`notices: (c) ${label(big)} recipients, SIGKILL at half, restart`);
  const c = await runCase({ n: big, limited: false, workers: 1, killAtHalf: true, log: o.log });
  peakRss = Math.max(peakRss, c.peakRssMb);
  rows.push({ name: 'notices (c): killed at half and restarted: missed', value: c.missed, unit: '', bound: '= 0' });
  rows.push({ name: 'notices (c): duplicates / sends in flight re-sent', figure: `${c.duplicates} / ${c.resent}`, value: c.duplicates - c.resent, unit: '', bound: '≤ 0 (duplicates − in flight)' });

  o.log(`notices: (d) as (b) with two processes`);
  const d = await runCase({ n: limitedN, limited: true, workers: 2, log: o.log });
  peakRss = Math.max(peakRss, d.peakRssMb);
  rows.push({ name: `notices (d): two processes: peak accepted per second at the fake`, value: d.peakPerSecond, unit: 'msg/s', bound: `≤ ${LIMIT_PER_S}` });
  rows.push({ name: 'notices (d): completion / 429s', figure: `${round(d.seconds, 1)} s (${round(d.seconds / floor, 2)}× floor) / ${d.refused}`, value: d.seconds / floor, unit: '× floor', bound: '≤ 1.1× floor' });
  rows.push({ name: 'notices (d): missed / duplicates', figure: `${d.missed} / ${d.duplicates}`, value: d.missed + d.duplicates, unit: '', bound: '= 0 (missed + duplicates)' });
  rows.push({ name: 'notices: peak resident memory of a bot/worker process', value: round(peakRss, 0), unit: 'MB', bound: '< 250 MB' });
  return rows;
}
