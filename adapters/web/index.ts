import type { Logger } from 'pino';
import type {
  AdapterCapabilities, Button, ChatAdapter, ChatError, HttpRoute, InboundEvent, InboundHandler, OutboundMessage, SendOptions, SendResult,
} from '../types.js';
import { literalHostOnly } from './http.js';
import { createLiveStreams } from './live.js';
import type { PageEvents } from './page-events.js';
import { createPageRoutes, defaultPageDir } from './page-routes.js';
import { createRateLimiter, type RateLimitOptions } from './rate-limit.js';
import { createWebRoutes, type CodeRedemption, type WebRouteDeps } from './routes.js';
import type { PreviewActions } from './route-kit.js';
import { createRequestQueue } from './request-queue.js';
import { createFileRoutes, type WebFileStore } from './file-routes.js';
import { createNotifyRoutes, type WebNotifyApi } from './push-routes.js';
import { createPwaRoutes } from './pwa-routes.js';
import { editWebButtons, editWebMessage, sendWebMessage, WEB_MAX_TEXT_LENGTH } from './send.js';
import { createSessionManager } from './sessions.js';
import type { TimelineEntry, WebStore } from './store.js';

export { WEB_API_PREFIX, type CodeRedemption } from './routes.js';
export { CSRF_HEADER, SESSION_COOKIE, WEB_BODY_LIMIT_BYTES, WEB_SLOTS, slotPaths } from './http.js';
export { WEB_PAGE_PATH, slotPagePath } from './page-routes.js';
export type { StoredSession, TimelineEntry, WebStore } from './store.js';
export { FILE_NAME_HEADER, toTimelineFile, type WebFileStore } from './file-routes.js';
export type { WebNotifyApi } from './push-routes.js';
export type { InboxChange, PageEvents } from './page-events.js';
export type { PreviewActions } from './route-kit.js';

/** Options of {@link createWebAdapter}. */
export interface WebAdapterOptions {
  logger: Logger;
  /** Sessions and timelines (the database: `createWebStore` in `db/repositories/web.ts`). */
  store: WebStore;
  /** Says what a code typed on the sign-in form is: a one-time sign-in code (used up here), an unused invite, or neither. */
  redeemCode: (code: string) => Promise<CodeRedemption>;
  /** "Send me a code": sends a sign-in code to the linked chat of the person a phone number or directory code names. */
  requestCode?: (who: string) => Promise<void>;
  /** "Send me a code" requests allowed per client address (default 5 per 600 000 ms) and per identifier (default 3 per 3 600 000 ms). */
  sendCodeLimits?: { byAddress: RateLimitOptions; byTarget: RateLimitOptions };
  /**
   * Code attempts allowed per client address (sign-ins and codes typed in the chat; default 20 per
   * 600 000 ms) and per session (codes typed in the chat; default 10 per 600 000 ms).
   */
  codeLimits?: { byAddress: RateLimitOptions; bySession: RateLimitOptions };
  /** Add `Secure` to the session cookies (set when the bot is served over HTTPS). Default false. */
  secureCookies?: boolean;
  /** Rate-limit sign-ins by `X-Forwarded-For`'s last entry (set behind a reverse proxy). Default false. */
  trustProxy?: boolean;
  /** Origins allowed to POST besides the request's own (accepted) host, e.g. the public URL. Default none. */
  allowedOrigins?: readonly string[];
  /** Which `Host` headers name this service, for the Origin check. Default: IP addresses and `localhost` only. */
  allowedHost?: (host: string | undefined) => boolean;
  /** A session with no request and no open event stream for this long expires, in ms. Default 8 hours. */
  idleTimeoutMs?: number;
  /** A session ends this long after sign-in, in ms. Default 30 days. */
  maxAgeMs?: number;
  /** Sign-in attempts allowed per client address. Default 10 per 60 000 ms. */
  signInLimit?: RateLimitOptions;
  /** Interval of the SSE heartbeat comment, in ms. Default 15 000. */
  heartbeatMs?: number;
  /** How often open event streams read entries other processes stored, and check their session is still live, in ms. Default 1000. */
  pollMs?: number;
  /** How long the clear text of a message carrying a one-time code stays readable in its timeline, in ms. Default 10 minutes (the codes' lifetime). */
  revealMs?: number;
  /** How often clear texts past their reveal time are erased, in ms. Default 60 000. */
  revealSweepMs?: number;
  /** Whether a press of `action` settles its message: the chosen button is marked, the others disabled. Default: none. */
  settles?: (action: string) => boolean;
  /** The sender name shown on the bot's messages (the network's name). Default "Mạng lưới phát ngôn". */
  botName?: string;
  /** Epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Folder of the chat page's files (`adapters/web/page/`). Default: next to this module's source. */
  pageDir?: string;
  /** Test-only: the owner id (platform user id) of the next session signed in by invite. Default 16 random bytes, hex. */
  newOwnerId?: () => string;
  /** Test-only: an error `send` throws for `chatId` instead of sending, if any. */
  faults?: (chatId: string) => ChatError | undefined;
  /** Uploads and downloads of files (`file-routes.ts`); absent: the channel is text only (files reach it as links). */
  files?: WebFileStore;
  /** Staff notification settings and Web Push subscriptions (`push-routes.ts`); absent: no `/notify` API. */
  notify?: WebNotifyApi;
  /**
   * The language the bot speaks to chat `ownerId` (the person's one setting, else the chat's, else
   * the default): the page loads in it. Absent: the page keeps the browser's choice.
   */
  languageOf?: (ownerId: string) => Promise<'vi' | 'en'>;
  /**
   * Language and inbox events for the open pages' streams (`page-events.ts`), read on every poll
   * (`pollMs`). Absent: the streams carry the timeline only.
   */
  pageEvents?: PageEvents;
  /** Actions whose buttons make a message a preview to confirm, shown as a panel by the page's composer. Absent: bubbles with buttons. */
  previewActions?: PreviewActions;
}

