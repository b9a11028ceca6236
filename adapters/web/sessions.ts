import { randomBytes } from 'node:crypto';
import type { Button } from '../types.js';
import { createChannel, type Channel } from './channel.js';

/** One message of a web chat, as the page shows it. */
export interface TimelineEntry {
  /** Decimal message id, increasing per chat (the platform message id). */
  id: string;
  /** Who wrote it: the person in the browser, or the bot. */
  from: 'user' | 'bot';
  text: string;
  /** Id of the message this one replies to (the page threads it underneath). */
  replyTo?: string;
  buttons?: Button[][];
  /** When it was accepted, ISO-8601 UTC. */
  at: string;
}

/** A browser session: one web identity, its chat timeline and its live event streams. */
export interface WebSession {
  /** The cookie value: 32 random bytes, base64url. A bearer secret: never logged or stored. */
  readonly id: string;
  /** The platform user id and chat id of this identity: 16 random bytes, hex. */
  readonly ownerId: string;
  /** Double-submit CSRF token bound to this session: 32 random bytes, base64url. */
  readonly csrfToken: string;
  /** First language of the browser's `Accept-Language` at sign-in, when given. */
  readonly languageCode?: string;
  lastSeenMs: number;
  readonly timeline: TimelineEntry[];
  nextMessageId: number;
  /** clientId → message id of the user messages already accepted (a resent POST reuses it). */
  readonly clientMessages: Map<string, string>;
  readonly streams: Set<Channel>;
}

/** Options of {@link createSessionStore}. */
export interface SessionStoreOptions {
  /** A session with no open stream and no request for this long expires, in milliseconds. */
  idleTimeoutMs: number;
  /** Oldest timeline entries beyond this many are dropped. */
  maxTimelineEntries: number;
}

/** The in-memory sessions of the web adapter, keyed by cookie value and by owner id. */
export interface SessionStore {
  create(nowMs: number, languageCode?: string): WebSession;
  /** The live session for a cookie value, touched; `undefined` when unknown or expired. */
  get(sessionId: string, nowMs: number): WebSession | undefined;
  /** The live session whose owner (chat) is `ownerId`, not touched. */
  byOwner(ownerId: string, nowMs: number): WebSession | undefined;
  delete(session: WebSession): void;
  /** Appends to the timeline (assigning the next id) and pushes it to the session's streams. */
  append(session: WebSession, entry: Omit<TimelineEntry, 'id'>): TimelineEntry;
  /** Opens a live stream of the session's new entries; it closes on `delete`/`closeAllStreams`. */
  openStream(session: WebSession, nowMs: () => number, onClose?: () => void): Channel;
  closeAllStreams(): void;
}

const token = (bytes: number, encoding: 'hex' | 'base64url') => randomBytes(bytes).toString(encoding);

/** Server-sent-event text for one timeline entry; `id` lets a reconnecting EventSource resume. */
export function toSseMessage(entry: TimelineEntry): string {
  return `id: ${entry.id}\nevent: message\ndata: ${JSON.stringify(entry)}\n\n`;
}

/** Creates the {@link SessionStore}; expired sessions are dropped lazily, and all at each `create`. */
export function createSessionStore(options: SessionStoreOptions, newOwnerId?: () => string): SessionStore {
  const byId = new Map<string, WebSession>();
  const byOwnerId = new Map<string, WebSession>();
  const isExpired = (s: WebSession, nowMs: number) => s.streams.size === 0 && nowMs - s.lastSeenMs > options.idleTimeoutMs;
  const remove = (s: WebSession): void => {
    byId.delete(s.id);
    if (byOwnerId.get(s.ownerId) === s) byOwnerId.delete(s.ownerId);
    for (const stream of [...s.streams]) stream.close();
  };
  const live = (s: WebSession | undefined, nowMs: number): WebSession | undefined => {
    if (!s) return undefined;
    if (!isExpired(s, nowMs)) return s;
    remove(s);
    return undefined;
  };
  return {
    create(nowMs, languageCode) {
      for (const s of [...byId.values()]) live(s, nowMs);
      const session: WebSession = {
        id: token(32, 'base64url'), ownerId: newOwnerId?.() ?? token(16, 'hex'), csrfToken: token(32, 'base64url'),
        ...(languageCode === undefined ? {} : { languageCode }),
        lastSeenMs: nowMs, timeline: [], nextMessageId: 1, clientMessages: new Map(), streams: new Set(),
      };
      const previous = byOwnerId.get(session.ownerId);
      if (previous) remove(previous);
      byId.set(session.id, session);
      byOwnerId.set(session.ownerId, session);
      return session;
    },
    get(sessionId, nowMs) {
      const session = live(byId.get(sessionId), nowMs);
      if (session) session.lastSeenMs = nowMs;
      return session;
    },
    byOwner: (ownerId, nowMs) => live(byOwnerId.get(ownerId), nowMs),
    delete: remove,
    append(session, entry) {
      const stored: TimelineEntry = { id: String(session.nextMessageId), ...entry };
      session.nextMessageId += 1;
      session.timeline.push(stored);
      if (session.timeline.length > options.maxTimelineEntries) session.timeline.shift();
      for (const stream of session.streams) stream.push(toSseMessage(stored));
      return stored;
    },
    openStream(session, nowMs, onClose) {
      const stream = createChannel(() => {
        session.streams.delete(stream);
        session.lastSeenMs = nowMs();
        onClose?.();
      });
      session.streams.add(stream);
      return stream;
    },
    closeAllStreams() {
      for (const session of byId.values()) for (const stream of [...session.streams]) stream.close();
    },
  };
}
