import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { TelegramError, type Telegraf } from 'telegraf';
import { toScrubbedError } from './errors.js';

/**
 * Chats whose updates of one poll are persisted at once. More would only crowd the database
 * (PostgreSQL on the same cores measured slower with a whole poll's 100 at once); fewer leaves
 * SQLite's group commit less to share.
 */
const PERSIST_CHATS_AT_ONCE = 8;

/** The update kinds the adapter asks Telegram for; everything else is never delivered. */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/** Options of {@link startPolling}. */
export interface PollingOptions {
  /** Long-poll `timeout` of each getUpdates call, in seconds. */
  timeoutS: number;
  logger: Logger;
  scrub: (text: string) => string;
  /** Longest wait between failed attempts, in ms. Default 30 000. */
  maxBackoffMs?: number;
  /**
   * Waits `ms` milliseconds, or less when `signal` aborts. Default a timer; tests inject their own
   * to count calls instead of measuring time.
   */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** A monotonic clock in ms, to tell a long poll that answered early. Default `performance.now`. */
  nowMs?: () => number;
}

/** First pause after a poll that answered early with nothing, in ms; it doubles per such poll. */
export const EMPTY_POLL_PAUSE_MS = 500;
/** Longest pause between early empty polls, in ms: an update then waits at most this long. */
export const EMPTY_POLL_PAUSE_MAX_MS = 5_000;
/** An empty answer sooner than this (or half the long-poll timeout, if longer) counts as early, in ms. */
const EARLY_ANSWER_MS = 1_000;
/** Early empty polls in a row before the loop says so in the log (once per streak). */
const EARLY_STREAK_TO_LOG = 3;

/** A running long-poll loop. */
export interface PollingHandle {
  /** Stops polling at once (aborting the long poll and any wait); resolves when the loop ended. Idempotent. */
  stop(): Promise<void>;
}

type Update = Parameters<Telegraf['handleUpdate']>[0];
type CallOptions = NonNullable<Parameters<Telegraf['telegram']['callApi']>[2]>;

/** telegraf's types name the `abort-controller` polyfill; node-fetch accepts the native signal. */
function abortable(signal: AbortSignal): CallOptions {
  return { signal } as unknown as CallOptions;
}

/**
 * Our own getUpdates loop instead of `bot.launch()`, for two reasons. telegraf's loop confirms an
 * update even when its handler failed (a failed persist would lose the update) and sleeps in
 * waits that `stop()` cannot interrupt. Here the offset moves past an update only after
 * `bot.handleUpdate` resolved (the event is persisted); a failure retries the same update after
 * a backoff, so nothing is lost, and every wait is abortable.
 */
export function startPolling(bot: Telegraf, options: PollingOptions): PollingHandle {
  const controller = new AbortController();
  const done = runLoop(bot, options, controller.signal).catch((err: unknown) => {
    options.logger.error({ err: toScrubbedError(err, options.scrub) }, 'telegram polling stopped with an error');
  });
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        controller.abort();
        await done;
      })();
      return stopped;
    },
  };
}

async function runLoop(bot: Telegraf, o: PollingOptions, signal: AbortSignal): Promise<void> {
  const wait = o.wait ?? pause;
  const nowMs = o.nowMs ?? (() => performance.now());
  let offset = 0;
  let failures = 0;
  let earlyEmpty = 0;
  while (!signal.aborted) {
    let updates: Update[];
    const startedMs = nowMs();
    try {
      updates = await bot.telegram.callApi('getUpdates', { offset, timeout: o.timeoutS, allowed_updates: [...ALLOWED_UPDATES] }, abortable(signal));
    } catch (err) {
      if (signal.aborted) break;
      if (err instanceof TelegramError && err.code === 401) throw err;
      failures += 1;
      o.logger.warn({ err: toScrubbedError(err, o.scrub), failures }, 'telegram getUpdates failed; retrying');
      await wait(backoffMs(failures, err, o.maxBackoffMs), signal);
      continue;
    }
    failures = 0;
    // A server (or proxy) that answers a long poll at once with nothing would otherwise be asked
    // again at once, hundreds of times a second.
    earlyEmpty = updates.length === 0 && answeredEarly(nowMs() - startedMs, o.timeoutS) ? earlyEmpty + 1 : 0;
    if (earlyEmpty > 0) {
      if (earlyEmpty === EARLY_STREAK_TO_LOG) o.logger.warn({ timeoutS: o.timeoutS }, 'telegram getUpdates answers at once with nothing; pausing between polls');
      await wait(emptyPollPauseMs(earlyEmpty, o.maxBackoffMs), signal);
      continue;
    }
    offset = Math.max(offset, await handleBatch(bot, updates, o, signal, wait));
  }
  // Confirms what was handled, so the next start (or another poller) does not receive it again.
  if (offset > 0) await bot.telegram.callApi('getUpdates', { offset, limit: 1, timeout: 0 }).catch(() => undefined);
}

