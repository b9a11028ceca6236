import type { Redis } from 'ioredis';

/**
 * Reserves send slots per platform account and per chat in Redis, so the pace holds across every
 * worker process. Keys: the account's next free slot, each chat's next free slot, and a pause set
 * by a 429. Times are Redis server time in microseconds (one clock for every process).
 * Returns the wait in ms until the reserved slot (≥ 0), or minus the time to wait before asking
 * again when the slot would lie beyond the horizon (nothing reserved then).
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

/** Shared pacing of notice sends. */
export interface Pacer {
  /**
   * Resolves when one message to `chatId` on `account` may go: at most `ratePerS` per second on
   * the account (0: unlimited) and one per `chatIntervalMs` to the chat.
   */
  acquire(account: string, chatId: string, ratePerS: number, chatIntervalMs: number): Promise<void>;
  /** The platform said 429: nothing goes to `account` for `ms`. */
  pause(account: string, ms: number): Promise<void>;
}

type PacerRedis = Redis & {
  noticeReserve(tat: string, chat: string, pause: string, intervalUs: number, chatIntervalUs: number, horizonUs: number): Promise<number>;
  noticePause(pause: string, ms: number): Promise<number>;
};

/** Creates the pacer on a Redis connection (keys under `<prefix>:notice-pace:`). */
export function createPacer(redis: Redis, prefix: string, sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))): Pacer {
  const r = redis as PacerRedis;
  if (!('noticeReserve' in r)) {
    redis.defineCommand('noticeReserve', { numberOfKeys: 3, lua: RESERVE });
    redis.defineCommand('noticePause', { numberOfKeys: 1, lua: PAUSE });
  }
  const key = (account: string, part: string) => `${prefix}:notice-pace:${account}:${part}`;
  return {
    async acquire(account, chatId, ratePerS, chatIntervalMs) {
      const intervalUs = ratePerS > 0 ? Math.round(1_000_000 / ratePerS) : 0;
      for (;;) {
        const wait = await r.noticeReserve(key(account, 'tat'), key(account, `chat-${chatId}`), key(account, 'pause'), intervalUs, chatIntervalMs * 1000, HORIZON_US);
        if (wait >= 0) {
          if (wait > 0) await sleep(wait);
          return;
        }
        await sleep(Math.min(-wait, MAX_WAIT_MS));
      }
    },
    async pause(account, ms) {
      await r.noticePause(key(account, 'pause'), Math.max(1, Math.ceil(ms)));
    },
  };
}
