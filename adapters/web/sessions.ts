import { createHash, randomBytes } from 'node:crypto';
import type { StoredSession, WebStore } from './store.js';

export type { TimelineEntry } from './store.js';

/** A signed-in browser (one sign-in slot of it), as a request sees it. */
export interface WebSession {
  /** SHA-256 of the cookie's token (hex): what the store keys on. The token itself is a bearer secret. */
  readonly tokenHash: string;
  /** The platform user id and chat id of this identity: 16 random bytes, hex. */
  readonly ownerId: string;
  /** CSRF token bound to this session, derived from its token (so it needs no storage). */
  readonly csrfToken: string;
  /** First language of the browser's `Accept-Language` at sign-in, when given. */
  readonly languageCode?: string;
}

/** Options of {@link createSessionManager}. */
export interface SessionManagerOptions {
  store: WebStore;
  /** A session with no request and no open event stream for this long expires, in milliseconds. */
  idleTimeoutMs: number;
  /** A session ends this long after sign-in whatever its activity, in milliseconds. */
  maxAgeMs: number;
  /** Epoch milliseconds. */
  now(): number;
  /** Owner id of a session signed in by invite. Default 16 random bytes, hex. */
  newOwnerId?: () => string;
}

/** Sessions kept in the database: a restart or another process sees the same ones. */
export interface SessionManager {
  /**
   * Creates a session for `ownerId` (a new identity when undefined) in sign-in slot `slot`; returns
   * the cookie token. The session works only in that slot (see {@link hashToken}).
   */
  create(ownerId: string | undefined, slot: number, languageCode?: string): Promise<{ token: string; session: WebSession }>;
  /** The live session for a cookie token presented in `slot`, touched; `undefined` when unknown, expired or of another slot. */
  get(token: string, slot: number): Promise<WebSession | undefined>;
  /** Records activity (an open event stream keeps its session alive this way). */
  touch(session: WebSession): Promise<void>;
  delete(session: WebSession): Promise<void>;
  /** True when some browser is signed in as `ownerId` now. */
  isLive(ownerId: string): Promise<boolean>;
  /** The cookie's lifetime, in seconds. */
  readonly maxAgeS: number;
}

const sha256 = (text: string, encoding: 'hex' | 'base64url') => createHash('sha256').update(text).digest(encoding);
/**
 * Hash under which a session token of sign-in slot `slot` is stored. The slot is part of it, so a
 * cookie copied or renamed into another slot's cookie names no session there. (Slot 0 hashes the
 * token alone, as before slots were bound, so its sessions outlive the upgrade.)
 */
export const hashToken = (token: string, slot = 0): string => sha256(slot === 0 ? token : `slot ${slot}\u0000${token}`, 'hex');
const csrfFor = (token: string): string => sha256(`csrf\u0000${token}`, 'base64url');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Creates the {@link SessionManager}. */
export function createSessionManager(o: SessionManagerOptions): SessionManager {
  const iso = (ms: number) => new Date(ms).toISOString();
  const view = (token: string, s: Pick<StoredSession, 'tokenHash' | 'ownerId' | 'languageCode'>): WebSession => ({
    tokenHash: s.tokenHash, ownerId: s.ownerId, csrfToken: csrfFor(token), ...(s.languageCode === null ? {} : { languageCode: s.languageCode }),
  });
  const isLiveAt = (s: StoredSession, nowIso: string) => s.idleExpiresAt > nowIso && s.expiresAt > nowIso;
  const touch = async (tokenHash: string): Promise<void> => {
    const now = o.now();
    await o.store.touchSession(tokenHash, iso(now), iso(now + o.idleTimeoutMs));
  };
  return {
    maxAgeS: Math.floor(o.maxAgeMs / 1000),
    async create(ownerId, slot, languageCode) {
      const now = o.now();
      await o.store.deleteExpiredSessions(iso(now));
      const token = randomBytes(32).toString('base64url');
      const stored: StoredSession = {
        tokenHash: hashToken(token, slot), ownerId: ownerId ?? o.newOwnerId?.() ?? randomBytes(16).toString('hex'), languageCode: languageCode ?? null,
        createdAt: iso(now), lastSeenAt: iso(now), idleExpiresAt: iso(now + o.idleTimeoutMs), expiresAt: iso(now + o.maxAgeMs),
      };
      await o.store.insertSession(stored);
      return { token, session: view(token, stored) };
    },
    async get(token, slot) {
      if (!TOKEN.test(token)) return undefined;
      const stored = await o.store.findSession(hashToken(token, slot));
      if (!stored) return undefined;
      if (!isLiveAt(stored, iso(o.now()))) {
        await o.store.deleteSession(stored.tokenHash);
        return undefined;
      }
      await touch(stored.tokenHash);
      return view(token, stored);
    },
    touch: (session) => touch(session.tokenHash),
    delete: (session) => o.store.deleteSession(session.tokenHash),
    isLive: (ownerId) => o.store.hasLiveSession(ownerId, iso(o.now())),
  };
}