/** True when an empty answer came well before the long-poll timeout. */
function answeredEarly(elapsedMs: number, timeoutS: number): boolean {
  return elapsedMs < Math.max(EARLY_ANSWER_MS, (timeoutS * 1000) / 2);
}

/** 0.5 s, 1 s, 2 s, 4 s, then 5 s (or `maxBackoffMs`, if smaller) per early empty poll in a row. */
function emptyPollPauseMs(streak: number, maxBackoffMs = 30_000): number {
  return Math.min(EMPTY_POLL_PAUSE_MS * 2 ** Math.min(streak - 1, 20), EMPTY_POLL_PAUSE_MAX_MS, maxBackoffMs);
}

/**
 * Persists a batch of updates: one chat's in order, different chats' side by side (each persist
 * waits for its COMMIT, which on SQLite the persists of one turn share). Returns the offset to
 * ask from next: past the batch when every update was persisted, else the first one that was not
 * (after a backoff). Those after it that were persisted come again and are recognised as
 * duplicates (events are stored once per update id).
 */
async function handleBatch(
  bot: Telegraf, updates: readonly Update[], o: PollingOptions, signal: AbortSignal, wait: NonNullable<PollingOptions['wait']>,
): Promise<number> {
  const persisted = new Set<number>();
  let failure: { err: unknown } | undefined;
  const chains = [...chatsOf(updates).values()];
  await Promise.all(Array.from({ length: Math.min(PERSIST_CHATS_AT_ONCE, chains.length) }, async () => {
    for (let chain = chains.shift(); chain; chain = chains.shift()) await persistChain(chain);
  }));
  if (failure && !signal.aborted) await wait(backoffMs(1, failure.err, o.maxBackoffMs), signal);
  const first = updates.find((u) => !persisted.has(u.update_id));
  if (first) return first.update_id;
  // An empty batch asks from 0, which the caller keeps below its offset.
  return updates.length > 0 ? updates[updates.length - 1]!.update_id + 1 : 0;

  async function persistChain(chain: readonly Update[]): Promise<void> {
    for (const update of chain) {
      if (signal.aborted || failure) return;
      try {
        await bot.handleUpdate(update);
        persisted.add(update.update_id);
      } catch (err) {
        o.logger.error({ err: toScrubbedError(err, o.scrub), updateId: update.update_id }, 'telegram update not persisted; it will be fetched again');
        failure ??= { err };
        return;
      }
    }
  }
}

/** The updates of each chat, in order (a button's chat is its message's, else its presser's). */
function chatsOf(updates: readonly Update[]): Map<string, Update[]> {
  const chains = new Map<string, Update[]>();
  for (const update of updates) {
    const u = update as { message?: { chat?: { id?: unknown } }; callback_query?: { message?: { chat?: { id?: unknown } }; from?: { id?: unknown } } };
    const key = String(u.message?.chat?.id ?? u.callback_query?.message?.chat?.id ?? u.callback_query?.from?.id ?? '');
    const chain = chains.get(key);
    if (chain) chain.push(update);
    else chains.set(key, [update]);
  }
  return chains;
}

/** 1 s, 2 s, 4 s … capped; at least the server's `retry_after`. A 409 (webhook set, another poller) waits long. */
function backoffMs(failures: number, err: unknown, maxMs = 30_000): number {
  const retryAfterS = err instanceof TelegramError ? err.parameters?.retry_after : undefined;
  if (retryAfterS !== undefined) return retryAfterS * 1000;
  if (err instanceof TelegramError && err.code === 409) return maxMs;
  return Math.min(1000 * 2 ** (failures - 1), maxMs);
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
