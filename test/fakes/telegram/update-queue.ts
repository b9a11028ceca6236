import type { FakeApiError, TgUpdate } from './types.js';

/** Parameters of one getUpdates call, already coerced. */
export interface PollParams {
  /** Updates with a lower `update_id` are confirmed and dropped. */
  offset?: number;
  /** 1–100; default 100. */
  limit?: number;
  /** Long-poll timeout in seconds; 0 answers at once. */
  timeoutS: number;
  /** Replaces the stored setting when given, like Telegram. */
  allowedUpdates?: string[];
}

type PollOutcome = { updates: TgUpdate[] } | { refusal: FakeApiError };

interface Waiter {
  params: PollParams;
  finish: (outcome: PollOutcome) => void;
}

interface Entry {
  update: TgUpdate;
  delivered: boolean;
}

const KNOWN_KINDS = new Set([
  'message', 'edited_message', 'channel_post', 'edited_channel_post', 'callback_query', 'inline_query',
  'chosen_inline_result', 'my_chat_member', 'chat_member', 'chat_join_request', 'message_reaction',
]);
const MAX_LIMIT = 100;

/** The update kind Telegram would file this update under; `undefined` for unknown shapes. */
function kindOf(update: TgUpdate): string | undefined {
  if (typeof update !== 'object' || update === null) return undefined;
  return Object.keys(update).find((key) => KNOWN_KINDS.has(key));
}

/** Whether Telegram would deliver `update` under an `allowed_updates` setting (empty: all). */
export function isAllowedUpdate(update: TgUpdate, allowed: readonly string[]): boolean {
  const kind = kindOf(update);
  return kind === undefined || allowed.length === 0 || allowed.includes(kind);
}

/**
 * Pending updates for getUpdates, with real long polling: a call with `timeout` waits until an
 * update arrives or the timeout passes. Confirmation is by `offset`, as in the Bot API.
 */
export class UpdateQueue {
  private entries: Entry[] = [];
  private allowed: string[] = [];
  private waiter: Waiter | undefined;

  /** @param onWaiting called whenever a long poll starts waiting (lets tests wait for it). */
  constructor(private readonly onWaiting: () => void = () => undefined) {}

  /** A getUpdates call is being held open. */
  get isWaiting(): boolean {
    return this.waiter !== undefined;
  }

  /** Updates not yet confirmed. */
  get pendingCount(): number {
    return this.entries.length;
  }

  /** Stores an update and wakes a waiting long poll. */
  enqueue(update: TgUpdate): void {
    this.entries.push({ update, delivered: false });
    const waiter = this.waiter;
    if (waiter && this.available(waiter.params).length > 0) this.finish(waiter, { updates: this.take(waiter.params) });
  }

  /** Removes and returns every pending update (a webhook was set). */
  drain(): TgUpdate[] {
    const updates = this.entries.map((e) => e.update);
    this.entries = [];
    return updates;
  }

  /**
   * One getUpdates call. `onDone` is called exactly once, unless the returned cancel function is
   * called first (the client went away). A newer call ends an older waiting one with 409.
   */
  poll(params: PollParams, onDone: (outcome: PollOutcome) => void): () => void {
    if (this.waiter) {
      this.finish(this.waiter, { refusal: { error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' } });
    }
    if (params.allowedUpdates) this.allowed = params.allowedUpdates;
    this.confirm(params.offset);
    const ready = this.take(params);
    if (ready.length > 0 || params.timeoutS <= 0) {
      onDone({ updates: ready });
      return () => undefined;
    }
    const timer = setTimeout(() => this.finish(waiter, { updates: [] }), params.timeoutS * 1000);
    const waiter: Waiter = { params, finish: (outcome) => { clearTimeout(timer); onDone(outcome); } };
    this.waiter = waiter;
    this.onWaiting();
    return () => {
      clearTimeout(timer);
      if (this.waiter === waiter) this.waiter = undefined;
    };
  }

  /** Ends a waiting long poll with an empty answer (the server is stopping). */
  releaseWaiter(): void {
    if (this.waiter) this.finish(this.waiter, { updates: [] });
  }

  private finish(waiter: Waiter, outcome: PollOutcome): void {
    if (this.waiter === waiter) this.waiter = undefined;
    waiter.finish(outcome);
  }

  private confirm(offset: number | undefined): void {
    if (offset === undefined || offset <= 0) return;
    // Updates without an integer id can never be confirmed by offset: drop them once delivered.
    this.entries = this.entries.filter(({ update, delivered }) => {
      const id: unknown = (update as Partial<TgUpdate> | null)?.update_id;
      return typeof id === 'number' ? id >= offset : !delivered;
    });
  }

  private available(params: PollParams): Entry[] {
    this.entries = this.entries.filter(({ update }) => isAllowedUpdate(update, this.allowed));
    return this.entries.slice(0, Math.min(Math.max(params.limit ?? MAX_LIMIT, 1), MAX_LIMIT));
  }

  private take(params: PollParams): TgUpdate[] {
    const batch = this.available(params);
    for (const entry of batch) entry.delivered = true;
    return batch.map((e) => e.update);
  }
}
