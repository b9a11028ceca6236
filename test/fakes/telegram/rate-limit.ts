import type { CallInterceptor } from './faults.js';

/** Options of {@link createRateLimiter}. */
export interface RateLimitOptions {
  /** Accepted sends per rolling second, all chats together (Telegram: about 30). */
  overallPerSecond: number;
  /** Accepted sends per rolling second to one chat (Telegram: about 1). */
  perChatPerSecond: number;
  /** Methods limited. Default sendMessage and editMessageText. */
  methods?: readonly string[];
}

/** A rate limiter for the fake plus what it refused. */
export interface RateLimiter {
  interceptor: CallInterceptor;
  /** How many calls got 429. */
  readonly refused: number;
  /** Most accepted calls seen in any rolling second (for "the limit still holds"). */
  readonly peakPerSecond: number;
}

const WINDOW_MS = 1000;

/**
 * Refuses sends beyond the limits with Telegram's 429 and `retry_after` (whole seconds, at least 1),
 * counting accepted calls in a rolling one-second window (t − 1 s, t].
 */
export function createRateLimiter(o: RateLimitOptions): RateLimiter {
  const methods = new Set(o.methods ?? ['sendMessage', 'editMessageText']);
  const overall: number[] = [];
  const perChat = new Map<number, number[]>();
  let refused = 0;
  let peak = 0;
  const prune = (times: number[], now: number) => {
    while (times.length > 0 && times[0]! <= now - WINDOW_MS) times.shift();
  };
  const interceptor: CallInterceptor = (call) => {
    if (!methods.has(call.method)) return undefined;
    const now = call.at.getTime();
    prune(overall, now);
    const chat = call.chatId === undefined ? undefined : perChat.get(call.chatId) ?? [];
    if (chat) prune(chat, now);
    const full = overall.length >= o.overallPerSecond ? overall : chat && chat.length >= o.perChatPerSecond ? chat : undefined;
    if (full) {
      refused += 1;
      const retryAfter = Math.max(1, Math.ceil((full[0]! + WINDOW_MS - now) / 1000));
      return { error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, retry_after: retryAfter };
    }
    overall.push(now);
    if (chat && call.chatId !== undefined) {
      chat.push(now);
      perChat.set(call.chatId, chat);
    }
    peak = Math.max(peak, overall.length);
    return undefined;
  };
  return { interceptor, get refused() { return refused; }, get peakPerSecond() { return peak; } };
}
