import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Pacing of notice sends per platform account and per chat, shared by every worker process through
 * Redis (times are Redis server time in µs: one clock for every process). Two steps per send:
 *
 * 1. {@link Pacer.acquire} reserves an evenly spaced slot (before the row is claimed), so lanes
 *    arrive spread out instead of all at once.
 * 2. {@link Pacer.admit}, right before the HTTP call, checks and records the send in a sliding
 *    log of the sends that actually happened. A lane delayed between its slot and its send (a slow
 *    database write, a busy event loop) would otherwise bunch up with the next ones, and the
 *    platform counts arrivals in a rolling second; the log caps what the platform can see.
 */

/**
 * Reserves a slot. KEYS: account next-slot, chat next-slot, pause. ARGV: interval µs, chat
 * interval µs, horizon µs. Returns the wait in ms until the slot (≥ 0), or minus the time to wait
 * before asking again when the slot would lie beyond the horizon (nothing reserved then).
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local chatInterval = tonumber(ARGV[2])
local horizon = tonumber(ARGV[3])
local slot = now
local pause = tonumber(redis.call('GET', KEYS[3]) or '0')
if pause > slot then slot = pause end
if interval > 0 then
  local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
  if tat > slot then slot = tat end
end
if chatInterval > 0 then
  local chatNext = tonumber(redis.call('GET', KEYS[2]) or '0')
  if chatNext > slot then slot = chatNext end
end
if slot - now > horizon then return -math.ceil((slot - now - horizon) / 1000) end
if interval > 0 then
  redis.call('SET', KEYS[1], string.format('%.0f', slot + interval), 'PX', math.ceil((slot + interval - now) / 1000) + 1000)
end
if chatInterval > 0 then
  redis.call('SET', KEYS[2], string.format('%.0f', slot + chatInterval), 'PX', math.ceil((slot + chatInterval - now) / 1000) + 1000)
end
return math.floor((slot - now) / 1000)
`;

/**
 * Admits one send now, or says how long to wait. KEYS: account send log (sorted set of send
 * times), chat's last send, pause. ARGV: cap (sends per window; 0: no account limit), window µs,
 * least gap between two sends of the account µs, least gap between two sends to the chat µs,
 * a unique member suffix. Returns {0, admission time µs} when admitted (and recorded), else
 * {wait in ms (> 0), 0}.
 */
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local cap = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local gap = tonumber(ARGV[3])
local chatGap = tonumber(ARGV[4])
local ready = now
local pause = tonumber(redis.call('GET', KEYS[3]) or '0')
if pause > ready then ready = pause end
if cap > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
  if redis.call('ZCARD', KEYS[1]) >= cap then
    local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
    if oldest + window + 1 > ready then ready = oldest + window + 1 end
  end
  if gap > 0 then
    local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2]
    if last and tonumber(last) + gap > ready then ready = tonumber(last) + gap end
  end
end
if chatGap > 0 then
  local chatLast = tonumber(redis.call('GET', KEYS[2]) or '0')
  if chatLast + chatGap > ready then ready = chatLast + chatGap end
end
if ready > now then return {math.max(1, math.ceil((ready - now) / 1000)), 0} end
if cap > 0 then
  redis.call('ZADD', KEYS[1], now, string.format('%.0f', now) .. ARGV[5])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
end
if chatGap > 0 then
  redis.call('SET', KEYS[2], string.format('%.0f', now), 'PX', math.ceil(chatGap / 1000) + 1000)
end
return {0, string.format('%.0f', now)}
`;

const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local untilUs = now + tonumber(ARGV[1]) * 1000
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilUs > current then
  redis.call('SET', KEYS[1], string.format('%.0f', untilUs), 'PX', tonumber(ARGV[1]) + 1000)
end
return 1
`;

/** How far ahead a slot may be reserved, in µs: beyond it a lane asks again later (a 429 pause may end it). */
const HORIZON_US = 2_000_000;
/** Longest single wait before asking again, in ms. */
const MAX_WAIT_MS = 1000;
/**
 * Added to the chat interval at admission, in ms: the platform sees a send some milliseconds after
 * it was admitted, and that delay varies; a 429 for one chat would pause the whole account.
 */
export const CHAT_JITTER_MARGIN_MS = 50;
/** Least gap between two admitted sends of an account, as a share of the paced interval (no bursts after a wait). */
const GAP_SHARE = 0.5;

