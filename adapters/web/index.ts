import type { Logger } from 'pino';
import type {
  AdapterCapabilities, ChatAdapter, ChatError, HttpRoute, InboundEvent, InboundHandler, OutboundMessage, SendOptions, SendResult,
} from '../types.js';
import { createPageRoutes } from './page-routes.js';
import { createRateLimiter, type RateLimitOptions } from './rate-limit.js';
import { createWebRoutes } from './routes.js';
import { sendWebMessage, WEB_MAX_TEXT_LENGTH } from './send.js';
import { createSessionStore, type TimelineEntry } from './sessions.js';

export { WEB_API_PREFIX } from './routes.js';
export { CSRF_HEADER, SESSION_COOKIE, WEB_BODY_LIMIT_BYTES } from './http.js';
export type { TimelineEntry } from './sessions.js';

/** Options of {@link createWebAdapter}. */
export interface WebAdapterOptions {
  logger: Logger;
  /** Add `Secure` to the session cookie (set when the bot is served over HTTPS). Default false. */
  secureCookies?: boolean;
  /** A session with no request and no open event stream for this long expires, in ms. Default 8 hours. */
  idleTimeoutMs?: number;
  /** Sign-in attempts allowed per client address. Default 10 per 60 000 ms. */
  signInLimit?: RateLimitOptions;
  /** Interval of the SSE heartbeat comment, in ms. Default 15 000. */
  heartbeatMs?: number;
  /** Timeline entries kept per chat; older ones are dropped. Default 1000. */
  maxTimelineEntries?: number;
  /** Epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Folder of the chat page's files (`adapters/web/page/`). Default: next to this module's source. */
  pageDir?: string;
  /** Test-only: the owner id (platform user id) of the next session. Default 16 random bytes, hex. */
  newOwnerId?: () => string;
  /** Test-only: an error `send` throws for `chatId` instead of sending, if any. */
  faults?: (chatId: string) => ChatError | undefined;
}

/** The web {@link ChatAdapter}, plus a read-only view of a chat's timeline. */
export type WebAdapter = ChatAdapter & {
  /** A copy of the live timeline of chat `chatId` (both sides, in order); empty when it has no session. */
  timeline(chatId: string): TimelineEntry[];
  readonly routes: ReadonlyArray<HttpRoute>;
};

/** What the web adapter supports. */
export const WEB_CAPABILITIES: AdapterCapabilities = Object.freeze({
  buttons: true, replies: true, maxTextLength: WEB_MAX_TEXT_LENGTH, edits: false,
});

const DEFAULTS = { idleTimeoutMs: 8 * 60 * 60 * 1000, heartbeatMs: 15_000, maxTimelineEntries: 1000, signInLimit: { max: 10, windowMs: 60_000 } };

/**
 * Builds the web channel: a browser session is one identity (platform `web`, user id = chat id =
 * the session's owner id); its API is {@link ChatAdapter.routes}, mounted by the HTTP server.
 * Sessions and timelines live in memory: a restart signs everyone out.
 */
export function createWebAdapter(options: WebAdapterOptions): WebAdapter {
  const now = options.now ?? Date.now;
  const sessions = createSessionStore({
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
    maxTimelineEntries: options.maxTimelineEntries ?? DEFAULTS.maxTimelineEntries,
  }, options.newOwnerId);
  const state: { onEvent?: InboundHandler; stopped: boolean; inflight: Set<Promise<boolean>> } = { stopped: false, inflight: new Set() };
  const isReceiving = () => state.onEvent !== undefined && !state.stopped;
  const emit = (event: InboundEvent): Promise<boolean> => {
    const handler = state.onEvent;
    if (!handler || state.stopped) return Promise.resolve(false);
    const work = handler(event).then(() => true, (err: unknown) => {
      options.logger.error({ err, kind: event.kind }, 'web event handling failed');
      return false;
    });
    state.inflight.add(work);
    void work.finally(() => state.inflight.delete(work));
    return work;
  };
  const routes = createWebRoutes({
    sessions, now, isReceiving, emit, secureCookies: options.secureCookies ?? false,
    signInLimiter: createRateLimiter(options.signInLimit ?? DEFAULTS.signInLimit),
    heartbeatMs: options.heartbeatMs ?? DEFAULTS.heartbeatMs,
  });
  let stopping: Promise<void> | undefined;
  return {
    platform: 'web',
    capabilities: WEB_CAPABILITIES,
    routes: [...routes, ...createPageRoutes(options.pageDir)],
    timeline: (chatId) => (sessions.byOwner(chatId, now())?.timeline ?? []).map((e) => ({ ...e })),
    async start(onEvent: InboundHandler): Promise<void> {
      if (state.onEvent || state.stopped) throw new Error('web adapter: start() may be called once, before stop()');
      state.onEvent = onEvent;
    },
    stop(): Promise<void> {
      stopping ??= (async () => {
        state.stopped = true;
        sessions.closeAllStreams();
        await Promise.allSettled([...state.inflight]);
      })();
      return stopping;
    },
    send(chatId: string, message: OutboundMessage, sendOptions?: SendOptions): Promise<SendResult> {
      return sendWebMessage({ sessions, now, ...(options.faults ? { faults: options.faults } : {}) }, chatId, message, sendOptions);
    },
  };
}
