import type { Button } from '../types.js';

/** One message of a web chat, as the page shows it. */
export interface TimelineEntry {
  /** Decimal message id, increasing per chat (the platform message id). */
  id: string;
  /** Decimal change number, increasing per chat: set when the entry is added and again on each edit. */
  rev: string;
  /** Who wrote it: the person in the browser, or the bot. */
  from: 'user' | 'bot';
  text: string;
  /** Id of the message this one replies to (the page threads it underneath). */
  replyTo?: string;
  buttons?: Button[][];
  /** When it was accepted, ISO-8601 UTC. */
  at: string;
  /** When the bot last changed it in place, ISO-8601 UTC. */
  editedAt?: string;
  /** Files the entry carries; the page fetches each from the session's files route. */
  files?: TimelineFile[];
}

/** A file in a web timeline entry. */
export interface TimelineFile {
  /** The stored file's id (decimal). */
  id: string;
  name: string;
  mimeType: string;
  sizeBytes: number;
  kind: string;
}

/** A session as stored: never the token itself, only its hash. Instants are ISO-8601 UTC. */
export interface StoredSession {
  tokenHash: string;
  /** The web identity (platform user id = chat id). */
  ownerId: string;
  languageCode: string | null;
  createdAt: string;
  lastSeenAt: string;
  idleExpiresAt: string;
  expiresAt: string;
}

/** A message to append; `clientId` makes a user message idempotent per chat. */
export interface NewTimelineEntry {
  chatId: string;
  from: 'user' | 'bot';
  text: string;
  replyTo?: string;
  buttons?: Button[][];
  clientId?: string;
  at: string;
  /**
   * The clear text when `text` has a credential masked (a one-time code): the chat's page is shown
   * this until `revealUntil` (ISO-8601 UTC), when {@link WebStore.eraseExpiredReveals} erases it.
   */
  revealText?: string;
  revealUntil?: string;
  files?: TimelineFile[];
}

/**
 * Where the web channel keeps its sessions and timelines (the database, shared by every process).
 * Implemented by `db/repositories/web.ts`; the adapter never imports the database itself.
 */
export interface WebStore {
  insertSession(session: StoredSession): Promise<void>;
  findSession(tokenHash: string): Promise<StoredSession | undefined>;
  /** Records activity: new `lastSeenAt` and `idleExpiresAt`. */
  touchSession(tokenHash: string, lastSeenAt: string, idleExpiresAt: string): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Drops sessions past either expiry at `nowIso`. */
  deleteExpiredSessions(nowIso: string): Promise<void>;
  /** Of `tokenHashes`, those whose session is alive at `nowIso` (not signed out, not expired). */
  liveSessionHashes(tokenHashes: readonly string[], nowIso: string): Promise<string[]>;
  /** True when `ownerId` has a session alive at `nowIso` (any process, any browser). */
  hasLiveSession(ownerId: string, nowIso: string): Promise<boolean>;
  /**
   * Appends with the chat's next id; when `clientId` was already stored for the chat, returns that
   * entry instead (`created: false`). Ids become visible in order: id n+1 never before id n.
   */
  appendMessage(entry: NewTimelineEntry): Promise<{ entry: TimelineEntry; created: boolean }>;
  /**
   * Replaces a bot entry's text and buttons (next `rev`); undefined when the chat has no such bot
   * entry. `buttonsOnly`: a press shown on the buttons, not an edit of the text (no "edited" mark).
   */
  editMessage(chatId: string, id: string, change: { text: string; buttons?: Button[][]; at: string; buttonsOnly?: boolean }): Promise<TimelineEntry | undefined>;
  /** Entries added or edited after change `afterRev`, in change order, at most `limit`. */
  listChanges(chatId: string, afterRev: number, limit: number): Promise<TimelineEntry[]>;
  /** Erases clear texts whose `revealUntil` is at or before `nowIso`; returns how many. */
  eraseExpiredReveals(nowIso: string): Promise<number>;
  /** Highest change number in `chatId`, 0 when empty. */
  lastRev(chatId: string): Promise<number>;
  /** Entries of `chatId` with id > `afterId`, oldest first, at most `limit`. */
  listMessages(chatId: string, afterId: number, limit: number): Promise<TimelineEntry[]>;
  /** The newest `limit` entries of `chatId`, oldest first. */
  latestMessages(chatId: string, limit: number): Promise<TimelineEntry[]>;
  findMessage(chatId: string, id: string): Promise<TimelineEntry | undefined>;
  /** The newest `limit` entries of `chatId` with id < `beforeId`, oldest first (the page loads older ones on scroll). Optional: stores without it page nothing. */
  messagesBefore?(chatId: string, beforeId: number, limit: number): Promise<TimelineEntry[]>;
}
