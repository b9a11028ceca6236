import type { Logger } from 'pino';
import type {
  AdapterCapabilities, ChatAdapter, InboundHandler, OutboundMessage, SendOptions, SendResult,
} from '../types.js';
import { refreshAtZalo } from './oauth.js';
import { sendOaText, ZALO_OA_MAX_TEXT_LENGTH } from './send.js';
import { createTokenManager, type ZaloTokenStore } from './tokens.js';
import { createZaloWebhookHandler, ZALO_OA_WEBHOOK_PATH } from './webhook.js';
import { sendZnsTemplate, type ZnsRequest } from './zns.js';

export { ZALO_OA_WEBHOOK_PATH } from './webhook.js';
export { REASON_NOT_FOLLOWER, REASON_OUTSIDE_WINDOW } from './errors.js';
export type { ZaloTokenPair, ZaloTokenRecord, ZaloTokenState, ZaloTokenStore } from './tokens.js';
export type { ZnsRequest } from './zns.js';

/** Zalo lets an OA answer a user free of charge this long after the user's last message, in ms. */
export const ZALO_OA_FREE_WINDOW_MS = 48 * 3_600_000;
/** Paid consultation messages reach a user this long after their last message, in ms. */
export const ZALO_OA_PAID_WINDOW_MS = 7 * 24 * 3_600_000;

/** Options of {@link createZaloOaAdapter}. */
export interface ZaloOaAdapterOptions {
  appId: string;
  /** App secret (header `secret_key` of the token endpoint). Secret. */
  appSecret: string;
  /** OA secret key used to sign webhook events. Secret. */
  oaSecretKey: string;
  /** OpenAPI origin (sends). */
  openapiUrl: string;
  /** OAuth origin (token refresh). */
  oauthUrl: string;
  /** ZNS origin (template notifications). */
  znsUrl: string;
  /** Where the token pair lives (the database). */
  tokenStore: ZaloTokenStore;
  /** Refresh the access token this long before it expires, in ms. */
  refreshMarginMs: number;
  /** Webhook events older (or further ahead) than this are refused, in ms. */
  webhookToleranceMs: number;
  /** Use the paid 7-day window instead of the free 48 hours. */
  paidWindow: boolean;
  /** Called once when Zalo rejects the refresh token (main: alert every admin in chat). */
  onAuthFailure?(reason: string): Promise<void> | void;
  now(): Date;
  logger: Logger;
}

/** The OA {@link ChatAdapter}, plus ZNS template sends. */
export type ZaloOaAdapter = ChatAdapter & {
  /** Sends a ZNS template notification; resolves with Zalo's message id. Throws ChatError. */
  sendTemplate(request: ZnsRequest): Promise<string>;
};

/** Builds the OA adapter; nothing touches the network until a send or a token refresh. */
export function createZaloOaAdapter(o: ZaloOaAdapterOptions): ZaloOaAdapter {
  for (const [key, value] of Object.entries({ appId: o.appId, appSecret: o.appSecret, oaSecretKey: o.oaSecretKey })) {
    if (value.length === 0) throw new Error(`zalo-oa adapter: ${key} is empty`);
  }
  const capabilities: AdapterCapabilities = Object.freeze({
    buttons: false, replies: true, edits: false, maxTextLength: ZALO_OA_MAX_TEXT_LENGTH,
    replyWindowMs: o.paidWindow ? ZALO_OA_PAID_WINDOW_MS : ZALO_OA_FREE_WINDOW_MS,
  });
  const tokens = createTokenManager({
    store: o.tokenStore, now: o.now, refreshMarginMs: o.refreshMarginMs, logger: o.logger,
    refresh: (refreshToken) => refreshAtZalo({ oauthUrl: o.oauthUrl, appId: o.appId, appSecret: o.appSecret, now: o.now }, refreshToken),
    ...(o.onAuthFailure ? { onAuthFailure: o.onAuthFailure } : {}),
  });
  const deps = { openapiUrl: o.openapiUrl, tokens, logger: o.logger };
  const state: { onEvent?: InboundHandler; stopped: boolean; inflight: Set<Promise<unknown>> } = { stopped: false, inflight: new Set() };
  const handle = createZaloWebhookHandler({
    appId: o.appId, oaSecretKey: o.oaSecretKey, toleranceMs: o.webhookToleranceMs, now: o.now, logger: o.logger,
    isReceiving: () => state.onEvent !== undefined && !state.stopped,
    onEvent: (event) => track(state.inflight, state.onEvent!(event)),
  });
  return {
    platform: 'zalo_oa',
    capabilities,
    webhook: { path: ZALO_OA_WEBHOOK_PATH, handle },
    async start(onEvent) {
      if (state.onEvent || state.stopped) throw new Error('zalo-oa adapter: start() may be called once, before stop()');
      state.onEvent = onEvent;
    },
    async stop() {
      state.stopped = true;
      await Promise.allSettled([...state.inflight]);
    },
    send(chatId: string, message: OutboundMessage, options?: SendOptions): Promise<SendResult> {
      return sendOaText(deps, chatId, message, options);
    },
    sendTemplate: (request) => sendZnsTemplate({ ...deps, znsUrl: o.znsUrl }, request),
  };
}

function track<T>(inflight: Set<Promise<unknown>>, work: Promise<T>): Promise<T> {
  inflight.add(work);
  const forget = () => { inflight.delete(work); };
  work.then(forget, forget);
  return work;
}
