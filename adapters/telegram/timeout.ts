import type { Telegram } from 'telegraf';
import { TransientError } from '../types.js';

/** Methods that upload a file (multipart, up to 50 MB): they get {@link UPLOAD_TIMEOUT_FACTOR} times the bound. */
const UPLOAD_METHODS = new Set(['sendPhoto', 'sendDocument', 'sendVideo', 'sendAudio', 'sendVoice', 'sendAnimation', 'sendMediaGroup']);
/** How many request bounds a file upload may take. */
export const UPLOAD_TIMEOUT_FACTOR = 10;

type CallApi = Telegram['callApi'];
type CallOptions = NonNullable<Parameters<CallApi>[2]>;

/**
 * Bounds every Bot API request of `telegram` that carries no signal of its own (the long poll
 * brings its own) to `timeoutMs` (file uploads: {@link UPLOAD_TIMEOUT_FACTOR} times that). A Bot
 * API that accepts the connection and never answers would otherwise hold the request for
 * telegraf's 500 s, and with it every later message to that chat, which waits its turn. The
 * timeout is a {@link TransientError}: retried with backoff like a 5xx (Telegram may have
 * delivered the message anyway: a send in flight, the one case that can repeat).
 */
export function boundTelegramRequests(telegram: Telegram, timeoutMs: number): void {
  const call = telegram.callApi.bind(telegram) as (method: string, payload: unknown, options?: CallOptions) => Promise<unknown>;
  const bounded = async (method: string, payload: unknown, options: CallOptions = {}): Promise<unknown> => {
    if ((options as { signal?: unknown }).signal) return call(method, payload, options);
    const ms = UPLOAD_METHODS.has(method) ? timeoutMs * UPLOAD_TIMEOUT_FACTOR : timeoutMs;
    // telegraf's types name the `abort-controller` polyfill; node-fetch accepts the native signal.
    const signal = AbortSignal.timeout(ms);
    try {
      return await call(method, payload, { ...options, signal } as unknown as CallOptions);
    } catch (err) {
      if (signal.aborted) throw new TransientError(`telegram ${method}: no answer within ${ms} ms`);
      throw err;
    }
  };
  telegram.callApi = bounded as unknown as CallApi;
}
