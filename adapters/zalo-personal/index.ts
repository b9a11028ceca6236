import type { Logger } from 'pino';
import {
  type AdapterCapabilities, type ChatAdapter, type InboundEvent, type InboundFile, type InboundHandler,
  type OutboundMessage, type SendOptions, type SendResult,
} from '../types.js';
import { createConnection, describe, type ReconnectPolicy } from './connection.js';
import type { CredentialsBox } from './credentials.js';
import { SessionExpiredError, toChatError } from './errors.js';
import { createPacer } from './pacer.js';
import { parseMessage, toSendQuote } from './parse.js';
import { createQuoteStore, type QuoteStore } from './quote-store.js';
import { sendPersonalMessage, ZALO_PERSONAL_FILE_CAPABILITIES } from './send.js';
import type { ZcaClient, ZcaMessage, ZcaSendQuote } from './zca.js';

export { createZcaClient } from './zca.js';
export { ZALO_PERSONAL_FILE_CAPABILITIES } from './send.js';
export type { ZcaClient } from './zca.js';

/**
 * Longest text part we send, in characters. Zalo's own limit for a personal text is not documented;
 * 2000 (the Zalo Bot Platform's limit) keeps each part well inside what the apps display whole.
 */
export const ZALO_PERSONAL_MAX_TEXT_LENGTH = 2000;

/** What the personal-account adapter supports: quotes and files, but no buttons, no edits and no reply window. */
export const ZALO_PERSONAL_CAPABILITIES: AdapterCapabilities = Object.freeze({
  buttons: false, replies: true, maxTextLength: ZALO_PERSONAL_MAX_TEXT_LENGTH, edits: false, files: ZALO_PERSONAL_FILE_CAPABILITIES,
});

