import { outboxChatKey, type OutboxChat } from '../../db/repositories/outbox-claims.js';
import type { WakeUp } from './sweep.js';
import type { Logger } from '../logger.js';

/** Drains of chats woken in this process, run here without a queue job; see {@link createLocalRuns}. */
export interface LocalRuns {
  /** Runs a drain of each woken chat soon (at most one per chat at a time; a chat woken while its drain runs is drained again after). */
  wake(wakeUps: readonly WakeUp[]): void;
  /** Resolves once no drain woken here is running or waiting (those of queue jobs are not counted). */
  idle(): Promise<void>;
  /** Takes no more wake-ups and resolves when the drains running now have ended (those not started are dropped: the database keeps their rows). */
  close(): Promise<void>;
}

/** Options of {@link createLocalRuns}. */
export interface LocalRunsOptions {
  /** At most this many drains at once (the worker's `OUTBOX_CONCURRENCY`). */
  concurrency: number;
  /** One chat's drain; a rejection is logged and the chat is left to `fallback`. */
  drain(chat: OutboxChat): Promise<unknown>;
  /** A chat whose drain failed: woken the durable way (a queue job, which retries). */
  fallback(wakeUp: WakeUp): Promise<void>;
  logger: Logger;
}

/**
 * A wake-up of a chat by the process that also sends (`--role all` or `worker`) needs no round
 * trip through Redis: the rows are committed in the database, which is the truth, and a drain
 * claims each row there before sending it. So the chat is drained here, in order of waking, with
 * the same bound on drains at once as the queue's worker. Nothing depends on this running: a wake
 * dropped by a stop or a crash is found by the sweep or the next start's reconcile, as a lost job
 * would be; a drain that fails is handed to the queue, whose job is retried.
 */
export function createLocalRuns(o: LocalRunsOptions): LocalRuns {
  /** Chats waiting for a slot, by key, in order of waking. */
  const waiting = new Map<string, WakeUp>();
  /** Chats whose drain runs now → whether they were woken again meanwhile. */
  const running = new Map<string, boolean>();
  const idleWaiters: Array<() => void> = [];
  let closed = false;

  const isIdle = (): boolean => running.size === 0 && waiting.size === 0;
  const idle = (): Promise<void> => (isIdle() ? Promise.resolve() : new Promise((resolve) => { idleWaiters.push(resolve); }));
  const pump = (): void => {
    while (!closed && running.size < o.concurrency && waiting.size > 0) {
      const [key, wakeUp] = waiting.entries().next().value!;
      waiting.delete(key);
      start(key, wakeUp);
    }
  };
  const start = (key: string, wakeUp: WakeUp): void => {
    running.set(key, false);
    void (async () => {
      try {
        do {
          running.set(key, false);
          await o.drain(wakeUp.chat);
        } while (!closed && running.get(key) === true);
      } catch (err) {
        // The drain logged the cause (scrubbed); its text may hold a platform URL, so only the kind here.
        o.logger.warn({ error: err instanceof Error ? err.name : typeof err, platform: wakeUp.chat.platform }, 'outbox: a drain in this process failed; its chat is queued instead');
        // Not awaited: while Redis is away the job waits, and the chat must stay free for the next wake.
        void o.fallback(wakeUp).catch(() => undefined);
      } finally {
        running.delete(key);
      }
      pump();
      if (isIdle()) for (const resolve of idleWaiters.splice(0)) resolve();
    })();
  };
  return {
    wake(wakeUps) {
      if (closed) return;
      for (const wakeUp of wakeUps) {
        const key = outboxChatKey(wakeUp.chat);
        if (running.has(key)) running.set(key, true);
        else if (!waiting.has(key)) waiting.set(key, wakeUp);
      }
      pump();
    },
    idle,
    close() {
      closed = true;
      waiting.clear();
      return idle();
    },
  };
}
