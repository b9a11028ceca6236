import type { HttpRequest, HttpResponse } from '../types.js';
import { readCookie, refuse, sessionCookie, type SlotPaths } from './http.js';
import type { LiveStreams } from './live.js';
import type { RateLimiter } from './rate-limit.js';
import type { SessionManager, WebSession } from './sessions.js';
import type { WebStore } from './store.js';
import type { InboundEvent } from '../types.js';
import type { WebFileStore } from './types.js';

/** What a code typed on the sign-in form turned out to be (the composition root asks the flows). */
export type CodeRedemption =
  /** A one-time sign-in code, now used: sign in as this identity. */
  | { status: 'ok'; ownerId: string }
  /** An invite code not used yet: a new identity signs in and the flows bind the invite. */
  | { status: 'invite' }
  | { status: 'used' | 'expired' }
  /** Neither: nobody is signed in, and a session the slot already has is kept. */
  | { status: 'unknown' };

/** What the routes need from the adapter. */
export interface WebRouteDeps {
  sessions: SessionManager;
  store: WebStore;
  live: LiveStreams;
  /** Epoch milliseconds. */
  now(): number;
  secureCookies: boolean;
  /** Key the rate limits on `X-Forwarded-For`'s last entry (behind a reverse proxy). */
  trustProxy: boolean;
  /** Origins that may POST (the configured host names, see `src/http/hosts.ts`); the `Host` header is never trusted for this. */
  allowedOrigins: readonly string[];
  /** Whether a `Host` header names this service (an `Origin` equal to it is then same-origin). */
  allowedHost(host: string | undefined): boolean;
  signInLimiter: RateLimiter;
  /**
   * Code attempts (sign-ins, and messages that carry a code: `/start X`, `/link X`, a bare code)
   * per client address and per session; the flows also count failed attempts per person.
   */
  codeLimiters: { byAddress: RateLimiter; bySession: RateLimiter };
  /** Interval between SSE heartbeat comments, in milliseconds. */
  heartbeatMs: number;
  isReceiving(): boolean;
  /** Whether a press of `action` settles its message: the chosen button is then marked and the others disabled. */
  settles?: (action: string) => boolean;
  /** The sender name shown on the bot's messages. */
  botName: string;
  /** Hands the event to the bot; resolves false when it was not accepted (the client should retry). */
  emit(event: InboundEvent): Promise<boolean>;
  /** Says what a typed code is, using a one-time sign-in code up (single use). */
  redeemCode(code: string): Promise<CodeRedemption>;
  /** "Send me a code": queued, looked up and sent off the request path. */
  requestCode?: (who: string) => void;
  /** Limits "send me a code" per client address, and per identifier asked about. */
  sendCodeLimiters: { byAddress: RateLimiter; byTarget: RateLimiter };
  /** Logs a failure the client is not told about. */
  onError(err: unknown, what: string): void;
  /** Uploads and downloads (`file-routes.ts`); absent: messages carry no files. */
  files?: WebFileStore;
  /** The language the bot speaks to chat `ownerId` (the person's setting): the page follows it. */
  languageOf?: (ownerId: string) => Promise<'vi' | 'en'>;
  /** The actions of a preview's buttons (see `WebAdapterOptions.previewActions`). */
  previewActions?: PreviewActions;
}

/**
 * The button actions of a message that previews something to confirm (an official answer): a
 * message carrying a `confirm` button is shown by the page as a panel beside the composer, with its
 * confirm, edit and cancel buttons, instead of a bubble with buttons.
 */
export interface PreviewActions { confirm: string; edit: string; cancel: string }

/** The routes of one sign-in slot. */
export interface SlotContext { deps: WebRouteDeps; paths: SlotPaths }

export type Refusal = { refusal: HttpResponse };

/** 429 with `Retry-After` in whole seconds. */
export function rateLimited(retryAfterMs: number, code: 'rate_limited' | 'too_many_codes' = 'rate_limited'): HttpResponse {
  const retryAfterS = Math.ceil(retryAfterMs / 1000);
  return refuse(code, { retryAfter: retryAfterS }, { 'retry-after': String(retryAfterS) });
}

export const clearCookie = (c: SlotContext) => ({ 'set-cookie': sessionCookie(c.paths, '', c.deps.secureCookies, 0) });

/** The slot's live session named by the request's cookie, if any. */
export async function currentSession(c: SlotContext, req: HttpRequest): Promise<WebSession | undefined> {
  const token = readCookie(req.headers.cookie, c.paths.cookieName);
  return token === undefined ? undefined : c.deps.sessions.get(token, c.paths.slot);
}

/** The fields every event from a session shares. */
export function eventBase(deps: WebRouteDeps, s: WebSession, clientId: string, raw: Record<string, unknown>) {
  return {
    platform: 'web' as const,
    // The owner id, not the session token: the cookie value is a secret and event ids are stored.
    eventId: `web-${s.ownerId}-${clientId}`,
    from: { id: s.ownerId, name: '', ...(s.languageCode === undefined ? {} : { languageCode: s.languageCode }) },
    chatId: s.ownerId,
    at: new Date(deps.now()),
    raw,
  };
}

/** One-time codes (`ABCD-EFGH`, any case, spaces) and invite codes (6–64 of `A-Za-z0-9_-`). */
const CODE_SHAPED = /^(?:[A-Za-z0-9_-]{6,64}|[A-Za-z0-9]{4}[\s-]?[A-Za-z0-9]{4})$/;

/**
 * True when a message typed on the page is an attempt at a code: `/start X`, `/link X`, or text
 * shaped like a code (the flows try such text as an invite or link code).
 */
export function isCodeAttempt(text: string): boolean {
  const trimmed = text.trim();
  const command = /^\/(start|link)(?:@\S+)?\s+(\S[\s\S]*)$/i.exec(trimmed);
  return command !== null || CODE_SHAPED.test(trimmed);
}
