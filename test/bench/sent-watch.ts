/**
 * Event-driven view of what the bot sends to the fake Bot API, cheap enough for thousands of
 * concurrent waiters: one interceptor notes each call (with a `performance.now()` stamp taken
 * in the same tick in which the fake accepts it) and schedules one pass over the new
 * `fake.sent` records, which are handed to per-chat waiters and listeners.
 */
import { performance } from 'node:perf_hooks';
import type { FakeTelegram, InterceptedCall, SentRecord } from '../fakes/telegram-bot-api.js';

interface Waiter {
  predicate: (sent: SentRecord) => boolean;
  resolve: (sent: SentRecord) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface Condition {
  check: () => boolean;
  resolve: (met: boolean) => void;
  timer: NodeJS.Timeout;
}

/** Listener of sendMessage calls, before the fake runs them; `at` is `performance.now()`. */
export type SendCallListener = (chatId: number, text: string, at: number) => void;

const FALLBACK_PUMP_MS = 50;

/** Watches `fake.sent`; see the module comment. Call {@link SentWatch.close} when done. */
export class SentWatch {
  private cursor = 0;
  private scheduled = false;
  private readonly waiters = new Map<number, Waiter[]>();
  private readonly conditions = new Set<Condition>();
  private readonly recordListeners: Array<(sent: SentRecord) => void> = [];
  private readonly callListeners: SendCallListener[] = [];
  private readonly fallback: NodeJS.Timeout;

  constructor(private readonly fake: FakeTelegram) {
    fake.addInterceptor((call) => this.onCall(call));
    this.fallback = setInterval(() => this.pump(), FALLBACK_PUMP_MS);
  }

  /** Calls `listener` for every sendMessage call with a chat and a text, in the tick it is accepted. */
  onSendCall(listener: SendCallListener): void {
    this.callListeners.push(listener);
  }

  /** Calls `listener` for every accepted sendMessage, in order. */
  onRecord(listener: (sent: SentRecord) => void): void {
    this.recordListeners.push(listener);
  }

  /**
   * Resolves with the next message to `chatId` matching `predicate` accepted after this call.
   * Register before doing what provokes the message.
   */
  next(chatId: number, predicate: (sent: SentRecord) => boolean, timeoutMs: number, description: string): Promise<SentRecord> {
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(chatId) ?? [];
      const waiter: Waiter = {
        predicate, resolve, reject,
        timer: setTimeout(() => {
          this.removeWaiter(chatId, waiter);
          reject(new Error(`no ${description} for chat ${chatId} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      list.push(waiter);
      this.waiters.set(chatId, list);
    });
  }

  /** Resolves true once `check()` holds (re-checked after each batch of new records), false after `timeoutMs`. */
  until(check: () => boolean, timeoutMs: number): Promise<boolean> {
    if (check()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const condition: Condition = {
        check, resolve,
        timer: setTimeout(() => {
          this.conditions.delete(condition);
          resolve(false);
        }, timeoutMs),
      };
      this.conditions.add(condition);
    });
  }

  /** Stops the fallback timer and fails every pending waiter. */
  close(): void {
    clearInterval(this.fallback);
    for (const [chatId, list] of this.waiters) {
      for (const w of [...list]) {
        this.removeWaiter(chatId, w);
        w.reject(new Error('sent watch closed'));
      }
    }
    for (const c of this.conditions) {
      clearTimeout(c.timer);
      c.resolve(false);
    }
    this.conditions.clear();
  }

  private onCall(call: InterceptedCall): undefined {
    const at = performance.now();
    if (call.method === 'sendMessage' && call.chatId !== undefined && typeof call.params.text === 'string') {
      for (const listener of this.callListeners) listener(call.chatId, call.params.text, at);
    }
    if (!this.scheduled) {
      this.scheduled = true;
      // The fake runs the method right after its interceptors, in this same tick.
      setImmediate(() => {
        this.scheduled = false;
        this.pump();
      });
    }
    return undefined;
  }

  private pump(): void {
    const sent = this.fake.sent;
    if (this.cursor >= sent.length) return;
    while (this.cursor < sent.length) this.dispatch(sent[this.cursor++]!);
    for (const c of [...this.conditions]) {
      if (!c.check()) continue;
      clearTimeout(c.timer);
      this.conditions.delete(c);
      c.resolve(true);
    }
  }

  private dispatch(record: SentRecord): void {
    for (const listener of this.recordListeners) listener(record);
    const list = this.waiters.get(record.chatId);
    const waiter = list?.find((w) => w.predicate(record));
    if (!waiter) return;
    this.removeWaiter(record.chatId, waiter);
    waiter.resolve(record);
  }

  private removeWaiter(chatId: number, waiter: Waiter): void {
    clearTimeout(waiter.timer);
    const list = this.waiters.get(chatId);
    if (!list) return;
    const i = list.indexOf(waiter);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.waiters.delete(chatId);
  }
}

/** The inline button labelled exactly `label` on a sent message, with its callback data. */
export function findButton(sent: SentRecord, label: string): { text: string; callback_data: string } | undefined {
  const button = sent.replyMarkup?.inline_keyboard.flat().find((b) => b.text === label);
  return button?.callback_data === undefined ? undefined : { text: button.text, callback_data: button.callback_data };
}
