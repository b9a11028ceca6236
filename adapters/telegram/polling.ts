import type { Logger } from 'pino';
import type { Telegraf, Telegram } from 'telegraf';
import { toScrubbedError } from './errors.js';

/** The update kinds the adapter asks Telegram for; everything else is never delivered. */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/** Options of {@link startPolling}. */
export interface PollingOptions {
  /** Long-poll `timeout` of each getUpdates call, in seconds. */
  timeoutS: number;
  logger: Logger;
  scrub: (text: string) => string;
}

/** A running long-poll loop. */
export interface PollingHandle {
  /** Stops polling; resolves once in-flight handlers finished and the offset was confirmed. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts telegraf's long polling. `bot.launch()` is not awaited: it resolves only when polling
 * stops. Its rejection (401, 409 when a webhook or another poller is active) is logged.
 *
 * Why awaiting `onEvent` inside the handler matters: telegraf's `Polling` moves its local offset
 * as soon as a batch arrives, but Telegram confirms updates only on the *next* getUpdates, which
 * the loop sends after `Promise.all(handlers)` for the batch settled. So a crash while `onEvent`
 * persists leaves the update unconfirmed and Telegram redelivers it. A handler that *fails* is
 * confirmed anyway (bot.catch swallows it; rethrowing would end polling, and its `finally` syncs
 * the offset regardless), so in polling mode a failed `onEvent` loses that update.
 */
export function startPolling(bot: Telegraf, options: PollingOptions): PollingHandle {
  let stopping = false;
  interceptLongPoll(bot.telegram, options.timeoutS, () => stopping);
  const done = bot.launch({ allowedUpdates: [...ALLOWED_UPDATES] }).catch((err: unknown) => {
    options.logger.error({ err: toScrubbedError(err, options.scrub) }, 'telegram polling stopped with an error');
  });
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        stopping = true;
        try {
          bot.stop('adapter stop');
        } catch {
          // launch() has not reached its polling loop yet; its first getUpdates sees `stopping`.
        }
        await done;
      })();
      return stopped;
    },
  };
}

/**
 * telegraf 4.16 hard-codes `timeout: 50` for getUpdates and cannot be stopped before its loop
 * exists. Wrapping this client's `callApi` applies our timeout and turns a long poll requested
 * after `stop()` into the AbortError the loop treats as a clean end.
 */
function interceptLongPoll(telegram: Telegram, timeoutS: number, isStopping: () => boolean): void {
  const callApi = telegram.callApi.bind(telegram) as unknown as LooseCallApi;
  const intercepted: LooseCallApi = (method, payload, callOptions) => {
    if (method !== 'getUpdates' || !isRecord(payload) || !('timeout' in payload)) {
      return callApi(method, payload, callOptions);
    }
    if (isStopping()) return Promise.reject(Object.assign(new Error('polling stopped'), { name: 'AbortError' }));
    return callApi(method, { ...payload, timeout: timeoutS }, callOptions);
  };
  telegram.callApi = intercepted as unknown as Telegram['callApi'];
}

type LooseCallApi = (method: string, payload: unknown, callOptions?: unknown) => Promise<unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