/** The web {@link ChatAdapter}, plus a read-only view of a chat's timeline. */
export type WebAdapter = ChatAdapter & {
  /** A chat's stored timeline (both sides, in order, the newest 1000). */
  timeline(chatId: string): Promise<TimelineEntry[]>;
  readonly routes: ReadonlyArray<HttpRoute>;
};

/** What the web adapter supports. */
export const WEB_CAPABILITIES: AdapterCapabilities = Object.freeze({
  buttons: true, replies: true, maxTextLength: WEB_MAX_TEXT_LENGTH, edits: true,
});

/**
 * With a file store, the page shows every stored file itself (a timeline entry names it; the page
 * fetches it from the session's file route): nothing is uploaded anywhere, so no size or type limit
 * applies beyond the bot's own.
 */
export const WEB_FILE_CAPABILITIES: AdapterCapabilities = Object.freeze({
  ...WEB_CAPABILITIES,
  files: Object.freeze({ maxUploadBytes: Number.MAX_SAFE_INTEGER, maxDownloadBytes: Number.MAX_SAFE_INTEGER, kinds: Object.freeze(['image', 'document', 'video', 'audio'] as const) }),
});

const DEFAULTS = {
  idleTimeoutMs: 8 * 60 * 60 * 1000, maxAgeMs: 30 * 24 * 60 * 60 * 1000, heartbeatMs: 15_000, pollMs: 1000,
  revealMs: 10 * 60_000, revealSweepMs: 60_000,
  signInLimit: { max: 10, windowMs: 60_000 },
  sendCodeLimits: { byAddress: { max: 5, windowMs: 600_000 }, byTarget: { max: 3, windowMs: 3_600_000 } },
  codeLimits: { byAddress: { max: 20, windowMs: 600_000 }, bySession: { max: 10, windowMs: 600_000 } },
};

/**
 * Builds the web channel: a browser session signs in as one identity (platform `web`, user id =
 * chat id = owner id); its API is {@link ChatAdapter.routes}, mounted by the HTTP server. Sessions
 * and timelines are in the store (the database), so they survive restarts and are shared by
 * `--role web` and `--role worker` processes; only live event streams belong to a process.
 */
