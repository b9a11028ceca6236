import { createChannel, type Channel } from './channel.js';
import { toSseInbox, toSseLanguage, type PageEvents } from './page-events.js';
import type { TimelineEntry, WebStore } from './store.js';

/**
 * Server-sent-event text for one timeline entry, new or edited (the page replaces an entry it
 * already shows). The event id is the entry's change number, so a reconnecting EventSource resumes
 * after the last change it saw, edits included.
 */
export function toSseMessage(entry: TimelineEntry): string {
  return `id: ${entry.rev}\nevent: message\ndata: ${JSON.stringify(entry)}\n\n`;
}

/** Options of {@link createLiveStreams}. */
export interface LiveStreamsOptions {
  store: WebStore;
  /** Epoch milliseconds. */
  now(): number;
  /**
   * How often open streams look for new entries in the store (entries another process wrote) and
   * check that their session is still live (signed out or expired in any process), in ms.
   */
  pollMs: number;
  onError(err: unknown): void;
  /** The language and inbox events the streams carry besides the timeline; absent: timeline only. */
  events?: PageEvents;
}

/**
 * The open event streams of this process. Every change reaches a stream the same way: read from the
 * store after the stream's cursor (the last change number it pushed). A change in this process
 * wakes the reader at once; one by another process (a worker delivering an answer) is found by the
 * next poll. Change numbers become visible in order per chat, so a cursor never skips one.
 */
export interface LiveStreams {
  /**
   * Opens a stream of `ownerId`'s changes after change number `afterRev`, for the session stored
   * under `tokenHash`: the stream ends when that session is signed out or expires.
   */
  open(ownerId: string, afterRev: number, tokenHash: string, onClose: () => void): Channel;
  /** Reads the store now (something was appended in this process). */
  wake(): void;
  /** Ends this process's streams of a session at once (it was signed out here). */
  closeSession(tokenHash: string): void;
  closeAll(): void;
}

interface Subscription {
  ownerId: string; tokenHash: string; cursor: number; channel: Channel;
  /** The language last told to this stream's page (none yet: the first poll tells it). */
  language?: 'vi' | 'en';
}

/** Entries read per chat per poll; more are read by the next one. */
const BATCH = 200;

export function createLiveStreams(o: LiveStreamsOptions): LiveStreams {
  const subs = new Set<Subscription>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const pollOnce = async (): Promise<void> => {
    // A session signed out or expired (in this process or another) ends its streams: its page
    // must stop receiving the person's messages.
    const hashes = [...new Set([...subs].map((s) => s.tokenHash))];
    if (hashes.length > 0) {
      const live = new Set(await o.store.liveSessionHashes(hashes, new Date(o.now()).toISOString()));
      for (const s of [...subs]) if (!live.has(s.tokenHash)) s.channel.close();
    }
    const byOwner = new Map<string, Subscription[]>();
    for (const s of subs) byOwner.set(s.ownerId, [...(byOwner.get(s.ownerId) ?? []), s]);
    for (const [ownerId, list] of byOwner) {
      const from = Math.min(...list.map((s) => s.cursor));
      const entries = await o.store.listChanges(ownerId, from, BATCH);
      for (const s of list) {
        for (const e of entries) {
          if (Number(e.rev) <= s.cursor) continue;
          s.channel.push(toSseMessage(e));
          s.cursor = Number(e.rev);
        }
      }
    }
    if (o.events) await pushPageEvents(o.events, [...subs], [...byOwner.keys()]).catch(o.onError);
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
    open(ownerId, afterRev, tokenHash, onClose) {
      const sub: Subscription = { ownerId, tokenHash, cursor: afterRev, channel: createChannel(() => { subs.delete(sub); onClose(); }) };
      subs.add(sub);
      run();
      return sub.channel;
    },
    wake: () => { if (subs.size > 0) run(); },
    closeSession(tokenHash) {
      for (const s of [...subs]) if (s.tokenHash === tokenHash) s.channel.close();
    },
    closeAll() {
      for (const s of [...subs]) s.channel.close();
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * Tells each stream its person's language when it differs from what the stream last told (so a
 * stream's first poll tells it, which covers a change made while the page was disconnected), and
 * each concerned owner's streams that their inbox changed.
 */
async function pushPageEvents(events: PageEvents, subs: readonly Subscription[], owners: readonly string[]): Promise<void> {
  const languages = await events.languages(owners);
  for (const s of subs) {
    const language = languages.get(s.ownerId);
    if (language === undefined || language === s.language) continue;
    s.language = language;
    s.channel.push(toSseLanguage(language));
  }
  const changes = await events.inboxChanges?.(owners);
  for (const s of subs) {
    const change = changes?.get(s.ownerId);
    if (change) s.channel.push(toSseInbox(change));
  }
}
