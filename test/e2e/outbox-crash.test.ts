import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.js';
import { botEnvironment, runLiaison, startBot, type BotProcess } from '../bench/bot-process.js';
import { reportersCsv } from '../bench/inquiry-session.js';
import { SentWatch } from '../bench/sent-watch.js';
import { createFakeTelegram, type FakeTelegram, type FakeUser, type SentRecord } from '../fakes/telegram-bot-api.js';
import { account, inFlightAtKill, InquiryLoad, type RowView, type Tally } from '../helpers/crash-load.js';
import { startHoldProxy, type HoldProxy } from '../helpers/hold-proxy.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const TOKEN = '555666777:CrashTestTokenForTheFakeBotApi_abcdef';
const REPORTERS = 8;
const KILLS = 3;
/** Load between kills, in ms (reporters pause {@link PAUSE_MS} between questions: ~15 questions/s, ~90 messages/s). */
const LOAD_MS = 2500;
const PAUSE_MS = 400;
/** Generous ceiling for waits; the figures measured are printed and go in the README. */
const WAIT_MS = Number(process.env.CRASH_WAIT_MS ?? 25_000);
const SPOKESPERSON: FakeUser = { id: 8_000_001, first_name: 'Tuấn', language_code: 'vi' };

interface KillRecord {
  inFlight: Tally;
  /** ms from the restart (spawn) to the next message in the chat whose send was held at the kill. */
  heldChatFreezeMs: number;
  /** ms from the restart (spawn) to the next message of every chat that had undelivered rows at the kill. */
  maxFreezeMs: number;
  /** Rows still pending when the process died (the backlog under load). */
  backlog: number;
}

function log(message: string): void {
  console.log(`[outbox-crash ${new Date().toISOString().slice(11, 23)}] ${message}`);
}

