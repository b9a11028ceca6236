import { Telegraf } from 'telegraf';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InboundEvent } from '../../adapters/types.js';
import { createTelegramAdapter, type TelegramAdapter } from '../../adapters/telegram/index.js';
import { EMPTY_POLL_PAUSE_MAX_MS, EMPTY_POLL_PAUSE_MS, startPolling, type PollingHandle, type PollingOptions } from '../../adapters/telegram/polling.js';
import { createLogger } from '../../src/logger.js';
import { createFakeTelegram, type FakeTelegram } from '../fakes/telegram-bot-api.js';

const TOKEN = '123456789:AAPollingTestTokenForTheFake_0123';

describe('telegram polling loop', () => {
  let fake: FakeTelegram;
  let adapter: TelegramAdapter;
  afterEach(async () => {
    await adapter.stop();
    await fake.stop();
  });

  async function start(onEvent: (e: InboundEvent) => Promise<void>): Promise<void> {
    fake = createFakeTelegram({ token: TOKEN });
    await fake.start();
    adapter = createTelegramAdapter({ token: TOKEN, apiRoot: fake.apiRoot, mode: 'polling', pollingTimeoutS: 5, logger: createLogger({ level: 'silent' }) });
    await adapter.start(onEvent);
  }

  it('an update whose persist failed is fetched and handled again, in order, and nothing after it is skipped', async () => {
    const seen: string[] = [];
    let failOnce = true;
    await start(async (e) => {
      if (e.kind === 'message' && e.text === 'first' && failOnce) {
        failOnce = false;
        throw new Error('database unavailable');
      }
      if (e.kind === 'message') seen.push(e.text);
    });
    const user = { id: 11, first_name: 'A' };
    fake.userSends(user, 'first');
    fake.userSends(user, 'second');
    await fake.waitFor(() => seen.length >= 2, { timeoutMs: 10_000, description: 'both updates handled' });
    expect(seen).toEqual(['first', 'second']);
  });

  it('persists one poll\'s updates of different chats side by side, each chat\'s in order', async () => {
    fake = createFakeTelegram({ token: TOKEN });
    await fake.start();
    const [a, b] = [{ id: 21, first_name: 'A' }, { id: 22, first_name: 'B' }];
    // Queued before the first poll: one getUpdates answers all four.
    for (const [user, text] of [[a, 'a1'], [b, 'b1'], [a, 'a2'], [b, 'b2']] as const) fake.userSends(user, text);
    const seen: string[] = [];
    let bSeen!: () => void;
    const bFirst = new Promise<void>((r) => { bSeen = r; });
    adapter = createTelegramAdapter({ token: TOKEN, apiRoot: fake.apiRoot, mode: 'polling', pollingTimeoutS: 5, logger: createLogger({ level: 'silent' }) });
    await adapter.start(async (e) => {
      if (e.kind !== 'message') return;
      // A's first persist finishes only once B's has: one update at a time would never get there.
      if (e.text === 'a1') await bFirst;
      seen.push(e.text);
      if (e.text === 'b1') bSeen();
    });
    await fake.waitFor(() => seen.length >= 4, { timeoutMs: 10_000, description: 'all four updates handled' });
    expect(seen.filter((t) => t.startsWith('a'))).toEqual(['a1', 'a2']);
    expect(seen.filter((t) => t.startsWith('b'))).toEqual(['b1', 'b2']);
    expect(seen.indexOf('b1')).toBeLessThan(seen.indexOf('a1'));
  });

  it('stop() does not wait out a backoff (here a 30 s retry_after)', async () => {
    await start(async () => undefined);
    fake.failNext({ method: 'getUpdates', times: 5, error: { error_code: 429, description: 'Too Many Requests: retry after 30', retry_after: 30 } });
    await fake.waitFor(() => fake.calls.some((c) => c.method === 'getUpdates' && c.status === 429), { description: 'a refused poll' });
    const t0 = Date.now();
    await adapter.stop();
    // Far below the 30 s backoff it must not wait out, and far above any machine's own slowness.
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});

describe('telegram polling against a Bot API server that answers getUpdates at once', () => {
  let fake: FakeTelegram;
  let handle: PollingHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    await fake.stop();
  });

  /** A wait the test releases by hand: the loop can make no call while one is pending. */
  function manualWait() {
    const waits: Array<{ ms: number; release: () => void }> = [];
    const wait = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
      waits.push({ ms, release: resolve });
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    return { waits, wait };
  }

  async function startInstant(options: Pick<PollingOptions, 'wait' | 'nowMs'>, onText: (text: string) => void = () => undefined): Promise<void> {
    fake = createFakeTelegram({ token: TOKEN, getUpdates: 'instant' });
    await fake.start();
    const bot = new Telegraf(TOKEN, { telegram: { apiRoot: fake.apiRoot } });
    bot.on('message', (ctx) => { if ('text' in ctx.message) onText(ctx.message.text); });
    handle = startPolling(bot, { timeoutS: 5, logger: createLogger({ level: 'silent' }), scrub: (s) => s, ...options });
  }

  const polls = () => fake.calls.filter((c) => c.method === 'getUpdates').length;

  it('pauses after each early empty answer, longer each time, instead of asking again at once', async () => {
    const { waits, wait } = manualWait();
    await startInstant({ wait, nowMs: () => 0 });
    await vi.waitFor(() => expect(waits).toHaveLength(1), { timeout: 10_000, interval: 5 });
    await vi.waitFor(() => expect(polls()).toBe(1), { timeout: 10_000, interval: 5 });
    expect(waits[0]!.ms).toBe(EMPTY_POLL_PAUSE_MS);
    waits[0]!.release();
    await vi.waitFor(() => expect(waits).toHaveLength(2), { timeout: 10_000, interval: 5 });
    await vi.waitFor(() => expect(polls()).toBe(2), { timeout: 10_000, interval: 5 });
    expect(waits[1]!.ms).toBe(EMPTY_POLL_PAUSE_MS * 2);
    for (let i = 2; i < 8; i += 1) {
      waits[i - 1]!.release();
      await vi.waitFor(() => expect(waits).toHaveLength(i + 1), { timeout: 10_000, interval: 5 });
    }
    expect(polls()).toBe(8);
    expect(waits.at(-1)!.ms).toBe(EMPTY_POLL_PAUSE_MAX_MS);
  });

  it('handles updates from an instant server, and an update resets the pause', async () => {
    const { waits, wait } = manualWait();
    const seen: string[] = [];
    await startInstant({ wait, nowMs: () => 0 }, (text) => seen.push(text));
    await vi.waitFor(() => expect(waits).toHaveLength(1), { timeout: 10_000, interval: 5 });
    waits[0]!.release();
    await vi.waitFor(() => expect(waits).toHaveLength(2), { timeout: 10_000, interval: 5 });
    fake.userSends({ id: 21, first_name: 'B' }, 'xin chào');
    waits[1]!.release();
    await vi.waitFor(() => expect(seen).toEqual(['xin chào']), { timeout: 10_000, interval: 5 });
    await vi.waitFor(() => expect(waits).toHaveLength(3), { timeout: 10_000, interval: 5 });
    expect(waits[2]!.ms).toBe(EMPTY_POLL_PAUSE_MS);
  });

  it('does not pause after an empty answer that took the whole long-poll timeout', async () => {
    const { waits, wait } = manualWait();
    let clockMs = 0;
    // Each reading is one long-poll timeout (5 s) after the previous: every poll "took" 5 s.
    await startInstant({ wait, nowMs: () => (clockMs += 5_000) });
    await vi.waitFor(() => expect(polls()).toBeGreaterThanOrEqual(5), { timeout: 10_000, interval: 5 });
    expect(waits).toHaveLength(0);
  });
});
