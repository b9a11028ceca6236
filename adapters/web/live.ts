import { createChannel, type Channel } from './channel.js';
import type { TimelineEntry, WebStore } from './store.js';

/** Server-sent-event text for one timeline entry; `id` lets a reconnecting EventSource resume. */
export function toSseMessage(entry: TimelineEntry): string {
  return `id: ${entry.id}\nevent: message\ndata: ${JSON.stringify(entry)}\n\n`;
}

/** Options of {@link createLiveStreams}. */
export interface LiveStreamsOptions {
  store: WebStore;
  /** How often open streams look for new entries in the store, in ms (entries another process wrote). */
  pollMs: number;
  onError(err: unknown): void;
}

/**
 * The open event streams of this process. Every entry reaches a stream the same way: read from the
 * store after the stream's cursor (the last id it pushed). An append in this process wakes the
 * reader at once; an append by another process (a worker delivering an answer) is found by the
 * next poll. Ids become visible in order per chat, so a cursor never skips one.
 */
export interface LiveStreams {
  /** Opens a stream of `ownerId`'s entries with id > `afterId`. */
  open(ownerId: string, afterId: number, onClose: () => void): Channel;
  /** Reads the store now (something was appended in this process). */
  wake(): void;
  closeAll(): void;
}

interface Subscription { ownerId: string; cursor: number; channel: Channel }

/** Entries read per chat per poll; more are read by the next one. */
const BATCH = 200;

export function createLiveStreams(o: LiveStreamsOptions): LiveStreams {
  const subs = new Set<Subscription>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const pollOnce = async (): Promise<void> => {
    const byOwner = new Map<string, Subscription[]>();
    for (const s of subs) byOwner.set(s.ownerId, [...(byOwner.get(s.ownerId) ?? []), s]);
    for (const [ownerId, list] of byOwner) {
      const from = Math.min(...list.map((s) => s.cursor));
      const entries = await o.store.listMessages(ownerId, from, BATCH);
      for (const s of list) {
        for (const e of entries) {
          if (Number(e.id) <= s.cursor) continue;
          s.channel.push(toSseMessage(e));
          s.cursor = Number(e.id);
        }
      }
    }
  };
  const run = (): void => {
    if (running) { again = true; return; }
    clearTimeout(timer);
    timer = undefined;
    running = pollOnce().catch(o.onError).finally(() => {
      running = undefined;
      if (again) { again = false; run(); return; }
      schedule();
    });
  };
  const schedule = (): void => {
    if (subs.size === 0 || timer || running) return;
    timer = setTimeout(run, o.pollMs);
    timer.unref();
  };
  return {
    open(ownerId, afterId, onClose) {
      const sub: Subscription = { ownerId, cursor: afterId, channel: createChannel(() => { subs.delete(sub); onClose(); }) };
      subs.add(sub);
      run();
      return sub.channel;
    },
    wake: () => { if (subs.size > 0) run(); },
    closeAll() {
      for (const s of [...subs]) s.channel.close();
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