/** Shared pacing of notice sends. */
export interface Pacer {
  /**
   * Resolves at a reserved slot for one message to `chatId` on `account`: `ratePerS` per second on
   * the account (0: unlimited, nothing reserved) and one per `chatIntervalMs` to the chat.
   */
  acquire(account: string, chatId: string, ratePerS: number, chatIntervalMs: number): Promise<void>;
  /**
   * Resolves when the message may go now, and records it as sent: call right before the HTTP call.
   * Holds across processes: at most ⌊`ratePerS`⌋ sends in any rolling second (for a rate below 1,
   * one per 1/`ratePerS` s), sends at least half an interval apart, the chat's last send at least
   * `chatIntervalMs` + {@link CHAT_JITTER_MARGIN_MS} ago, and no send while the account is paused.
   * Resolves to the admission instant as recorded: Redis server time in µs since the epoch.
   */
  admit(account: string, chatId: string, ratePerS: number, chatIntervalMs: number): Promise<number>;
  /** The platform said 429: nothing goes to `account` for `ms` (from now). */
  pause(account: string, ms: number): Promise<void>;
}

type PacerRedis = Redis & {
  noticeReserve(tat: string, chat: string, pause: string, intervalUs: number, chatIntervalUs: number, horizonUs: number): Promise<number>;
  noticeAdmit(log: string, chat: string, pause: string, cap: number, windowUs: number, gapUs: number, chatGapUs: number, member: string): Promise<[number, string | number]>;
  noticePause(pause: string, ms: number): Promise<number>;
};

/** The sliding-log limit for a rate: `cap` sends per `windowUs`. */
export function logLimit(ratePerS: number): { cap: number; windowUs: number } {
  if (!(ratePerS > 0)) return { cap: 0, windowUs: 0 };
  const cap = Math.max(1, Math.floor(ratePerS));
  return { cap, windowUs: Math.round((cap / ratePerS) * 1_000_000) };
}

/** Creates the pacer on a Redis connection (keys under `<prefix>:notice-pace:`). */
export function createPacer(redis: Redis, prefix: string, sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))): Pacer {
  const r = redis as PacerRedis;
  if (!('noticeAdmit' in r)) {
    redis.defineCommand('noticeReserve', { numberOfKeys: 3, lua: RESERVE });
    redis.defineCommand('noticeAdmit', { numberOfKeys: 3, lua: ADMIT });
    redis.defineCommand('noticePause', { numberOfKeys: 1, lua: PAUSE });
  }
  const key = (account: string, part: string) => `${prefix}:notice-pace:${account}:${part}`;
  // Log members must be unique across processes even when two sends share a microsecond.
  const self = randomUUID().slice(0, 8);
  let seq = 0;
  return {
    async acquire(account, chatId, ratePerS, chatIntervalMs) {
      // Unlimited: only the chat interval matters, and admission enforces it.
      if (!(ratePerS > 0)) return;
      const intervalUs = Math.round(1_000_000 / ratePerS);
      for (;;) {
        const wait = await r.noticeReserve(key(account, 'tat'), key(account, `chat-${chatId}`), key(account, 'pause'), intervalUs, chatIntervalMs * 1000, HORIZON_US);
        if (wait >= 0) {
          if (wait > 0) await sleep(wait);
          return;
        }
        await sleep(Math.min(-wait, MAX_WAIT_MS));
      }
    },
    async admit(account, chatId, ratePerS, chatIntervalMs) {
      const { cap, windowUs } = logLimit(ratePerS);
      const gapUs = cap > 0 ? Math.round((GAP_SHARE * 1_000_000) / ratePerS) : 0;
      const chatGapUs = chatIntervalMs > 0 ? (chatIntervalMs + CHAT_JITTER_MARGIN_MS) * 1000 : 0;
      for (;;) {
        seq = (seq + 1) % 1_000_000_000;
        const [wait, atUs] = await r.noticeAdmit(key(account, 'log'), key(account, `sent-${chatId}`), key(account, 'pause'), cap, windowUs, gapUs, chatGapUs, `:${self}:${seq}`);
        if (wait <= 0) return Number(atUs);
        await sleep(Math.min(wait, MAX_WAIT_MS));
      }
    },
    async pause(account, ms) {
      await r.noticePause(key(account, 'pause'), Math.max(1, Math.ceil(ms)));
    },
  };
}