export function createWebAdapter(options: WebAdapterOptions): WebAdapter {
  const now = options.now ?? Date.now;
  const { store, logger } = options;
  const sessions = createSessionManager({
    store, now, idleTimeoutMs: options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs, maxAgeMs: options.maxAgeMs ?? DEFAULTS.maxAgeMs,
    ...(options.newOwnerId ? { newOwnerId: options.newOwnerId } : {}),
  });
  const live = createLiveStreams({
    store, now, pollMs: options.pollMs ?? DEFAULTS.pollMs, onError: (err) => logger.warn({ err }, 'web: reading new timeline entries failed'),
    ...(options.pageEvents ? { events: options.pageEvents } : {}),
  });
  const state: { onEvent?: InboundHandler; stopped: boolean; inflight: Set<Promise<boolean>> } = { stopped: false, inflight: new Set() };
  const isReceiving = () => state.onEvent !== undefined && !state.stopped;
  const emit = (event: InboundEvent): Promise<boolean> => {
    const handler = state.onEvent;
    if (!handler || state.stopped) return Promise.resolve(false);
    const work = handler(event).then(() => true, (err: unknown) => {
      logger.error({ err, kind: event.kind }, 'web event handling failed');
      return false;
    });
    state.inflight.add(work);
    void work.finally(() => state.inflight.delete(work));
    return work;
  };
  const requests = options.requestCode
    ? createRequestQueue(options.requestCode, (err) => logger.error({ err }, 'web: sending a requested sign-in code failed'))
    : undefined;
  const routeDeps: WebRouteDeps = {
    sessions, store, live, now, isReceiving, emit, ...(options.settles ? { settles: options.settles } : {}), botName: options.botName ?? 'Mạng lưới phát ngôn',
    secureCookies: options.secureCookies ?? false, trustProxy: options.trustProxy ?? false, allowedOrigins: options.allowedOrigins ?? [],
    allowedHost: options.allowedHost ?? literalHostOnly,
    signInLimiter: createRateLimiter(options.signInLimit ?? DEFAULTS.signInLimit),
    heartbeatMs: options.heartbeatMs ?? DEFAULTS.heartbeatMs,
    redeemCode: options.redeemCode,
    ...(requests ? { requestCode: requests.push } : {}),
    codeLimiters: {
      byAddress: createRateLimiter((options.codeLimits ?? DEFAULTS.codeLimits).byAddress),
      bySession: createRateLimiter((options.codeLimits ?? DEFAULTS.codeLimits).bySession),
    },
    sendCodeLimiters: {
      byAddress: createRateLimiter((options.sendCodeLimits ?? DEFAULTS.sendCodeLimits).byAddress),
      byTarget: createRateLimiter((options.sendCodeLimits ?? DEFAULTS.sendCodeLimits).byTarget),
    },
    onError: (err, what) => logger.error({ err, what }, 'web: background work failed'),
    ...(options.files ? { files: options.files } : {}),
    ...(options.languageOf ? { languageOf: options.languageOf } : {}),
    ...(options.previewActions ? { previewActions: options.previewActions } : {}),
  };
  const routes = createWebRoutes(routeDeps);
  const sendDeps = { sessions, store, live, now, revealMs: options.revealMs ?? DEFAULTS.revealMs, ...(options.faults ? { faults: options.faults } : {}) };
  const sweepReveals = () => {
    store.eraseExpiredReveals(new Date(now()).toISOString()).catch((err: unknown) => logger.warn({ err }, 'web: erasing expired codes from timelines failed'));
  };
  let sweeper: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;
  return {
    platform: 'web',
    capabilities: options.files ? WEB_FILE_CAPABILITIES : WEB_CAPABILITIES,
    routes: [...routes, ...(options.files ? createFileRoutes(routeDeps, options.files) : []), ...createPageRoutes(options.pageDir),
      ...(options.notify ? createNotifyRoutes(routeDeps, options.notify) : []), ...createPwaRoutes(options.pageDir ?? defaultPageDir())],
    timeline: (chatId) => store.latestMessages(chatId, 1000),
    async start(onEvent: InboundHandler): Promise<void> {
      if (state.onEvent || state.stopped) throw new Error('web adapter: start() may be called once, before stop()');
      state.onEvent = onEvent;
      sweepReveals();
      sweeper = setInterval(sweepReveals, options.revealSweepMs ?? DEFAULTS.revealSweepMs);
      sweeper.unref();
    },
    stop(): Promise<void> {
      stopping ??= (async () => {
        state.stopped = true;
        clearInterval(sweeper);
        live.closeAll();
        await requests?.close();
        await Promise.allSettled([...state.inflight]);
      })();
      return stopping;
    },
    send(chatId: string, message: OutboundMessage, sendOptions?: SendOptions): Promise<SendResult> {
      return sendWebMessage(sendDeps, chatId, message, sendOptions);
    },
    edit(chatId: string, messageId: string, message: OutboundMessage): Promise<void> {
      return editWebMessage(sendDeps, chatId, messageId, message);
    },
    editButtons(chatId: string, messageId: string, buttons: Button[][]): Promise<void> {
      return editWebButtons(sendDeps, chatId, messageId, buttons);
    },
  };
}
