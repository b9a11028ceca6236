import type { Logger } from 'pino';
import type {
  AdapterCapabilities, ChatAdapter, HttpRoute, InboundFile, InboundHandler, OutboundMessage, SendOptions, SendResult,
} from '../types.js';
import { createDomainVerificationRoutes } from './domain-verification.js';
import { OaSetupError } from './errors.js';
import { createOaUploads, fetchOaMedia, ZALO_OA_FILE_CAPABILITIES } from './media.js';
import { refreshAtZalo } from './oauth.js';
import { DEFAULT_QUOTE_FIELD, sendOaText, ZALO_OA_MAX_TEXT_LENGTH } from './send.js';
import { createTokenManager, type ZaloTokenStore } from './tokens.js';
import { createZaloWebhookHandler, ZALO_OA_WEBHOOK_BODY_LIMIT_BYTES, ZALO_OA_WEBHOOK_PATH } from './webhook.js';
import { sendZnsTemplate, type ZnsRequest } from './zns.js';

export { ZALO_OA_WEBHOOK_BODY_LIMIT_BYTES, ZALO_OA_WEBHOOK_PATH } from './webhook.js';
export { DEFAULT_QUOTE_FIELD } from './send.js';
export { ZALO_MEDIA_HOSTS, ZALO_OA_FILE_CAPABILITIES } from './media.js';
export { verificationFilePath } from './domain-verification.js';
export {
  OA_SETUP_CODES, REASON_NO_ZALO_ACCOUNT, REASON_NOT_FOLLOWER, REASON_OUTSIDE_WINDOW, REASON_USER_INACTIVE, REASON_USER_REFUSES,
} from './errors.js';
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
  /** Signed webhook events older than this are acknowledged and dropped (logged); younger ones are processed, in ms. */
  lateEventMaxAgeMs: number;
  /** Use the paid 7-day window instead of the free 48 hours. */
  paidWindow: boolean;
  /** Field of `message` that quotes the user's message in a send; '' never quotes natively. Default {@link DEFAULT_QUOTE_FIELD}. */
  quoteField?: string;
  /** The text of a user's message (the question an answer replies to), quoted in text when a native quote is refused. */
  quotedText?(chatId: string, messageId: string): Promise<string | undefined>;
  /** Zalo's domain verification code: served as `/zalo_verifier<code>.html` (and at `/` with `serveSiteRoot`). */
  domainVerification?: string;
  /** Also answer `GET /` with the verification meta tag (only when no other channel serves the site root). */
  serveSiteRoot?: boolean;
  /** Called once when Zalo rejects the refresh token (main: alert every admin in chat). */
  onAuthFailure?(reason: string): Promise<void> | void;
  /**
   * Called once per Zalo code and process when Zalo refuses for an OA or app set-up problem
   * (-204, -205, -219, -221, -223, -224, -320, -321, or the app secret refused at token refresh).
   * Main: alert every admin in chat. The messages concerned are held, not failed.
   */
  onSetupProblem?(problem: { code: number; message: string }): Promise<void> | void;
  /** Hosts users' files are fetched from (with sub-domains); default Zalo's CDNs ({@link ZALO_MEDIA_HOSTS}). */
  mediaHosts?: readonly string[];
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
    replyWindowMs: o.paidWindow ? ZALO_OA_PAID_WINDOW_MS : ZALO_OA_FREE_WINDOW_MS, files: ZALO_OA_FILE_CAPABILITIES,
  });
  const tokens = createTokenManager({
    store: o.tokenStore, now: o.now, refreshMarginMs: o.refreshMarginMs, logger: o.logger,
    refresh: (refreshToken) => refreshAtZalo({ oauthUrl: o.oauthUrl, appId: o.appId, appSecret: o.appSecret, now: o.now }, refreshToken),
    ...(o.onAuthFailure ? { onAuthFailure: o.onAuthFailure } : {}),
  });
  const deps = { openapiUrl: o.openapiUrl, tokens, logger: o.logger };
  const sendDeps = {
    ...deps, quoteField: o.quoteField ?? DEFAULT_QUOTE_FIELD, quoteState: { refusedInARow: 0 }, uploads: createOaUploads(() => o.now().getTime()),
    ...(o.quotedText ? { quotedText: o.quotedText } : {}),
  };
  const state: { onEvent?: InboundHandler; stopped: boolean; inflight: Set<Promise<unknown>> } = { stopped: false, inflight: new Set() };
  const handle = createZaloWebhookHandler({
    appId: o.appId, oaSecretKey: o.oaSecretKey, lateEventMaxAgeMs: o.lateEventMaxAgeMs, now: o.now, logger: o.logger,
    isReceiving: () => state.onEvent !== undefined && !state.stopped,
    onEvent: (event) => track(state.inflight, state.onEvent!(event)),
  });
  const alertSetup = createSetupAlerter(o);
  return {
    platform: 'zalo_oa',
    capabilities,
    webhook: { path: ZALO_OA_WEBHOOK_PATH, maxBodyBytes: ZALO_OA_WEBHOOK_BODY_LIMIT_BYTES, handle },
    routes: routesOf(o),
    async start(onEvent) {
      if (state.onEvent || state.stopped) throw new Error('zalo-oa adapter: start() may be called once, before stop()');
      state.onEvent = onEvent;
    },
    async stop() {
      state.stopped = true;
      await Promise.allSettled([...state.inflight]);
    },
    send(chatId: string, message: OutboundMessage, options?: SendOptions): Promise<SendResult> {
      return alertSetup(sendOaText(sendDeps, chatId, message, options));
    },
    fetchFile: (file: InboundFile) => fetchOaMedia({ openapiUrl: o.openapiUrl, logger: o.logger, ...(o.mediaHosts ? { mediaHosts: o.mediaHosts } : {}) }, file),
    sendTemplate: (request) => alertSetup(sendZnsTemplate({ ...deps, znsUrl: o.znsUrl }, request)),
  };
}

/**
 * `GET` on the webhook path answers 200 (a console may probe the URL that way; events come by
 * POST), plus the domain verification routes when a code is configured.
 */
function routesOf(o: ZaloOaAdapterOptions): HttpRoute[] {
  const probe: HttpRoute = { method: 'GET', path: ZALO_OA_WEBHOOK_PATH, handle: async () => ({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' }) };
  const verification = o.domainVerification ? createDomainVerificationRoutes(o.domainVerification, { siteRoot: o.serveSiteRoot ?? false }) : [];
  return [probe, ...verification];
}

/** Passes `work` through; an {@link OaSetupError} calls `onSetupProblem` once per code for this process. */
function createSetupAlerter(o: ZaloOaAdapterOptions): <T>(work: Promise<T>) => Promise<T> {
  const alerted = new Set<number>();
  return async (work) => {
    try {
      return await work;
    } catch (err) {
      if (err instanceof OaSetupError && !alerted.has(err.zaloCode)) {
        alerted.add(err.zaloCode);
        o.logger.error({ zaloCode: err.zaloCode, error: err.message }, 'zalo-oa: Zalo refuses because of the OA or app set-up; messages are held until an operator fixes it');
        try {
          await o.onSetupProblem?.({ code: err.zaloCode, message: err.message });
        } catch (alertErr) {
          o.logger.error({ error: alertErr instanceof Error ? alertErr.message : String(alertErr) }, 'zalo-oa: alerting the admins failed');
        }
      }
      throw err;
    }
  };
}

function track<T>(inflight: Set<Promise<unknown>>, work: Promise<T>): Promise<T> {
  inflight.add(work);
  const forget = () => { inflight.delete(work); };
  work.then(forget, forget);
  return work;
}