/** Options of {@link createZaloPersonalAdapter}. Durations in ms. */
export interface ZaloPersonalAdapterOptions {
  /** The zca-js seam (`createZcaClient()`, or a fake in tests). */
  client: ZcaClient;
  /** The saved `{cookie, imei, userAgent}` (written by `liaison zalo login`, mode 600). */
  credentialsPath: string;
  /** Seals the credentials file at rest (the deployment's secrets box). */
  box: CredentialsBox;
  /** JSON-lines file of recent inbound messages, for quoting after a restart; undefined: memory only. */
  recentMessagesPath?: string;
  logger: Logger;
  /** Least gap between two sends of the account. */
  sendMinIntervalMs: number;
  /** Random extra gap, 0 to this. */
  sendJitterMs: number;
  /** Wait after a rate-limit refusal (Zalo gives no hint). */
  rateLimitRetryMs: number;
  reconnect: ReconnectPolicy;
  /** How often refreshed cookies are saved. Default 10 minutes. */
  cookieSaveIntervalMs?: number;
  /** The account needs a new QR scan (session expired, credentials refused or missing). Called once. */
  onNeedsLogin(reason: string): void | Promise<void>;
  /** Test hooks: time, waiting and randomness of the send pacing. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** The personal-account adapter, plus state for the health check and tests. */
export type ZaloPersonalAdapter = ChatAdapter & {
  /** True when the account waits for a new QR login. */
  readonly needsLogin: boolean;
};

const RECENT_EVENT_IDS = 10_000;

/**
 * Prefix of the message id recorded for a part Zalo accepted without returning an id
 * (`zalo-personal-no-id-<epoch ms>-<n>`), so the outbox row shows that no id came back.
 */
export const NO_MESSAGE_ID_PREFIX = 'zalo-personal-no-id-';

/** Builds the adapter; nothing touches Zalo until `start` or `send`. */
export function createZaloPersonalAdapter(o: ZaloPersonalAdapterOptions): ZaloPersonalAdapter {
  const log = o.logger;
  const now = o.now ?? Date.now;
  let noIdCount = 0;
  const quotes = createQuoteStore({ path: o.recentMessagesPath });
  const seen = new Set<string>();
  let onEvent: InboundHandler | undefined;
  let chain: Promise<void> = Promise.resolve();
  let loaded: Promise<void> | undefined;
  const load = () => (loaded ??= quotes.load().catch((err: unknown) => {
    log.warn({ error: describe(err) }, 'zalo personal: could not read the recent-messages file; quotes start empty');
  }));
  const pace = createPacer({
    minIntervalMs: o.sendMinIntervalMs, jitterMs: o.sendJitterMs, now,
    sleep: o.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))), ...(o.random ? { random: o.random } : {}),
  });
  const connection = createConnection({
    client: o.client, credentialsPath: o.credentialsPath, box: o.box, logger: log, reconnect: o.reconnect,
    cookieSaveIntervalMs: o.cookieSaveIntervalMs ?? 600_000, onNeedsLogin: o.onNeedsLogin,
    ...(o.random ? { random: o.random } : {}),
    onMessage: (m) => {
      // One at a time, in arrival order, so a chat's messages reach the bot in the order sent.
      chain = chain.then(() => receive(m));
    },
  });

  const receive = async (m: ZcaMessage): Promise<void> => {
    const parsed = parseMessage(m);
    if (typeof parsed === 'string') {
      if (parsed === 'group') log.debug({ threadId: m.threadId }, 'zalo personal: group message ignored (groups are not handled yet)');
      else if (parsed === 'malformed') log.warn('zalo personal: malformed message skipped');
      else if (parsed === 'recall') log.debug({ threadId: m.threadId }, 'zalo personal: a recalled message in the catch-up ignored');
      return;
    }
    if (!remember(seen, parsed.eventId)) {
      log.debug({ eventId: parsed.eventId }, 'zalo personal: duplicate message dropped');
      return;
    }
    await quotes.put({ threadId: parsed.chatId, quote: toSendQuote(m) }).catch((err: unknown) => {
      log.warn({ error: describe(err) }, 'zalo personal: could not save the message for quoting');
    });
    await deliver(parsed);
  };

  const deliver = async (event: InboundEvent) => {
    try {
      await onEvent?.(event);
    } catch (err) {
      // The inbound table is the record; a failure here must not stop the listener.
      seen.delete(event.eventId);
      log.error({ error: describe(err), eventId: event.eventId }, 'zalo personal: inbound event not accepted');
    }
  };

  return {
    platform: 'zalo_personal',
    capabilities: ZALO_PERSONAL_CAPABILITIES,
    get needsLogin() { return connection.needsLogin; },
    async fetchFile(file: InboundFile) {
      const session = await connection.session();
      try {
        return await session.openMedia(file.ref);
      } catch (err) {
        // Network failures and refused hosts are ChatErrors already, anything else transient.
        throw toChatError(err, o.rateLimitRetryMs);
      }
    },
    async start(handler) {
      if (onEvent) throw new Error('zalo personal adapter: start() may be called once');
      onEvent = handler;
      await load();
      await connection.listen();
    },
    async stop() {
      await connection.stop();
      await chain;
    },
    async send(chatId: string, message: OutboundMessage, options?: SendOptions): Promise<SendResult> {
      await load();
      const session = await connection.session();
      const quote = quoteFor(quotes, chatId, message.replyTo, log);
      const result = await sendPersonalMessage({
        session, logger: log, pace,
        toError: (err) => {
          const mapped = toChatError(err, o.rateLimitRetryMs);
          if (mapped instanceof SessionExpiredError) connection.sessionExpired('session_expired');
          return mapped;
        },
        standInId: () => `${NO_MESSAGE_ID_PREFIX}${now()}-${(noIdCount += 1)}`,
      }, chatId, message, ZALO_PERSONAL_MAX_TEXT_LENGTH, quote, options ?? {});
      await connection.saveCookiesIfChanged().catch((err: unknown) => log.warn({ error: describe(err) }, 'zalo personal: saving cookies failed'));
      return result;
    },
  };
}

/**
 * The quote for `replyTo`: only messages we received in this chat are known (zca-js needs their
 * data, not just the id). Anything else is sent unquoted, with a log line, rather than not at all.
 */
function quoteFor(quotes: QuoteStore, chatId: string, replyTo: string | undefined, log: Logger): ZcaSendQuote | undefined {
  if (replyTo === undefined) return undefined;
  const stored = quotes.get(replyTo);
  if (stored && stored.threadId === chatId) return stored.quote;
  log.info({ replyTo }, 'zalo personal: quoted message unknown (not a recent inbound message of this chat); sending unquoted');
  return undefined;
}

/** Adds `id` to a bounded set; false when it was already there. */
function remember(seen: Set<string>, id: string): boolean {
  if (seen.has(id)) return false;
  seen.add(id);
  if (seen.size > RECENT_EVENT_IDS) seen.delete(seen.values().next().value as string);
  return true;
}