function withTimeout<T>(promise: Promise<T>, description: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${description}`)), WAIT_MS))]);
}

/** Re-checks `probe` every 100 ms until it holds; fails after {@link WAIT_MS}. */
async function poll(probe: () => Promise<boolean>, description: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('outbox under kill -9 (real bot processes, fake Bot API, SQLite, Redis)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-outbox-crash-'));
  const prefix = uniquePrefix('outbox-crash');
  const dbUrl = join(dir, 'bot.sqlite');
  let fake: FakeTelegram;
  let proxy: HoldProxy;
  let watch: SentWatch;
  let env: NodeJS.ProcessEnv;
  let bot: BotProcess | undefined;
  const reporters: FakeUser[] = Array.from({ length: REPORTERS }, (_, i) => ({ id: 8_100_001 + i, first_name: `PV${i + 1}`, language_code: 'vi' }));

  const readRows = async (): Promise<RowView[]> => {
    const handle = createDb({ url: dbUrl });
    try {
      // An edit row (a settled keyboard, a corrected text) changes a message already counted: not a message of its own.
      return await handle.db.selectFrom('outbox').select(['chat_id', 'text', 'status']).where('queue', '=', 'outbox').where('edit_of_outbox_id', 'is', null).execute();
    } finally {
      await handle.close();
    }
  };
  const link = async (user: FakeUser, invite: string) => {
    const n = fake.sent.length;
    fake.userSends(user, `/start ${invite}`);
    await fake.waitFor(() => fake.sent.slice(n).find((s) => s.chatId === user.id && s.text.includes('Xin chào')), { timeoutMs: WAIT_MS, description: `welcome ${invite}` });
  };

  beforeAll(async () => {
    fake = createFakeTelegram({ token: TOKEN, bot: { username: 'hue_crash_bot' } });
    await fake.start();
    proxy = await startHoldProxy(fake.apiRoot);
    watch = new SentWatch(fake);
    env = botEnvironment({
      TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: proxy.root, TELEGRAM_MODE: 'polling', DATABASE_URL: dbUrl,
      REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, HTTP_HOST: '127.0.0.1', HTTP_PORT: '0', DATA_DIR: dir,
      LOG_LEVEL: 'warn', WEB_ENABLED: 'false',
      // The load's spokesperson answers each notice by replying to it; a digest (which a slow,
      // loaded machine can trigger) carries only buttons to reopen them, so it is off here.
      OUTBOX_DIGEST_THRESHOLD: '0',
    });
    await runLiaison(['sample'], env);
    writeFileSync(join(dir, 'people.csv'), reportersCsv(REPORTERS));
    await runLiaison(['import', 'people', join(dir, 'people.csv')], env);
    bot = await startBot(env, () => fake.longPollWaiting);
    await link(SPOKESPERSON, 'pn-syte-01');
    await Promise.all(reporters.map((r, i) => link(r, `bench-r-${String(i + 1).padStart(4, '0')}`)));
  }, 120_000);

  afterAll(async () => {
    await bot?.stop(5000);
    watch?.close();
    await proxy?.close();
    await fake?.stop();
    await deletePrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Kills the bot while a notification to the spokesperson is delivered but unanswered, then restarts it. */
  async function killAndRestart(load: InquiryLoad): Promise<KillRecord> {
    load.deferReplies = true;
    if (process.env.CRASH_DEBUG) for (const s of fake.sent.slice(-15)) log(`sent to ${s.chatId}: ${s.text.slice(0, 80).replace(/\n/g, ' ')}`);
    // A notification (an answer's preview carries the token too, but is not one).
    const held = await withTimeout(proxy.holdNext((c) => String(c.params.chat_id) === String(SPOKESPERSON.id) && /\[tok:/.test(String(c.params.text)) && !/CHƯA GỬI/.test(String(c.params.text))), 'a notification to hold');
    log(`kill: held ${String(held.params.text).slice(0, 40)}; asked ${load.state.asked.size}, answered ${load.state.answered.size}`);
    process.kill(bot!.pid, 'SIGKILL');
    await bot!.stop(5000);
    proxy.dropHeld();
    await fake.waitFor(() => !fake.longPollWaiting, { timeoutMs: WAIT_MS, description: 'the dead process\'s long poll closed' });
    // Let requests the dead process had already written reach the fake.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rowsAtKill = await readRows();
    const sentAtKill = [...fake.sent];
    const heldText = String(held.params.text);
    const waitingChats = new Set(rowsAtKill.filter((r) => r.status === 'pending').map((r) => Number(r.chat_id)));
    waitingChats.add(SPOKESPERSON.id);
    const spawnAt = Date.now();
    bot = await startBot(env, () => fake.longPollWaiting);
    const readyMs = Date.now() - spawnAt;
    log(`restarted in ${readyMs} ms; waiting chats ${waitingChats.size}`);
    const firstAfter = new Map<number, number>();
    await fake.waitFor(() => {
      for (const s of fake.sent.slice(sentAtKill.length)) if (!firstAfter.has(s.chatId)) firstAfter.set(s.chatId, s.at.getTime() - spawnAt);
      return [...waitingChats].every((c) => firstAfter.has(c));
    }, { timeoutMs: WAIT_MS, description: 'a message in every chat that was waiting at the kill' });
    // The spokesperson answers the copy that reached them before the kill (its id was never recorded).
    const first = sentAtKill.find((s) => s.chatId === SPOKESPERSON.id && s.text === heldText)!;
    load.deferReplies = false;
    for (const notice of load.state.deferred.splice(0)) load.answer(notice);
    if (!load.state.deferred.includes(first)) load.answer(first);
    log(`freeze after the restart: held chat ${firstAfter.get(SPOKESPERSON.id)! - readyMs} ms after ready, slowest waiting chat ${Math.max(...[...waitingChats].map((c) => firstAfter.get(c)!)) - readyMs} ms after ready`);
    return {
      backlog: rowsAtKill.filter((r) => r.status === 'pending').length,
      inFlight: inFlightAtKill(sentAtKill, rowsAtKill),
      heldChatFreezeMs: firstAfter.get(SPOKESPERSON.id)!,
      maxFreezeMs: Math.max(...[...waitingChats].map((c) => firstAfter.get(c)!)),
    };
  }

  it('three kills under load: nothing lost, repeats only for sends in flight, every chat moves on, replies to any delivered copy routed', async () => {
    const load = new InquiryLoad(fake, watch, reporters, SPOKESPERSON, PAUSE_MS);
    load.start();
    const kills: KillRecord[] = [];
    for (let k = 0; k < KILLS; k++) {
      await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
      kills.push(await killAndRestart(load));
    }
    load.running = false;
    // A ceiling, not a measure: the spokesperson's one chat carries three messages per question (notice, preview, sent).
    await fake.waitFor(() => load.allAnswered(), { timeoutMs: WAIT_MS * 2, description: 'every question answered' }).catch(async (err: unknown) => {
      const missing = [...load.state.asked.keys()].filter((t) => !load.state.answered.has(t));
      for (const token of missing) {
        const seen = fake.sent.filter((s) => s.text.includes(`[tok:${token}]`)).map((s) => `${s.chatId}#${s.messageId}: ${s.text.slice(0, 50).replace(/\n/g, ' ')}`);
        log(`unanswered ${token} (${load.state.codes.get(token) ?? 'no code'}): ${JSON.stringify(seen)}`);
      }
      for (const s of fake.sent.filter((m) => m.chatId === SPOKESPERSON.id).slice(-10)) log(`to spokesperson #${s.messageId} (reply to ${s.replyToMessageId ?? '-'}): ${s.text.slice(0, 60).replace(/\n/g, ' ')}`);
      throw err;
    });
    await poll(async () => (await readRows()).every((r) => r.status !== 'pending'), 'no pending rows');
    await bot!.stop();
    bot = undefined;

    const result = account(await readRows(), fake.sent, kills.map((k) => k.inFlight));
    const figures = {
      questions: load.state.asked.size, rows: result.rows, delivered: result.delivered, duplicates: result.duplicates,
      inFlight: result.inFlight, backlogAtKills: kills.map((k) => k.backlog), heldChatFreezeMs: kills.map((k) => k.heldChatFreezeMs), maxFreezeMs: kills.map((k) => k.maxFreezeMs),
    };
    console.log(`outbox kill -9 figures: ${JSON.stringify(figures)}`);
    expect(result.lost).toEqual([]);
    expect(result.unexplained).toEqual([]);
    expect(load.state.refusals.map((r: SentRecord) => r.text)).toEqual([]);
    expect(load.state.asked.size).toBeGreaterThan(KILLS * REPORTERS);
  }, Math.max(180_000, WAIT_MS * 8));
});
